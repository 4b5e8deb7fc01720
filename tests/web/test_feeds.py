"""The catalogue for other platforms: the Google Merchant Center feed, the Meta catalogue and the open data,
checked against the platforms' published field rules; only what is for sale, and a delisting gone at the next
refresh."""

from __future__ import annotations

import csv
import io
import json
import re
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest

from marketplace.certification.models import Certification
from tests.web import test_storefront_pages
from tests.web.test_storefront_pages import Storefront, _client, _list
from web import feeds
from web.tasks import refresh_feeds_task

storefront = test_storefront_pages.storefront  # the fixture

G = "{http://base.google.com/ns/1.0}"
# Google Merchant Center's product data specification: what every item must carry, and the value rules checked.
GOOGLE_REQUIRED = ("id", "title", "description", "link", "image_link", "availability", "price", "brand")
GOOGLE_AVAILABILITY = {"in_stock", "out_of_stock", "preorder", "backorder"}
GOOGLE_PRICE = re.compile(r"^\d+(\.\d+)? [A-Z]{3}$")  # a number, a space, an ISO 4217 code
META_AVAILABILITY = {"in stock", "out of stock", "available for order", "discontinued"}


@pytest.fixture
def shop(storefront: Storefront, settings, tmp_path) -> Storefront:
    settings.MEDIA_ROOT = tmp_path
    settings.OCOP_SITE_URL = "https://ocop.example"
    return storefront


def _google_items(client) -> list[dict[str, str]]:
    response = client.get("/feeds/google-merchant.xml")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/rss+xml")
    root = ElementTree.fromstring(b"".join(response.streaming_content))
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    assert channel.findtext("title") and channel.findtext("link") and channel.findtext("description")
    return [{child.tag.removeprefix(G): child.text or "" for child in item} for item in channel.findall("item")]


def test_the_google_feed_holds_every_pack_for_sale_by_the_specification(shop: Storefront):
    refresh_feeds_task()
    items = _google_items(_client())
    assert {item["id"] for item in items} == {
        variant.sku for product in (shop.coffee, shop.cashew) for variant in product.variants.all()
    }
    for item in items:
        assert all(item.get(field) for field in GOOGLE_REQUIRED), item
        assert len(item["id"]) <= 50 and len(item["title"]) <= 150 and len(item["description"]) <= 5000
        assert item["availability"] in GOOGLE_AVAILABILITY
        assert GOOGLE_PRICE.match(item["price"]) and item["price"].endswith(" VND")
        assert item["identifier_exists"] == "no" and item["condition"] == "new"
        for url in (item["link"], item["image_link"]):
            assert url.startswith("https://ocop.example/")
    coffee = next(item for item in items if item["id"] == shop.coffee_variant.sku)
    assert coffee["price"] == "150000 VND"  # whole đồng, never × 100
    assert coffee["availability"] == "in_stock" and coffee["brand"] == "HTX Cà phê Xuân Lộc"
    assert coffee["title"] == "Cà phê Robusta Xuân Lộc – Túi 500 g" and coffee["product_type"] == "Đồ uống"
    assert coffee["item_group_id"] == shop.coffee.registry_id
    assert coffee["image_link"] == f"https://ocop.example/media/products/{shop.coffee.pk}/1.webp"


def test_every_address_in_the_feed_answers(shop: Storefront):
    client = _client()
    for item in _google_items(client):  # written on the first request
        for url in (item["link"], item["image_link"]):
            path = urlsplit(url).path
            if not path.startswith("/media/"):  # media files are served by the web server, not Django
                assert client.get(path).status_code == 200, url


def test_the_meta_catalogue_has_metas_columns_and_values(shop: Storefront):
    refresh_feeds_task()
    response = _client().get("/feeds/meta-catalogue.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert list(rows[0]) == list(feeds.META_COLUMNS)
    assert len(rows) == 3  # the coffee's two packs and the cashews
    for row in rows:
        assert row["availability"] in META_AVAILABILITY and row["condition"] == "new"
        assert GOOGLE_PRICE.match(row["price"])


def test_the_open_data_names_its_licence_and_each_certified_product(shop: Storefront):
    refresh_feeds_task()
    client = _client()
    data = json.loads(b"".join(client.get("/open-data/ocop-certified.json").streaming_content))
    assert data["licence"]["url"] == "https://creativecommons.org/licenses/by/4.0/"
    records = {record["certificate_id"]: record for record in data["records"]}
    assert set(records) == {"DN-2025-0005", shop.cashew.current_certification.certificate_id}
    coffee = records["DN-2025-0005"]
    assert coffee["stars"] == 5 and coffee["producer"] == "HTX Cà phê Xuân Lộc" and coffee["ocop_group"] == "Đồ uống"
    assert coffee["product_url"] == f"https://ocop.example/p/{shop.coffee.slug}/"
    rows = list(
        csv.DictReader(io.StringIO(b"".join(client.get("/open-data/ocop-certified.csv").streaming_content).decode()))
    )
    assert {row["certificate_id"] for row in rows} == set(records)
    page = client.get("/open-data/").content.decode()
    assert 'href="https://creativecommons.org/licenses/by/4.0/" rel="license"' in page


def test_a_delisting_leaves_every_feed_at_the_next_refresh(shop: Storefront, settings):
    refresh_feeds_task()
    Certification.objects.filter(pk=shop.coffee_certificate.pk).update(status="revoked")
    _list(shop.coffee)
    refresh_feeds_task()
    client = _client()
    for url in (
        "/feeds/google-merchant.xml",
        "/feeds/meta-catalogue.csv",
        "/open-data/ocop-certified.csv",
        "/open-data/ocop-certified.json",
    ):
        content = b"".join(client.get(url).streaming_content).decode()
        assert shop.coffee.name not in content and shop.coffee_variant.sku not in content, url
        assert shop.cashew.name in content, url
    assert sorted(path.name for path in (settings.MEDIA_ROOT / "feeds").iterdir()) == [
        "google-merchant.xml",
        "meta-catalogue.csv",
    ]  # no half-written file left behind


def test_unknown_feed_names_are_not_found(shop: Storefront):
    assert _client().get("/feeds/nothing.xml").status_code == 404
    assert _client().get("/open-data/secrets.csv").status_code == 404
