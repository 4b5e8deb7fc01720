"""The pages of places and makers: the outlet directory, an outlet's page, a producer's page."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from marketplace.outlets.models import CollectionPointOption, OpeningPeriod, OutletKind
from tests.factories import make_certification, make_outlet, make_producer, make_product, make_stock, make_variant
from tests.web import test_storefront_pages
from tests.web.test_storefront_pages import Storefront, _client, _json_ld, _list, _page, _text

storefront = test_storefront_pages.storefront  # the fixture
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
T = datetime.time


def _open(outlet, opens: int = 7, closes: int = 17, days=range(7)) -> None:
    """`outlet` open from `opens` to `closes` o'clock on `days`."""
    OpeningPeriod.objects.bulk_create(
        OpeningPeriod(outlet=outlet, weekday=day, opens=T(opens), closes=T(closes)) for day in days
    )


@pytest.fixture
def places(storefront: Storefront, monkeypatch) -> Storefront:
    """The storefront with opening hours, at 9:00 on Monday 7 December 2026 in Vietnam."""
    _open(storefront.tourist_site)
    _open(storefront.showroom, opens=13, days=range(5))
    make_outlet(name="Điểm bán đã đóng cửa", is_active=False)
    make_outlet(name="Kho không nhận khách", click_and_collect_option=CollectionPointOption.DISABLED)
    monday_morning = datetime.datetime(2026, 12, 7, 9, tzinfo=VIETNAM)
    monkeypatch.setattr(timezone, "now", lambda: monday_morning)
    return storefront


@pytest.mark.parametrize(
    ("language", "open_now", "closed_now"),
    [
        ("vi", "Đang mở cửa đến 17:00", "Đang đóng cửa mở cửa hôm nay lúc 13:00"),
        ("en", "Open now until 17:00", "Closed now opens today at 13:00"),
    ],
)
def test_the_directory_lists_visitable_outlets_by_kind_open_now_or_not(places, language, open_now, closed_now):
    html = _page(_client(language), "/outlets/")
    text = _text(html)
    showroom_at, tourist_at = (
        text.index(places.showroom.name),
        text.index(places.tourist_site.name_en if language == "en" else places.tourist_site.name),
    )
    assert showroom_at < tourist_at  # showrooms first
    assert open_now in text[tourist_at:] and closed_now in text[showroom_at:tourist_at]
    assert "Điểm bán đã đóng cửa" not in text and "Kho không nhận khách" not in text
    assert f'href="/outlets/{places.tourist_site.slug}/"' in html
    assert "https://www.openstreetmap.org/?mlat=10.95730&amp;mlon=106.80320#map=16/10.95730/106.80320" in html
    assert "<script src" not in html  # the map is a link, no external script


@pytest.mark.parametrize("language", ["vi", "en"])
def test_an_outlet_page_shows_how_to_visit_and_what_it_holds_today(places, language):
    html = _page(_client(language), f"/outlets/{places.tourist_site.slug}/")
    text = _text(html)
    assert ("Buu Long tourist area" if language == "en" else "Khu du lịch Bửu Long") in text
    assert ("Monday – Sunday 07:00–17:00" if language == "en" else "Thứ Hai – Chủ Nhật 07:00–17:00") in text
    assert (places.coffee.name_en if language == "en" else places.coffee.name) in text  # in stock here, for sale
    assert "Chuối sấy dẻo" not in text  # in stock here, but its certificate expired
    assert "Hạt điều rang muối" not in text  # for sale, but held at the showroom only
    assert f'href="/p/{places.coffee.slug}/"' in html


def test_an_outlet_page_searches_what_it_holds(places):
    url = f"/outlets/{places.showroom.slug}/"
    assert places.cashew.name in _text(_page(_client(), url + "?q=hat+dieu"))
    text = _text(_page(_client(), url + "?q=ca+phe+robusta"))
    assert places.coffee.name in text and places.cashew.name not in text  # the gift box is at the showroom
    html = _page(_client("en"), url + "?q=mat+ong")
    assert "No product matches" in _text(html) and 'name="robots" content="noindex"' in html


def test_an_outlet_page_carries_a_schema_org_store_with_its_hours(places):
    data = _json_ld(_page(_client("en"), f"/outlets/{places.showroom.slug}/"))
    assert data["@type"] == "Store" and data["name"] == places.showroom.name
    assert data["url"] == f"http://testserver/outlets/{places.showroom.slug}/"
    assert data["address"] == {
        "@type": "PostalAddress",
        "addressCountry": "VN",
        "addressLocality": "Phường Biên Hòa",
        "addressRegion": places.showroom.province,
    }
    assert data["openingHoursSpecification"] == [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
            "opens": "13:00",
            "closes": "17:00",
        }
    ]


def test_outlets_that_take_no_visitors_have_no_page(places):
    for outlet in (make_outlet(is_active=False), make_outlet(click_and_collect_option=CollectionPointOption.DISABLED)):
        _page(_client(), f"/outlets/{outlet.slug}/", status=404)
    _page(_client(), "/outlets/no-such-outlet/", status=404)


@pytest.mark.parametrize(("language", "phrase"), [("vi", "Lịch sử xếp hạng"), ("en", "Rating history")])
def test_a_producer_page_shows_its_products_for_sale_and_its_rating_history(places, language, phrase):
    producer = places.coffee.producer
    html = _page(_client(language), f"/producers/{producer.slug}/")
    text = _text(html)
    assert producer.name in text and "Xã Xuân Lộc, Tỉnh Đồng Nai" in text
    assert "Ấp 3, Xã Xuân Hiệp, Huyện Xuân Lộc, Tỉnh Đồng Nai" in text  # the address as certified
    assert f'href="/p/{places.coffee.slug}/"' in html
    history = text[text.index(phrase) :]
    assert history.index("DN-2025-0005") < history.index("DN-OLD-1")  # latest decision first
    assert "noindex" not in html
    data = _json_ld(html)
    assert data["@type"] == "Organization" and data["name"] == producer.name
    assert data["makesOffer"] == [
        {"@type": "Offer", "itemOffered": {"@type": "Product", "url": f"http://testserver/p/{places.coffee.slug}/"}}
    ]


def test_a_producer_with_nothing_for_sale_keeps_its_page_out_of_search_engines(places):
    html = _page(_client("en"), f"/producers/{places.delisted.producer.slug}/")
    text = _text(html)
    assert "None of its products is for sale today" in text
    assert "DN-2022-0042" in text and "Expired" in text  # its history stays
    assert 'name="robots" content="noindex"' in html
    _page(_client(), "/producers/no-such-producer/", status=404)


def test_product_producer_and_outlet_pages_link_to_each_other(places):
    html = _page(_client(), f"/p/{places.coffee.slug}/")
    assert f'href="/producers/{places.coffee.producer.slug}/"' in html
    assert f'href="/outlets/{places.tourist_site.slug}/"' in html and f'href="/outlets/{places.showroom.slug}/"' in html
    assert 'href="/outlets/"' in _page(_client(), "/")


def test_the_new_pages_read_a_bounded_number_of_queries(places, django_assert_max_num_queries):
    producer = places.coffee.producer
    for n in range(12):
        outlet = make_outlet(kind=[OutletKind.SHOWROOM, OutletKind.TOURIST_SITE][n % 2], producer=None)
        _open(outlet)
        product = make_product(producer, name=f"Cà phê hạt {n:02d}")
        make_certification(product, stars=3 + n % 3)
        make_stock(make_variant(product, price=90_000 + n), places.tourist_site, quantity=4)
        _list(product)
    client = _client("en")
    with django_assert_max_num_queries(2):  # the outlets, their hours
        assert client.get("/outlets/").status_code == 200
    # The outlet with its producer and hours; the search's page and count; the gate, products, prices, images;
    # the English names of the groups.
    with django_assert_max_num_queries(8):
        assert client.get(f"/outlets/{places.tourist_site.slug}/").status_code == 200
    # The producer; its listed products, their prices and images; its certificates; its own outlets.
    with django_assert_max_num_queries(6):
        assert client.get(f"/producers/{producer.slug}/").status_code == 200


def test_a_producer_of_another_name_is_not_mixed_in(places):
    other = make_producer(name="HTX Cà phê Long Khánh")
    product = make_product(other, name="Cà phê Long Khánh")
    make_certification(product, stars=4)
    _list(product)
    text = _text(_page(_client(), f"/producers/{places.coffee.producer.slug}/"))
    assert "Cà phê Long Khánh" not in text


def test_a_fairs_booth_is_listed_until_its_fair_is_over(places):
    today = timezone.localdate()
    booth = make_outlet(
        name="Gian hàng hội chợ", collects_from=today, collects_until=today + datetime.timedelta(days=1)
    )
    assert "Gian hàng hội chợ" in _text(_page(_client(), "/outlets/"))
    type(booth).objects.filter(pk=booth.pk).update(
        collects_from=today - datetime.timedelta(days=3), collects_until=today - datetime.timedelta(days=1)
    )
    assert "Gian hàng hội chợ" not in _text(_page(_client(), "/outlets/"))
    _page(_client(), f"/outlets/{booth.slug}/", status=404)
