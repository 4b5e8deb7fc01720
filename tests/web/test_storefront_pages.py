"""The consumer pages: home, catalogue (the product search), provenance, verifying a certificate, reporting misuse."""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass
from html import unescape

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from marketplace.catalogue.models import Category, Product, ProductMedia, ProductVariant
from marketplace.catalogue.services import products_refresh_listing
from marketplace.certification.models import Certification, CertificationStatus, MisuseReport
from marketplace.channel.services import channel_ensure_default
from marketplace.outlets.models import Outlet, OutletKind
from search.indexing import search_index_products
from tests.factories import make_certification, make_outlet, make_producer, make_product, make_stock, make_variant
from web.provenance import qr_svg

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


@dataclass
class Storefront:
    coffee: Product  # 5 stars, listed, two variants, stock at two outlets, a photo
    cashew: Product  # 4 stars, listed
    delisted: Product  # its certificate expired; an older one before it
    coffee_variant: ProductVariant
    tourist_site: Outlet
    showroom: Outlet
    food: Category
    drinks: Category
    coffee_certificate: Certification
    expired_certificate: Certification


def _group(code: str, name: str, name_en: str) -> Category:
    return Category.objects.create(
        kind=Category.Kind.GROUP, scheme="2023", code=code, name=name, name_en=name_en, slug=f"group-{code.lower()}"
    )


def _list(*products: Product) -> None:
    products_refresh_listing(product_ids=[p.pk for p in products], trigger="staff")
    search_index_products(product_ids=[p.pk for p in products])


@pytest.fixture
def storefront(db) -> Storefront:
    channel_ensure_default()
    food, drinks = _group("I", "Thực phẩm", "Food"), _group("II", "Đồ uống", "Drinks")
    tourist_site = make_outlet(
        name="Khu du lịch Bửu Long",
        name_en="Buu Long tourist area",
        kind=OutletKind.TOURIST_SITE,
        commune="Phường Trấn Biên",
        opening_hours="7:00–17:00 hằng ngày",
        opening_hours_en="7:00 am–5:00 pm daily",
        latitude=10.9573,
        longitude=106.8032,
    )
    showroom = make_outlet(name="Trung tâm OCOP Biên Hòa", kind=OutletKind.SHOWROOM, commune="Phường Biên Hòa")
    make_outlet(name="Kho riêng HTX", kind=OutletKind.PRODUCER_WAREHOUSE)

    xuan_loc = make_producer(
        name="HTX Cà phê Xuân Lộc",
        phone="0251 3871 234",
        email="htx@xuanloc.example",
        commune_today="Xã Xuân Lộc",
        address_line="Ấp 3",
        address_commune="Xã Xuân Hiệp",
        address_district="Huyện Xuân Lộc",
        address_province="Tỉnh Đồng Nai",
    )
    coffee = make_product(xuan_loc, name="Cà phê Robusta Xuân Lộc", name_en="Xuan Loc Robusta coffee", group=drinks)
    old = make_certification(
        coffee,
        stars=3,
        valid_from=TODAY - 4 * 365 * DAY,
        status=CertificationStatus.SUPERSEDED,
        certificate_id="DN-OLD-1",
    )
    coffee_certificate = make_certification(
        coffee, stars=5, valid_from=TODAY - 30 * DAY, supersedes=old.certificate_id, certificate_id="DN-2025-0005"
    )
    coffee_variant = make_variant(coffee, price=150_000, name="Túi 500 g", sort_order=0)
    gift = make_variant(coffee, price=320_000, name="Hộp quà", sort_order=1)
    make_stock(coffee_variant, tourist_site, quantity=12, quantity_allocated=2)
    make_stock(gift, showroom, quantity=3)
    ProductMedia.objects.create(
        product=coffee,
        source=ProductMedia.Source.PRODUCER,
        status=ProductMedia.Status.READY,
        image=f"products/{coffee.pk}/1.webp",
        renditions={"256": f"products/{coffee.pk}/1-256.webp", "512": f"products/{coffee.pk}/1-512.webp"},
    )

    cashew = make_product(make_producer(name="HTX Điều Bình Phước"), name="Hạt điều rang muối", group=food)
    make_certification(cashew, stars=4)
    make_stock(make_variant(cashew, price=220_000), showroom, quantity=5)

    delisted = make_product(make_producer(name="Cơ sở Chuối sấy"), name="Chuối sấy dẻo", group=food)
    make_certification(delisted, stars=4, valid_from=TODAY - 6 * 365 * DAY, certificate_id="DN-OLDER-2")
    make_stock(make_variant(delisted, price=60_000), tourist_site, quantity=9)
    _list(coffee, cashew, delisted)
    expired_certificate = make_certification(
        delisted, stars=4, valid_from=TODAY - (3 * 365 - 10) * DAY, certificate_id="DN-2022-0042"
    )
    _list(delisted)  # listed under DN-2022-0042 …
    Certification.objects.filter(pk=expired_certificate.pk).update(valid_until=TODAY - 5 * DAY)
    _list(delisted)  # … which expired five days ago: delisted, and out of the index
    for product in (coffee, cashew, delisted):
        product.refresh_from_db()
    assert (coffee.listing_state, cashew.listing_state, delisted.listing_state) == ("listed", "listed", "delisted")
    return Storefront(
        coffee=coffee,
        cashew=cashew,
        delisted=delisted,
        coffee_variant=coffee_variant,
        tourist_site=tourist_site,
        showroom=showroom,
        food=food,
        drinks=drinks,
        coffee_certificate=coffee_certificate,
        expired_certificate=expired_certificate,
    )


def _client(language: str = "vi", **kwargs) -> Client:
    client = Client(**kwargs)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _page(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.content[:1000]
    return response.content.decode()


def _text(html: str) -> str:
    """The page's text, tags removed and white space collapsed (for phrases split across lines)."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


# The home page


@pytest.mark.parametrize(
    ("language", "heading", "count"),
    [("vi", "Sản phẩm 5 sao", "1 sản phẩm"), ("en", "5-star products", "1 product")],
)
def test_home_shows_five_star_products_groups_and_outlets(storefront, language, heading, count):
    html = _page(_client(language), "/")
    text = _text(html)

    assert f'<html lang="{language}">' in html
    assert heading in text
    assert "Cà phê Robusta Xuân Lộc" in text or "Xuan Loc Robusta coffee" in text
    assert "Hạt điều rang muối" not in text  # 4 stars: not featured
    assert "Chuối sấy dẻo" not in text  # delisted
    assert f'href="/p/{storefront.coffee.slug}/"' in html
    assert f"/media/products/{storefront.coffee.pk}/1-256.webp" in html  # the small rendition
    assert f'?group={storefront.drinks.pk}"' in html and f'?group={storefront.food.pk}"' in html
    assert count in text  # each group holds one listed product (the delisted banana not counted)
    assert "Khu du lịch Bửu Long" in text or "Buu Long tourist area" in text
    assert "Trung tâm OCOP Biên Hòa" in text
    assert "Kho riêng HTX" not in text  # a producer's warehouse is not a place to visit
    assert "mlat=10.95730&amp;mlon=106.80320" in html
    assert ("7:00 am–5:00 pm daily" if language == "en" else "7:00–17:00 hằng ngày") in text


# The catalogue


@pytest.mark.parametrize(("language", "word"), [("vi", "Sắp xếp"), ("en", "Sort by")])
def test_the_catalogue_lists_only_what_is_for_sale(storefront, language, word):
    html = _page(_client(language), "/products/")
    text = _text(html)
    assert word in text
    for product in (storefront.coffee, storefront.cashew):
        assert f'href="/p/{product.slug}/"' in html
    assert ("Xuan Loc Robusta coffee" if language == "en" else storefront.coffee.name) in text  # its English name
    assert storefront.delisted.name not in text and storefront.delisted.slug not in html
    assert "2 " in text
    assert 'alt="Cà phê Robusta Xuân Lộc"' in html


def test_search_words_and_facets(storefront):
    client = _client("vi")
    text = _text(_page(client, "/products/?q=ca+phe"))
    assert storefront.coffee.name in text and storefront.cashew.name not in text
    assert "Sản phẩm khớp với “ca phe”" in text

    html = _page(client, f"/products/?group={storefront.food.pk}")
    assert storefront.cashew.name in html and storefront.coffee.name not in html
    assert re.search(rf'name="group" value="{storefront.food.pk}"[^>]*checked', html)
    assert "Thực phẩm" in _text(html)
    assert "Food" in _text(_page(_client("en"), "/products/"))  # the group facet in English

    html = _page(client, "/products/?stars=5")
    assert storefront.coffee.name in html and storefront.cashew.name not in html

    html = _page(client, f"/products/?outlet={storefront.showroom.pk}")
    assert storefront.coffee.name in html and storefront.cashew.name in html
    html = _page(client, f"/products/?outlet={storefront.tourist_site.pk}")
    assert storefront.coffee.name in html and storefront.cashew.name not in html

    html = _page(client, "/products/?price_min=200000")
    assert storefront.cashew.name in html and storefront.coffee.name not in html

    html = _page(client, "/products/?commune=Ph%C6%B0%E1%BB%9Dng+T%C3%A2n+Tri%E1%BB%81u")  # the factories' default
    assert storefront.cashew.name in html and storefront.coffee.name not in html

    html = _page(client, "/products/?sort=-price")
    assert html.index(storefront.cashew.name) < html.index(storefront.coffee.name)
    html = _page(client, "/products/?sort=price")
    assert html.index(storefront.coffee.name) < html.index(storefront.cashew.name)

    # Nonsense in the query string is ignored, not an error.
    html = _page(client, "/products/?stars=x&group=y&page=-3&sort=sideways&price_min=cheap")
    assert storefront.coffee.name in html and storefront.cashew.name in html


def test_a_search_that_finds_only_similar_names_says_so(storefront):
    english = _text(_page(_client("en"), "/products/?q=hat+deiu"))  # a typo of "hạt điều"
    vietnamese = _text(_page(_client("vi"), "/products/?q=hat+deiu"))

    assert "No products found for “hat deiu”. Products with similar names:" in english
    assert storefront.cashew.name in english and storefront.coffee.name not in english
    assert "Products matching" not in english
    assert "Sản phẩm khớp với" not in vietnamese and storefront.cashew.name in vietnamese


def test_a_search_for_what_is_not_sold_shows_nothing_rather_than_look_alikes(storefront):
    for words in ("mật ong", "mat ong", "honey", "bưởi"):  # none listed: no "similar" cashew or coffee either
        text = _text(_page(_client("vi"), f"/products/?q={words}"))
        assert storefront.cashew.name not in text and storefront.coffee.name not in text, words
        assert "Sản phẩm khớp với" in text  # the page names the words; nothing under them
    english = _text(_page(_client("en"), "/products/?q=cashews"))
    assert storefront.cashew.name in english and "Products matching “cashews”" in english


@pytest.mark.parametrize(("language", "hint"), [("vi", "Hạt điều, cà phê…"), ("en", "Cashews, coffee…")])
def test_the_search_box_suggests_kinds_that_are_listed(storefront, language, hint):
    html = _page(_client(language), "/")

    assert f'placeholder="{hint}"' in html  # what the storefront lists, in the vocabulary's order
    assert "pomelo" not in html.lower()


def test_the_catalogue_pages(storefront, settings):
    from web import forms

    for n in range(30):
        product = make_product(name=f"Mật ong rừng {n:02d}")
        make_certification(product, stars=3)
        make_variant(product, price=90_000)
        _list(product)
    client = _client("en")
    first = _page(client, "/products/?q=mat+ong&sort=stars")
    assert f"Page 1 of {-(-30 // forms.PAGE_SIZE)}" in _text(first)
    assert 'href="?q=mat+ong&amp;sort=stars&amp;page=2"' in first
    second = _page(client, "/products/?q=mat+ong&sort=stars&page=2")
    assert "Mật ong rừng" in second and 'rel="prev"' in second


def test_home_and_catalogue_read_a_bounded_number_of_queries(storefront, django_assert_max_num_queries):
    for n in range(25):
        product = make_product(name=f"Trà mãng cầu {n:02d}")
        make_certification(product, stars=4)
        for _ in range(2):
            make_stock(make_variant(product, price=50_000 + n), make_outlet(), quantity=3)
        ProductMedia.objects.create(
            product=product,
            source="producer",
            status="ready",
            image=f"p/{n}.webp",
            renditions={"256": f"p/{n}-256.webp"},
        )
        _list(product)
    client = _client("en")
    with django_assert_max_num_queries(7):  # featured ids and group counts (then cached), cards, groups, outlets
        assert client.get("/").status_code == 200
    # The gate over the page's ids, the products, prices, images, and the English names of groups and outlets.
    for url in ("/products/", "/products/?q=tra", f"/products/?group={storefront.food.pk}&stars=4&sort=price"):
        with django_assert_max_num_queries(8):
            assert client.get(url).status_code == 200


# The provenance page


@pytest.mark.parametrize(("language", "phrase"), [("vi", "Lịch sử xếp hạng"), ("en", "Rating history")])
def test_the_provenance_page_of_a_product_for_sale(storefront, language, phrase):
    html = _page(_client(language), f"/p/{storefront.coffee.slug}/")
    text = _text(html)
    assert phrase in text
    # Price, and stock by outlet (available = quantity − allocated).
    assert ("150,000 VND" if language == "en" else "150.000 ₫") in text
    # Packs in the page's language (issue 16 §3: "Hũ 500 g" was left in Vietnamese on English pages).
    bag, gift_box = ("Bag 500 g", "Gift box") if language == "en" else ("Túi 500 g", "Hộp quà")
    assert re.search(rf"(Khu du lịch Bửu Long|Buu Long tourist area).*?{bag} 10\b", text)
    assert re.search(rf"Trung tâm OCOP Biên Hòa.*?{gift_box} 3\b", text)
    # The current certificate and the history, newest first.
    for value in ("DN-2025-0005", "UBND tỉnh Đồng Nai", storefront.coffee_certificate.decision_number):
        assert value in text
    assert text.index("DN-2025-0005", text.index(phrase)) < text.index("DN-OLD-1")
    # The producer and where it is made: today and as certified.
    assert "HTX Cà phê Xuân Lộc" in text and 'href="tel:02513871234"' in html
    assert "htx@xuanloc.example" in text
    assert "Xã Xuân Lộc, Tỉnh Đồng Nai" in text
    assert "Ấp 3, Xã Xuân Hiệp, Huyện Xuân Lộc, Tỉnh Đồng Nai" in text
    # Photos at the page's rendition with the product's name; the QR code.
    assert f'src="/media/products/{storefront.coffee.pk}/1-512.webp" alt="Cà phê Robusta Xuân Lộc"' in html
    assert f'src="/p/{storefront.coffee.slug}/qr.svg"' in html
    # Add to cart: a POST to /cart/add/ with variant_id and quantity, CSRF-protected.
    form = re.search(r'<form method="post" action="/cart/add/".*?</form>', html, re.S).group(0)
    assert 'name="csrfmiddlewaretoken"' in form
    assert f'<option value="{storefront.coffee_variant.pk}">' in form and 'name="quantity"' in form
    assert 'name="variant_id"' in form
    assert "noindex" not in html


def test_a_product_not_for_sale_keeps_its_provenance_without_a_cart(storefront):
    html = _page(_client("en"), f"/p/{storefront.delisted.slug}/")
    text = _text(html)
    assert "Not for sale" in text
    assert "Reason: Certificate expired" in text
    assert "/cart/add/" not in html and "Add to cart" not in text
    assert "60,000" not in text  # no price, no stock
    assert "DN-2022-0042" in text and "DN-OLDER-2" in text  # the history stays
    assert '<meta name="robots" content="noindex">' in html
    assert "offers" not in _json_ld(html)

    vi = _text(_page(_client("vi"), f"/p/{storefront.delisted.slug}/"))
    assert "Không bán" in vi and "Giấy chứng nhận hết hạn" in vi


@pytest.mark.parametrize(
    "change",
    [
        {"valid_until": -1},  # expired at midnight; the daily task has not delisted it yet
        {"status": CertificationStatus.REVOKED},
        {"stars": 2},
        {"valid_from": 1},  # not valid before tomorrow
    ],
)
def test_a_product_still_marked_listed_is_not_for_sale_the_moment_the_gate_refuses_it(storefront, change):
    product = storefront.coffee
    today = timezone.localdate()
    fields = {
        key: today + datetime.timedelta(days=value) if key in ("valid_until", "valid_from") else value
        for key, value in change.items()
    }
    Certification.objects.filter(pk=product.current_certification_id).update(**fields)
    assert Product.objects.get(pk=product.pk).listing_state == "listed"

    html = _page(_client("en"), f"/p/{product.slug}/")

    assert "Not for sale" in _text(html) and "Add to cart" not in _text(html)


def test_unknown_products_are_not_found_and_the_api_address_redirects(storefront):
    client = _client("en")
    _page(client, "/p/no-such-product/", status=404)
    _page(client, "/p/no-such-product/qr.svg", status=404)
    response = client.get(f"/products/{storefront.coffee.slug}/")
    assert response.status_code == 301 and response.url == f"/p/{storefront.coffee.slug}/"


def _json_ld(html: str) -> dict:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(found.group(1))


def test_the_structured_data(storefront):
    data = _json_ld(_page(_client("en"), f"/p/{storefront.coffee.slug}/"))
    assert data["@context"] == "https://schema.org" and data["@type"] == "Product"
    assert data["name"] == "Cà phê Robusta Xuân Lộc"
    assert data["url"] == f"http://testserver/p/{storefront.coffee.slug}/"
    assert data["brand"] == {"@type": "Brand", "name": "HTX Cà phê Xuân Lộc"}
    assert data["countryOfOrigin"] == {"@type": "Country", "name": "VN"}
    assert data["image"] == [f"http://testserver/media/products/{storefront.coffee.pk}/1.webp"]  # no 1024 rendition
    offers = {offer["sku"]: offer for offer in data["offers"]}
    assert offers[storefront.coffee_variant.sku] == {
        "@type": "Offer",
        "sku": storefront.coffee_variant.sku,
        "name": "Túi 500 g",
        "price": "150000",
        "priceCurrency": "VND",
        "availability": "https://schema.org/InStock",
        "url": data["url"],
    }
    assert {offer["price"] for offer in data["offers"]} == {"150000", "320000"}


def test_the_qr_code_is_an_svg_of_the_page_address(storefront):
    response = _client().get(f"/p/{storefront.coffee.slug}/qr.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in response.content and b'xmlns="http://www.w3.org/2000/svg"' in response.content
    assert response.content == qr_svg(f"http://testserver/p/{storefront.coffee.slug}/")


def test_the_provenance_page_reads_a_bounded_number_of_queries(storefront, django_assert_max_num_queries):
    coffee = storefront.coffee
    for n in range(12):
        make_certification(coffee, stars=3 + n % 3, valid_from=TODAY - (400 + 365 * n) * DAY, status="expired")
        variant = make_variant(coffee, price=100_000 + n)
        for _ in range(3):
            make_stock(variant, make_outlet(), quantity=4)
        ProductMedia.objects.create(product=coffee, source="producer", status="ready", image=f"p/c{n}.webp")
    client = _client("en")
    # The product, its certificates, images, the gate; variants, prices, stock (only while for sale).
    with django_assert_max_num_queries(7):
        assert client.get(f"/p/{coffee.slug}/").status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get(f"/p/{storefront.delisted.slug}/").status_code == 200


# Escaping


def test_registry_and_producer_text_is_shown_as_text(storefront):
    hostile = make_producer(name='HTX <img src=x onerror="alert(1)">', phone="<b>0251</b>")
    product = make_product(
        hostile,
        name="Trà </script><script>alert('name')</script>",
        description="<b>Ngon</b> & <script>alert('description')</script>",
        group=storefront.food,
    )
    make_certification(product, stars=5, issuer="<i>UBND</i>")
    make_stock(make_variant(product, price=80_000, name="<u>Hộp</u>"), storefront.showroom, quantity=2)
    _list(product)

    for url in (
        f"/p/{product.slug}/",
        "/",
        "/products/?q=tra",
        f"/verify/{product.certifications.get().certificate_id}/",
    ):
        html = _page(_client("en"), url)
        assert "<script>alert" not in html
        assert "<img src=x" not in html and "<b>0251</b>" not in html and "<i>UBND</i>" not in html
        assert "<u>Hộp</u>" not in html
    html = _page(_client("en"), f"/p/{product.slug}/")
    assert "Trà &lt;/script&gt;&lt;script&gt;alert(&#x27;name&#x27;)&lt;/script&gt;" in html
    assert "&lt;b&gt;Ngon&lt;/b&gt; &amp; &lt;script&gt;" in html
    assert "HTX &lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    data = _json_ld(html)  # one script element, closed where it should be, the name intact inside
    assert data["name"] == "Trà </script><script>alert('name')</script>"
    assert data["brand"]["name"] == 'HTX <img src=x onerror="alert(1)">'
    assert html.count("</script>") == 1


# Verifying a certificate


def test_the_verify_form_sends_to_the_certificate_page(storefront):
    for language, phrase in (("vi", "Tra cứu giấy chứng nhận"), ("en", "Check a certificate")):
        html = _page(_client(language), "/verify/")
        assert phrase in _text(html) and 'name="certificate_id"' in html
    response = _client().get("/verify/", {"certificate_id": "  dn-2025-0005 "})
    assert response.status_code == 302 and response.url == "/verify/dn-2025-0005/"
    # Typed in lower case, it is found all the same.
    assert "Valid today" in _text(_page(_client("en"), "/verify/dn-2025-0005/"))


@pytest.mark.parametrize(
    ("change", "verdict", "phrase"),
    [
        ({}, "Valid today", "This certificate is valid today."),
        ({"valid_until": TODAY - DAY}, "Expired", "This certificate has expired."),
        ({"status": "revoked"}, "Revoked", "has been revoked"),
        ({"status": "suspended"}, "Suspended", "is suspended"),
        ({"stars": 2}, "Below 3 stars", "rated below 3 stars"),
        ({"valid_from": TODAY + DAY, "decision_date": TODAY + DAY}, "Not valid yet", "not valid yet"),
    ],
)
def test_verify_says_what_a_certificate_is_worth_today(storefront, change, verdict, phrase):
    Certification.objects.filter(pk=storefront.coffee_certificate.pk).update(**change)  # the registry still says active
    html = _page(_client("en"), "/verify/DN-2025-0005/")
    text = _text(html)
    assert f"Status {verdict}" in text and phrase in text
    assert f'href="/p/{storefront.coffee.slug}/"' in html  # the product it belongs to
    assert "HTX Cà phê Xuân Lộc" in text


def test_verify_an_expired_certificate_and_an_unknown_one_in_vietnamese(storefront):
    text = _text(_page(_client("vi"), "/verify/DN-2022-0042/"))
    assert "Hết hạn" in text and "Chuối sấy dẻo" in text
    html = _page(_client("vi"), "/verify/DN-9999-0000/")
    assert "Không tìm thấy giấy chứng nhận" in _text(html) and 'name="place"' in html
    assert "Unknown certificate" in _text(_page(_client("en"), "/verify/DN-9999-0000/"))


# Reporting a misuse


def _report(client: Client, certificate_id: str, address: str = "10.1.1.1", **fields):
    data = {"place": "Chợ Biên Hòa, sạp 12", "description": "Nhãn OCOP 5 sao trên gói cà phê.", **fields}
    return client.post(f"/verify/{certificate_id}/", data, REMOTE_ADDR=address)


def test_a_misuse_report_is_saved_and_thanked_for(storefront):
    client = _client("en")
    response = _report(client, "DN-2022-0042", reporter_name="Lan", reporter_contact="lan@example.test")
    assert response.status_code == 302 and response.url == "/verify/DN-2022-0042/"
    report = MisuseReport.objects.get()
    assert report.certification == storefront.expired_certificate and report.product == storefront.delisted
    assert (report.place, report.reporter_name, report.reporter_contact, report.language_code) == (
        "Chợ Biên Hòa, sạp 12",
        "Lan",
        "lan@example.test",
        "en",
    )
    assert "Thank you" in _text(client.get(response.url).content.decode())

    _report(_client("vi"), "FAKE-123")
    unknown = MisuseReport.objects.get(certificate_id="FAKE-123")
    assert unknown.certification is None and unknown.product is None and unknown.language_code == "vi"


def test_a_report_needs_a_place_and_a_description(storefront):
    response = _report(_client("en"), "DN-2022-0042", place="", description="")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html and "This field is required." in html
    assert not MisuseReport.objects.exists()


def test_reports_are_rate_limited_per_address(storefront, settings):
    settings.OCOP_MISUSE_REPORTS_PER_WINDOW = 3
    client = _client("en")
    for _ in range(3):
        assert _report(client, "DN-2022-0042").status_code == 302
    refused = _report(client, "DN-2022-0042")
    assert refused.status_code == 429 and "Too many reports" in refused.content.decode()
    assert MisuseReport.objects.count() == 3
    assert _report(client, "DN-2022-0042", address="10.1.1.2").status_code == 302  # another address


def test_the_forms_have_csrf_protection(storefront):
    client = _client("en", enforce_csrf_checks=True)
    assert _report(client, "DN-2022-0042").status_code == 403
    assert not MisuseReport.objects.exists()
    html = _page(client, "/verify/DN-2022-0042/")
    assert re.search(r'<form method="post"[^>]*>\s*<input type="hidden" name="csrfmiddlewaretoken"', html)
