"""The counter on the outlet's phone (issue 15), in a real browser at a phone's width: a label scanned with the
camera and a product found by name go in the basket, the buyer pays cash and gets the change, the receipt prints on
80 mm paper, a jar comes back, and the close of day matches the sales to the đồng."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from marketplace.counter.models import CounterSale, DayClose
from marketplace.inventory.models import Stock
from tests.factories import make_user
from tests.web.browser.test_outletdesk import FAKE_SCANNER, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 412, "height": 915}
NO_PRINT_DIALOG = "window.print = () => { window.__printed = true; };"


def fits(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def printed(page: Page) -> None:
    """Waits for print.js to open the print dialog (the CSP forbids wait_for_function's eval)."""
    for _ in range(50):
        if page.evaluate("window.__printed === true"):
            return
        page.wait_for_timeout(100)
    raise AssertionError("the print dialog never opened")


def test_a_day_at_the_counter_on_a_phone(live_server, page: Page, screenshot, shop):
    staff = make_user("outlet_staff", outlet=shop.tourist_site)
    page.set_viewport_size(PHONE)
    page.add_init_script(FAKE_SCANNER)
    page.add_init_script(NO_PRINT_DIALOG)
    sign_in(page, live_server, staff)
    page.goto(f"{live_server.url}/outlet/sell/")

    # The cashews by their label's QR code, read with the camera.
    page.get_by_role("button", name="Quét nhãn").click()
    page.evaluate("window.__scanned = 'https://truyxuat.example/ocop/123'")  # not our label
    expect(page.locator("#scan-status")).to_have_text("Mã QR này không phải nhãn sản phẩm. Hãy quét mã trên nhãn OCOP.")
    page.evaluate(f"window.__scanned = '{live_server.url}/p/{shop.cashew.slug}/'")
    page.get_by_role("button", name=re.compile(r"^Thêm Hạt điều rang muối")).click()

    # The coffee by its name, typed.
    page.get_by_label("Tên sản phẩm, mã SKU, hoặc quét mã QR trên nhãn").fill("robusta")
    page.get_by_role("button", name="Tìm", exact=True).click()
    page.get_by_role("button", name=re.compile(r"^Thêm Cà phê hạt Robusta")).click()
    expect(page.locator("#counter-total")).to_have_text("370.000 ₫")
    assert fits(page)
    screenshot(page, "counter-basket")

    # Cash: 500.000 ₫ handed over, the change is 130.000 ₫.
    page.get_by_label("Tiền mặt đã nhận (đồng)").fill("500.000")
    page.get_by_role("button", name="Hoàn tất bán hàng").click()
    sale = CounterSale.objects.get()
    expect(page.get_by_role("heading", name=f"Hóa đơn {sale.receipt_number}")).to_be_visible()
    expect(page.locator(".receipt-change")).to_have_text("130.000 ₫")
    assert fits(page)
    screenshot(page, "counter-receipt")

    page.get_by_role("link", name="In trên giấy 80 mm").click()
    printed(page)
    screenshot(page, "counter-receipt-80mm")

    # The coffee comes back: 150.000 ₫ from the till, the jar back on the shelf.
    page.go_back()
    page.get_by_text("Nhận hàng trả lại theo hóa đơn này").click()
    coffee = sale.lines.get(product_sku=shop.coffee_variant.sku)
    page.locator(f"#return-{coffee.pk}").fill("1")
    page.get_by_label("Lý do").fill("Khách đổi ý")
    page.get_by_role("button", name="Ghi nhận trả hàng").click()
    expect(page.get_by_text("Đã ghi nhận trả hàng và hàng đã trở lại kho.")).to_be_visible()
    assert Stock.objects.get(outlet=shop.tourist_site, variant=shop.coffee_variant).quantity == 10

    # The close of day: 370.000 ₫ sold in cash, 150.000 ₫ refunded, 220.000 ₫ in the till.
    page.goto(f"{live_server.url}/outlet/day/")
    expect(page.locator("#cash-expected")).to_have_text("220.000 ₫")
    page.get_by_label("Tiền mặt đếm được trong két (đồng)").fill("220000")
    page.get_by_role("button", name="Chốt ngày").click()
    expect(page.locator("#cash-difference")).to_have_text("0 ₫")
    assert DayClose.objects.get().cash_expected == 220_000
    assert fits(page)
    screenshot(page, "counter-close-of-day")
