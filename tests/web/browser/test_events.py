"""A fair with a booth in a real browser: a buyer orders from the event's page before the fair for pickup at the
booth; during the fair the booth's staff hand the order over; after it the booth refuses the next one."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from marketplace.events.models import Event
from marketplace.orders.models import Order, OrderStatus
from marketplace.orders.services import order_mark_ready_for_pickup
from marketplace.outlets.models import Outlet
from search.indexing import search_index_products
from tests.factories import make_user
from tests.marketplace.checkout.helpers import Shop
from tests.web.browser.helpers import axe_violations
from tests.web.browser.test_outletdesk import sign_in
from tests.web.test_outletdesk import place

pytestmark = pytest.mark.django_db(transaction=True)

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def _fair_days(booth: Outlet, first: int, last: int) -> None:
    """The fair (and so its booth's days) from `first` to `last` days from today: the days move, not the clock."""
    Outlet.objects.filter(pk=booth.pk).update(collects_from=TODAY + first * DAY, collects_until=TODAY + last * DAY)
    Event.objects.filter(booth=booth).update(starts_on=TODAY + first * DAY, ends_on=TODAY + last * DAY)


def test_order_before_the_fair_collect_at_the_booth_during_it_and_not_after(
    live_server, page: Page, screenshot, shop: Shop
):
    booth = shop.tourist_site
    Outlet.objects.filter(pk=booth.pk).update(name_en="OCOP fair booth")
    fair = Event.objects.create(
        name="Hội chợ OCOP Đồng Nai 2026",
        name_en="Đồng Nai OCOP fair 2026",
        slug="hoi-cho-ocop-2026",
        starts_on=TODAY + 3 * DAY,
        ends_on=TODAY + 5 * DAY,
        venue="Quảng trường Tỉnh",
        booth=booth,
        is_published=True,
    )
    fair.products.add(shop.coffee)
    _fair_days(booth, 3, 5)
    search_index_products(product_ids=[shop.coffee.pk])

    # Before the fair: from the event's page to its product, then checkout with pickup at the booth.
    page.context.add_cookies([{"name": "ocop_language", "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}/events/")
    page.get_by_role("link", name="Đồng Nai OCOP fair 2026").click()
    expect(page.get_by_text("Orders placed before the fair can be collected at the booth during it.")).to_be_visible()
    screenshot(page, "event")
    assert axe_violations(page) == []
    page.get_by_role("link", name=re.compile(shop.coffee.name)).first.click()
    page.get_by_role("button", name="Add to cart").click()
    page.get_by_role("link", name="Go to checkout").click()
    page.get_by_label("E-mail").fill("an@example.test")
    page.get_by_label("OCOP fair booth").check()
    page.get_by_label("Cash when I collect or receive the order").check()
    page.get_by_role("button", name="Place order").click()
    order = Order.objects.get()
    expect(page).to_have_url(re.compile(rf"/orders/{order.pk}/$"))

    # During the fair: the booth's staff hand it over.
    _fair_days(booth, 0, 2)
    staff = make_user("outlet_staff", outlet=booth)
    order = order_mark_ready_for_pickup(order=order, by_user=staff)
    page.context.clear_cookies()
    sign_in(page, live_server, staff)
    page.get_by_role("link", name="Giao một đơn hàng").click()
    page.get_by_label("Mã nhận hàng").fill(order.pickup_code)
    page.get_by_role("button", name="Tìm đơn hàng").click()
    page.get_by_label("Tiền mặt đã nhận (đồng)").fill(str(order.amount_due))
    page.get_by_role("button", name="Giao hàng").click()
    expect(page.locator(".order-status")).to_have_text("Đã giao")
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PICKED_UP

    # After the fair: another order waiting at the booth is refused, and the booth is no longer offered.
    later = order_mark_ready_for_pickup(order=place(shop, outlet=booth), by_user=staff)
    _fair_days(booth, -3, -1)
    page.get_by_role("link", name="Giao hàng", exact=True).click()
    page.get_by_label("Mã nhận hàng").fill(later.pickup_code)
    page.get_by_role("button", name="Tìm đơn hàng").click()
    expect(page.get_by_role("alert")).to_contain_text("Gian hàng này chỉ giao đơn hàng trong thời gian hội chợ")
    screenshot(page, "booth-refuses-after-the-fair")
    assert Order.objects.get(pk=later.pk).status == OrderStatus.READY_FOR_PICKUP
