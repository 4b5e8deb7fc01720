"""Deliveries in a real browser, on a phone (issue 15): a cooperative announces a delivery in the portal, the outlet's
staff receive it with a discrepancy and a line nobody announced, and the cooperative sees what the outlet counted.

The pages are read in English (the language cookie), so the test follows the sentences written in the code."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import Page, expect

from marketplace.accounts.models import Role
from marketplace.core.dates import local_today
from marketplace.deliveries.models import Delivery, DeliveryStatus
from marketplace.inventory.models import Stock
from tests.factories import DEFAULT_PASSWORD, make_user, make_variant
from tests.web.browser.helpers import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 412, "height": 915}


def sign_in(page: Page, live_server, user, path: str) -> None:
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "ocop_language", "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}{path}")
    page.get_by_label("E-mail or user name").fill(user.username)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def fits_the_phone(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_delivery_announced_in_the_portal_is_received_with_a_discrepancy_that_both_see(
    live_server, page: Page, screenshot, shop
):
    page.set_viewport_size(PHONE)
    coop = make_user(Role.PRODUCER_STAFF, producer=shop.coffee.producer)
    staff = make_user(Role.OUTLET_STAFF, outlet=shop.tourist_site)
    gift = make_variant(shop.coffee, sku="CF-QUA-TET", name="Hộp quà Tết")
    day = local_today() + datetime.timedelta(days=1)
    best_before = local_today() + datetime.timedelta(days=5)

    # The cooperative announces 12 bags of coffee to the tourist site for tomorrow.
    sign_in(page, live_server, coop, "/portal/deliveries/announce/")
    expect(page.get_by_role("heading", name="Announce a delivery")).to_be_visible()
    page.get_by_label("Outlet", exact=True).select_option(label=shop.tourist_site.name)
    page.get_by_label("Arrives on").fill(day.isoformat())
    page.locator(f"#id_quantity_{shop.coffee_variant.pk}").fill("12")
    page.locator(f"#id_lot_{shop.coffee_variant.pk}").fill("L-2612")
    page.locator(f"#id_best_before_{shop.coffee_variant.pk}").fill(best_before.isoformat())
    page.get_by_label("Note for the outlet").fill("Xe đến trước 9 giờ")
    assert fits_the_phone(page)
    screenshot(page, "delivery-announce")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Announce the delivery").click()
    delivery = Delivery.objects.get()
    expect(page.get_by_role("heading", name=f"Delivery {delivery.number}")).to_be_visible()
    expect(page.get_by_text(f"Delivery {delivery.number} is announced to {shop.tourist_site.name}.")).to_be_visible()

    # The outlet's staff find it under Deliveries, count 10, and find a gift box nobody announced.
    sign_in(page, live_server, staff, "/outlet/")
    page.get_by_role("link", name="Deliveries", exact=True).click()
    expect(page.get_by_text(shop.coffee.producer.name)).to_be_visible()
    page.get_by_role("link", name=f"Delivery {delivery.number}").click()
    expect(page.get_by_role("heading", name=f"Receive delivery {delivery.number}")).to_be_visible()
    [line] = delivery.lines.all()
    quantity = page.locator(f"#id_line-{line.pk}-quantity")
    expect(quantity).to_have_value("12")  # as announced
    expect(page.locator(f"#id_line-{line.pk}-lot")).to_have_value("L-2612")
    quantity.fill("10")
    page.get_by_label("Find a product by name or SKU").fill("quà tết")
    page.get_by_role("button", name="Find", exact=True).click()
    page.get_by_role("button", name="Add Cà phê hạt Robusta (Hộp quà Tết)").click()
    expect(quantity).to_have_value("10")  # what was typed is kept
    page.locator("#id_extra-0-quantity").fill("2")
    page.get_by_label("Note (damage, returns, anything the cooperative should know)").fill("2 túi bị rách, trả lại HTX")
    assert fits_the_phone(page)
    screenshot(page, "delivery-receive")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Record the receipt").click()
    expect(page.get_by_text(f"Delivery {delivery.number} is received; the stock is updated.")).to_be_visible()
    expect(page.get_by_text("2 lines differ")).to_be_visible()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.RECEIVED
    assert Stock.objects.get(outlet=shop.tourist_site, variant=shop.coffee_variant).quantity == 20
    assert Stock.objects.get(outlet=shop.tourist_site, variant=gift).quantity == 2
    # The lot is due in five days: the console's home warns of it.
    page.get_by_role("link", name="Orders", exact=True).click()
    expect(page.get_by_text(f"best before {best_before:%d/%m/%Y}, in 5 days")).to_be_visible()

    # The cooperative sees what the outlet received, and the difference on each line.
    sign_in(page, live_server, coop, "/portal/deliveries/")
    page.get_by_role("link", name=delivery.number).click()
    expect(page.get_by_text("The outlet received something other than you announced")).to_be_visible()
    rows = page.locator(".delivery-lines-table tbody tr")
    expect(rows.nth(0)).to_contain_text("-2")
    expect(rows.nth(1)).to_contain_text("+2")
    expect(rows.nth(1)).to_contain_text("not announced")
    expect(page.get_by_text("2 túi bị rách, trả lại HTX")).to_be_visible()
    assert fits_the_phone(page)
    screenshot(page, "delivery-discrepancy")
    assert axe_violations(page) == []
