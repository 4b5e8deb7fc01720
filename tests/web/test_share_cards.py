"""Share cards: OpenGraph and Twitter tags on public pages, and the image a link preview shows, drawn once."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from marketplace.catalogue.models import ProductMedia
from tests.factories import make_certification
from tests.web import test_storefront_pages
from tests.web.test_storefront_pages import Storefront, _client, _list, _page
from web import share_image

storefront = test_storefront_pages.storefront  # the fixture


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    return tmp_path


def _meta(html: str) -> dict[str, str]:
    return dict(re.findall(r'<meta (?:property|name)="((?:og|twitter):[^"]+)" content="([^"]*)">', html))


def test_a_product_page_carries_its_share_card(storefront: Storefront):
    html = _page(_client("en"), f"/p/{storefront.coffee.slug}/?hl=en")
    meta = _meta(html)
    assert meta["og:title"] == meta["twitter:title"] == "Cà phê Robusta Xuân Lộc"
    assert meta["og:type"] == "product" and meta["og:locale"] == "en_US"
    assert meta["og:url"] == f"http://testserver/p/{storefront.coffee.slug}/?hl=en"
    assert meta["og:image"] == meta["twitter:image"] == f"http://testserver/p/{storefront.coffee.slug}/share.png"
    assert meta["og:description"] == "OCOP 5★ · HTX Cà phê Xuân Lộc · Đồng Nai"
    assert meta["twitter:card"] == "summary_large_image"
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630")


def test_every_public_page_has_one(storefront: Storefront):
    for url in (
        "/",
        "/products/?q=ca+phe",
        "/outlets/",
        f"/outlets/{storefront.showroom.slug}/",
        f"/producers/{storefront.cashew.producer.slug}/",
        "/verify/",
        f"/p/{storefront.delisted.slug}/",
    ):
        meta = _meta(_page(_client(), url))
        assert meta["og:title"] and meta["og:image"].startswith("http://testserver/"), url
        assert meta["og:locale"] == "vi_VN"
    assert _meta(_page(_client(), f"/p/{storefront.delisted.slug}/"))["og:description"].endswith("hôm nay không bán")


def _png(client, url: str) -> Image.Image:
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    return Image.open(io.BytesIO(response.content))


def test_the_share_image_is_drawn_once_and_again_when_what_it_shows_changes(storefront: Storefront, media):
    client, url = _client(), f"/p/{storefront.coffee.slug}/share.png"
    assert _png(client, url).size == (1200, 630)
    stored = sorted((media / "share").iterdir())
    assert len(stored) == 1
    _png(client, url)
    assert sorted((media / "share").iterdir()) == stored  # read, not drawn again

    make_certification(storefront.coffee, stars=4, supersedes=storefront.coffee_certificate.certificate_id)
    _list(storefront.coffee)
    _png(client, url)
    assert len(list((media / "share").iterdir())) == 2  # four stars now: a new card


def test_the_share_image_shows_the_products_photo(storefront: Storefront, media):
    photo = io.BytesIO()
    Image.new("RGB", (800, 600), (200, 30, 30)).save(photo, format="JPEG")
    name = default_storage.save("products/coffee.jpg", ContentFile(photo.getvalue()))
    ProductMedia.objects.filter(product=storefront.coffee).update(image=name)

    card = _png(_client(), f"/p/{storefront.coffee.slug}/share.png").convert("RGB")
    red, green, blue = card.getpixel((300, 300))  # the photo's side
    assert red > 150 and green < 80 and blue < 80
    assert card.getpixel((1100, 20)) == (255, 255, 255)  # the text's side


def test_a_missing_photo_is_drawn_without(storefront: Storefront, media):
    assert share_image.draw(share_image.ShareCard(title="Hạt điều", stars=4, photo="products/gone.jpg"))
    assert _png(_client(), f"/p/{storefront.coffee.slug}/share.png").size == (1200, 630)  # its photo is not stored


def test_unknown_products_have_no_share_image_and_the_site_has_one(storefront: Storefront, media):
    _page(_client(), "/p/khong-co/share.png", status=404)
    assert _png(_client("en"), "/share.png").size == (1200, 630)


def test_the_share_image_reads_the_product_and_its_photos_only(
    storefront: Storefront, media, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):  # the product (with producer and certificate), its photos
        assert _client().get(f"/p/{storefront.coffee.slug}/share.png").status_code == 200
