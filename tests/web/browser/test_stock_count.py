"""Counts and transfers in a real browser, on the counter's phone (412 × 915): staff count the shelf, a broken jar
written off as damage, and the stock page shows the new quantity; then they send goods another outlet asked for,
shown in transit. Elements are found by their addresses and ids, so the test holds before and after the console's
new words are translated."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from marketplace.inventory.models import Stock
from marketplace.stockmoves.models import StockCount, StockTransfer, TransferStatus
from marketplace.stockmoves.transfers import transfer_request
from tests.factories import make_user
from tests.web.browser.helpers import axe_violations
from tests.web.browser.test_outletdesk import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 412, "height": 915}


def fits_the_phone(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_staff_count_the_shelf_with_a_broken_jar_and_send_goods_shown_in_transit(
    live_server, page: Page, screenshot, shop
):
    staff = make_user("outlet_staff", outlet=shop.tourist_site)
    cashew = Stock.objects.get(outlet=shop.tourist_site, variant=shop.cashew_variant)
    coffee = Stock.objects.get(outlet=shop.tourist_site, variant=shop.coffee_variant)
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, staff)

    page.locator("nav.console-nav a[href='/outlet/count/']").click()
    expect(page.locator(f"#counted-{cashew.pk}")).to_be_visible()
    page.locator(f"#counted-{coffee.pk}").fill("10")
    page.locator(f"#counted-{cashew.pk}").fill("9")
    page.locator(f"#reason-{cashew.pk}").select_option("damage")
    page.locator(f"#note-{cashew.pk}").fill("Hũ vỡ khi xếp kệ")
    assert fits_the_phone(page)
    screenshot(page, "count")
    assert axe_violations(page) == []

    page.locator(".count-sheet-form button[type='submit']").click()
    record = StockCount.objects.get()
    expect(page).to_have_url(re.compile(rf"/outlet/count/history/#count-{record.pk}$"))
    expect(page.locator(f"#count-{record.pk}")).to_contain_text("Hũ vỡ khi xếp kệ")
    expect(page.locator("#variance-total")).to_contain_text("220.000")
    assert fits_the_phone(page)
    screenshot(page, "count-done")
    assert axe_violations(page) == []

    page.locator("nav.console-nav a[href='/outlet/stock/']").click()
    row = page.locator(".stock-table tbody tr", has_text=shop.cashew_variant.sku)
    expect(row.locator("td.number").first).to_have_text("9")
    cashew.refresh_from_db()
    assert cashew.quantity == 9

    asked = transfer_request(
        to_outlet=shop.showroom,
        from_outlet=shop.tourist_site,
        variant_id=shop.coffee_variant.pk,
        quantity=3,
        by_user=make_user("outlet_staff", outlet=shop.showroom),
        idempotency_key="showroom-asks",
    )
    page.locator("nav.console-nav a[href='/outlet/transfers/']").click()
    assert axe_violations(page) == [] and fits_the_phone(page)
    page.locator(f"#send-{asked.pk}").fill("2")
    page.locator(f"form[action='/outlet/transfers/{asked.pk}/send/'] button").click()
    expect(page.locator(f"#send-{asked.pk}")).to_have_count(0)
    assert StockTransfer.objects.get(pk=asked.pk).status == TransferStatus.IN_TRANSIT

    page.locator("nav.console-nav a[href='/outlet/stock/']").click()
    expect(page.locator("#in-transit")).to_be_visible()
    expect(page.locator(".in-transit li")).to_contain_text(asked.number)
    expect(
        page.locator(".stock-table tbody tr", has_text=shop.coffee_variant.sku).locator("td.number").first
    ).to_have_text("8")
    assert fits_the_phone(page)
    screenshot(page, "transfer-in-transit")
    assert axe_violations(page) == []
    for address in ("/outlet/count/write-off/", "/outlet/transfers/request/"):  # the forms this journey skips
        page.goto(f"{live_server.url}{address}")
        assert axe_violations(page) == [] and fits_the_phone(page), address
