"""English pages speak English (issue 16 §3): OCOP groups and product sets, packs, the price filter, a product's
English name with its Vietnamese one beneath (not "Dưa lưới … (Inthanol RZ cantaloupe (greenhouse))"), and the
buyer's order status in the buyer's words ("Being prepared", not "Unfulfilled")."""

from __future__ import annotations

import re

import pytest
from django.template import Context, Template
from django.test import Client
from django.utils import translation

from marketplace.catalogue.groups import groups_name_in_english, product_set_name_en
from marketplace.catalogue.models import Category
from marketplace.catalogue.packs import pack_name_en
from marketplace.catalogue.services import products_refresh_listing
from tests.factories import make_certification, make_producer, make_product, make_stock, make_variant
from tests.web.test_portal import coop  # noqa: F401  (the fixture)
from tests.web.test_storefront_pages import _client, _page, _text


@pytest.mark.parametrize(
    ("vietnamese", "english"),
    [
        ("Hũ 500 g", "Jar 500 g"),
        ("Hộp quà 3 hũ", "Gift box 3 jars"),
        ("Hộp 2 quả", "Box 2 fruits"),
        ("Chai 750 ml", "Bottle 750 ml"),
        ("Túi zip 1 kg", "Zip bag 1 kg"),
        ("Loại đặc biệt", "Kind đặc biệt"),
    ],
)
def test_common_pack_words_are_put_in_english(vietnamese, english):
    assert pack_name_en(vietnamese) == english


def test_nothing_known_is_left_to_the_vietnamese():
    assert pack_name_en("Đặc sản Xuân Lộc") == ""


def test_the_product_sets_have_english_names():
    assert product_set_name_en("Cà phê, ca cao") == "Coffee and cocoa"
    assert (
        product_set_name_en("Mật ong, mật khác và nông sản thực phẩm khác")
        == "Honey, other syrups and other farm foods"
    )
    assert product_set_name_en("Chế biến từ rau, củ, quả, hạt") == "Processed vegetables, fruit and nuts"


@pytest.mark.django_db
def test_product_sets_made_before_their_english_name_get_it():
    group = Category.objects.create(kind="group", scheme="2023", code="I", name="Thực phẩm", slug="tp-i")
    made = Category.objects.create(kind="product_set", parent=group, scheme="2023", name="Cà phê, ca cao", slug="cc")
    groups_name_in_english()
    made.refresh_from_db()
    assert made.name_en == "Coffee and cocoa"


@pytest.fixture
def melon(db):
    producer = make_producer(name="HTX Nông nghiệp công nghệ cao")
    food = Category.objects.create(
        kind="group", scheme="2023", code="I", name="Thực phẩm", name_en="Food", slug="thuc-pham-i"
    )
    product = make_product(
        producer,
        name="Dưa lưới Inthanol RZ (trồng nhà màng)",
        name_en="Inthanol RZ cantaloupe (greenhouse)",
        group=food,
        product_set="Rau, củ, quả, hạt tươi",
    )
    make_certification(product, stars=4)
    products_refresh_listing(product_ids=[product.pk], trigger="staff")
    variant = make_variant(product, price=120_000, name="Hộp 2 quả")
    make_stock(variant, quantity=5)
    return product


def test_the_english_provenance_page_names_the_product_group_set_and_pack_in_english(melon):
    html = _page(_client("en"), f"/p/{melon.slug}/")
    text = _text(re.sub(r"<script.*?</script>", "", html, flags=re.S))  # what a reader sees, not the JSON-LD

    assert "<h1>Inthanol RZ cantaloupe (greenhouse)</h1>" in html
    assert '<p class="name-vi" lang="vi">Dưa lưới Inthanol RZ (trồng nhà màng)</p>' in html
    assert "(Inthanol RZ cantaloupe (greenhouse))" not in text
    assert "Food · Fresh vegetables, fruit and nuts" in text
    assert "Box 2 fruits" in text and "Hộp 2 quả" not in text


def test_the_vietnamese_page_keeps_the_vietnamese(melon):
    html = _page(_client("vi"), f"/p/{melon.slug}/")
    assert "<h1>Dưa lưới Inthanol RZ (trồng nhà màng)</h1>" in html and "Hộp 2 quả" in _text(html)


@pytest.mark.django_db
def test_the_price_filter_speaks_english():
    text = _text(_page(_client("en"), "/products/"))
    assert "From (VND)" in text and "To (VND)" in text and "đồng" not in text


@pytest.mark.parametrize(
    ("status", "english"),
    [("unfulfilled", "Being prepared"), ("ready_for_pickup", "Ready for pickup"), ("picked_up", "Collected")],
)
def test_buyers_read_their_orders_status_in_their_words(status, english):
    with translation.override("en"):
        assert Template("{% load cart %}{{ status|buyer_status }}").render(Context({"status": status})) == english


def test_a_producer_names_a_pack_in_english_and_english_pages_use_it(coop):  # noqa: F811
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(coop.user)
    page = client.get(f"/portal/products/{coop.product.pk}/").content.decode()
    assert "Empty: English pages show Bag 500 g." in page

    saved = client.post(f"/portal/products/{coop.product.pk}/packs/", {f"pack_{coop.variant.pk}": " Pouch  500 g "})

    assert saved.status_code == 302 and saved["Location"].endswith("#packs")
    coop.variant.refresh_from_db()
    assert coop.variant.name_en == "Pouch 500 g"
    with translation.override("en"):
        rendered = Template("{% load web %}{{ variant|pack }}").render(Context({"variant": coop.variant}))
    assert rendered == "Pouch 500 g"
