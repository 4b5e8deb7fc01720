"""Fairs and events: the list (on now and coming, then past), each event's page, only what is published."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.test import Client
from django.utils import timezone

from marketplace.accounts.models import Role
from marketplace.events.models import Event, EventKind
from tests.factories import make_certification, make_outlet, make_product, make_user
from tests.web import test_storefront_pages
from tests.web.test_storefront_pages import Storefront, _client, _list, _page, _text

storefront = test_storefront_pages.storefront  # the fixture

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def _event(name: str, *, starts: int, days: int = 3, published: bool = True, **kw) -> Event:
    return Event.objects.create(
        name=name,
        slug=name.lower().replace(" ", "-"),
        starts_on=TODAY + starts * DAY,
        ends_on=TODAY + (starts + days - 1) * DAY,
        venue="Quảng trường Tỉnh",
        is_published=published,
        **kw,
    )


def test_the_list_shows_published_events_coming_first_then_past(storefront: Storefront):
    _event("Hoi cho OCOP 2026", starts=-1, kind=EventKind.FAIR)
    _event("Tuan le khuyen mai", starts=10, kind=EventKind.PROMOTION_WEEK)
    _event("Trien lam 2025", starts=-300, kind=EventKind.EXHIBITION)
    _event("Chua cong bo", starts=5, published=False)
    text = _text(_page(_client("en"), "/events/"))
    assert text.index("Hoi cho OCOP 2026") < text.index("Tuan le khuyen mai") < text.index("Past events")
    assert text.index("Past events") < text.index("Trien lam 2025")
    assert "On now" in text and "Chua cong bo" not in text


def test_an_events_page_names_its_producers_products_for_sale_and_booth(storefront: Storefront):
    booth = make_outlet(name="Gian hàng OCOP tại Hội chợ", slug="gian-hang-hoi-cho")
    fair = _event("Hoi cho OCOP 2026", starts=0, booth=booth)
    fair.producers.add(storefront.coffee.producer)
    fair.products.add(storefront.coffee, storefront.delisted)
    html = _page(_client("en"), f"/events/{fair.slug}/")
    text = _text(html)
    assert "HTX Cà phê Xuân Lộc" in text and f'href="/producers/{storefront.coffee.producer.slug}/"' in html
    assert "Xuan Loc Robusta coffee" in text  # for sale
    assert "Chuối sấy dẻo" not in text  # shown at the fair once, not for sale today
    assert 'href="/outlets/gian-hang-hoi-cho/"' in html
    _page(_client(), "/events/khong-co/", status=404)
    hidden = _event("Chua cong bo", starts=5, published=False)
    _page(_client(), f"/events/{hidden.slug}/", status=404)


def test_an_event_must_end_on_or_after_its_first_day(db):
    with pytest.raises(IntegrityError):
        _event("Sai ngay", starts=5, days=-1)


def test_the_event_pages_read_a_bounded_number_of_queries(storefront: Storefront, django_assert_max_num_queries):
    fair = _event("Hoi cho OCOP 2026", starts=0)
    for n in range(10):
        _event(f"Su kien {n}", starts=n * 7)
        product = make_product(name=f"San pham {n}")
        make_certification(product, stars=4)
        _list(product)
        fair.products.add(product)
        fair.producers.add(product.producer)
    with django_assert_max_num_queries(2):  # coming, past
        assert _client().get("/events/").status_code == 200
    with django_assert_max_num_queries(6):  # the event and booth, its products, prices, images, producers
        assert _client().get(f"/events/{fair.slug}/").status_code == 200


def test_a_booths_days_must_be_the_events(db):
    booth = make_outlet(collects_from=TODAY, collects_until=TODAY + DAY)
    fair = Event(
        name="Hội chợ", slug="hoi-cho", starts_on=TODAY, ends_on=TODAY + 2 * DAY, venue="Biên Hòa", booth=booth
    )
    with pytest.raises(ValidationError) as wrong:
        fair.full_clean()
    assert "booth" in wrong.value.message_dict
    booth.collects_until = TODAY + 2 * DAY
    booth.save()
    fair.full_clean()


def test_trade_staff_see_the_events_in_their_console_with_links_to_edit_them(db):
    draft = _event("Chua cong bo", starts=5, published=False)
    client = Client()
    client.force_login(make_user(Role.TRADE_STAFF))
    html = client.get("/trade/events/").content.decode()
    assert "Chua cong bo" in html and f'href="/admin/events/event/{draft.pk}/change/"' in html
    assert client.get(f"/admin/events/event/{draft.pk}/change/").status_code == 200  # their back office rights


def test_an_events_page_links_to_the_map_at_its_venue(db):
    fair = _event("Hoi cho", starts=0, latitude=10.9573, longitude=106.8032)
    html = _page(_client(), f"/events/{fair.slug}/")
    assert 'href="https://www.openstreetmap.org/?mlat=10.95730&amp;mlon=106.80320#map=16/10.95730/106.80320"' in html


def test_the_consoles_events_page_reads_a_bounded_number_of_queries(db, django_assert_max_num_queries):
    for n in range(12):
        _event(f"Su kien {n}", starts=n, booth=make_outlet())
    client = Client()
    client.force_login(make_user(Role.TRADE_STAFF))
    with django_assert_max_num_queries(5):  # the session, the user, the count, the page of events with booths
        assert client.get("/trade/events/").status_code == 200
