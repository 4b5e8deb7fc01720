"""Newly certified and upgraded products: the page and its Atom feed follow what the registry's sync brings in."""

from __future__ import annotations

import datetime
from xml.etree import ElementTree

from django.utils import timezone

from marketplace.certification.models import Certification
from tests.factories import make_certification, make_product, make_stock, make_variant
from tests.web import test_storefront_pages
from tests.web.test_storefront_pages import Storefront, _client, _list, _page, _text

storefront = test_storefront_pages.storefront  # the fixture

ATOM = "{http://www.w3.org/2005/Atom}"
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def _decided(product, *, days_ago: int, stars: int, supersedes: str = "", number: str):
    certificate = make_certification(
        product, stars=stars, valid_from=TODAY - days_ago * DAY, supersedes=supersedes, certificate_id=number
    )
    Certification.objects.filter(pk=certificate.pk).update(decision_date=TODAY - days_ago * DAY)
    _list(product)  # what the sync does with a new certificate
    return certificate


def test_new_and_upgraded_products_appear_and_renewals_do_not(storefront: Storefront):
    Certification.objects.filter(product=storefront.cashew).update(decision_date=TODAY - 365 * DAY)  # old news
    honey = make_product(storefront.cashew.producer, name="Mật ong rừng tràm")
    make_stock(make_variant(honey, price=180_000), storefront.showroom, quantity=4)
    _decided(honey, days_ago=3, stars=4, number="DN-2026-0100")  # its first certificate
    _decided(storefront.coffee, days_ago=5, stars=5, supersedes="DN-2025-0005", number="DN-2026-0101")  # a renewal
    upgraded = make_product(storefront.cashew.producer, name="Hạt điều sấy mật ong")
    _decided(upgraded, days_ago=400, stars=3, number="DN-2025-0200")
    _decided(upgraded, days_ago=10, stars=4, supersedes="DN-2025-0200", number="DN-2026-0102")
    old = make_product(name="Trà mãng cầu")
    _decided(old, days_ago=200, stars=4, number="DN-2026-0103")  # certified too long ago

    text = _text(_page(_client("en"), "/newly-certified/"))
    assert text.index("Mật ong rừng tràm") < text.index("Hạt điều sấy mật ong")  # latest decision first
    assert "Upgraded from 3★" in text and "New" in text
    assert "Cà phê Robusta" not in text and "Trà mãng cầu" not in text

    response = _client("en").get("/newly-certified/feed.atom")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    titles = [entry.findtext(f"{ATOM}title") for entry in entries]
    assert titles == ["Mật ong rừng tràm: newly certified, 4★", "Hạt điều sấy mật ong: upgraded to 4★ (from 3★)"]
    assert entries[0].findtext(f"{ATOM}id") == "urn:ocop-dong-nai:certificate:DN-2026-0100"
    assert entries[0].find(f"{ATOM}link").get("href") == f"http://testserver/p/{honey.slug}/"


def test_a_product_delisted_since_is_not_news(storefront: Storefront):
    honey = make_product(name="Mật ong rừng tràm")
    certificate = _decided(honey, days_ago=3, stars=4, number="DN-2026-0100")
    Certification.objects.filter(pk=certificate.pk).update(status="revoked")
    _list(honey)
    assert "Mật ong rừng tràm" not in _text(_page(_client(), "/newly-certified/"))
    assert b"DN-2026-0100" not in _client().get("/newly-certified/feed.atom").content


def test_the_page_reads_a_bounded_number_of_queries(storefront: Storefront, django_assert_max_num_queries):
    for n in range(15):
        product = make_product(name=f"Sản phẩm mới {n:02d}")
        make_stock(make_variant(product, price=50_000 + n), storefront.showroom, quantity=2)
        _decided(product, days_ago=n + 1, stars=3 + n % 3, number=f"DN-2026-{n:04d}")
    with django_assert_max_num_queries(6):  # products, superseded certificates, prices, images, announcements
        assert _client().get("/newly-certified/").status_code == 200
    with django_assert_max_num_queries(5):  # the same without the announcements: not a query per entry
        assert _client().get("/newly-certified/feed.atom").status_code == 200
