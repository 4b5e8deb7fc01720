"""The outlet console in a real browser: staff mark an order ready, then hand it over with the buyer's code
(typed, and scanned where the browser's BarcodeDetector can read the camera), taking the cash."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from marketplace.orders.models import Order, OrderStatus
from marketplace.orders.services import order_mark_ready_for_pickup
from tests.factories import DEFAULT_PASSWORD, make_user
from tests.web.browser.helpers import axe_violations
from tests.web.test_outletdesk import place

pytestmark = pytest.mark.django_db(transaction=True)

CODE_IN_EMAIL = re.compile(r"MÃ NHẬN HÀNG: ([0-9A-Z]{6})")

# A camera and a QR reader for browsers without them: the "camera" is a canvas, and the reader returns
# whatever the test puts in window.__scanned.
FAKE_SCANNER = """
window.__scanned = "";
window.BarcodeDetector = class {
  constructor(options) { this.options = options; }
  static async getSupportedFormats() { return ["qr_code"]; }
  async detect() { return window.__scanned ? [{ rawValue: window.__scanned, format: "qr_code" }] : []; }
};
if (!navigator.mediaDevices) { Object.defineProperty(navigator, "mediaDevices", { value: {} }); }
navigator.mediaDevices.getUserMedia = async () => {
  const canvas = document.createElement("canvas");
  canvas.width = 64; canvas.height = 64;
  const context = canvas.getContext("2d");
  const stream = canvas.captureStream(10);
  setInterval(() => {
    context.fillStyle = "#" + Math.floor(Math.random() * 4095).toString(16).padStart(3, "0");
    context.fillRect(0, 0, 64, 64);
  }, 50);
  return stream;
};
"""


def sign_in(page: Page, live_server, user) -> None:
    page.goto(f"{live_server.url}/outlet/")
    page.get_by_label("E-mail hoặc tên đăng nhập").fill(user.username)
    page.get_by_label("Mật khẩu").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Đơn hàng tại điểm bán này")).to_be_visible()


def test_outlet_staff_mark_ready_and_hand_over_with_the_code(live_server, page: Page, screenshot, shop):
    staff = make_user("outlet_staff", outlet=shop.tourist_site)
    order = place(shop, outlet=shop.tourist_site)  # coffee and cashews, 370.000 ₫ in cash at pickup
    sign_in(page, live_server, staff)
    expect(page.get_by_text("Thu tiền mặt: 370.000 ₫")).to_be_visible()
    if not page.evaluate("'BarcodeDetector' in window"):
        page.goto(f"{live_server.url}/outlet/handover/")
        expect(page.locator("#scan-button")).to_be_hidden()  # no camera reader: typing only
        page.goto(f"{live_server.url}/outlet/")
    screenshot(page, "outlet-console")
    assert axe_violations(page) == []

    mail.outbox.clear()
    page.get_by_role("button", name=f"Đánh dấu sẵn sàng Đơn hàng #{order.number}").click()
    expect(page.get_by_text(f"Đơn hàng #{order.number} đã sẵn sàng để nhận.")).to_be_visible()
    assert len(mail.outbox) == 1
    code = CODE_IN_EMAIL.search(mail.outbox[0].body).group(1)
    assert code == Order.objects.get(pk=order.pk).pickup_code

    page.get_by_role("link", name="Giao một đơn hàng").click()
    expect(page.get_by_label("Mã nhận hàng")).to_be_focused()
    page.get_by_label("Mã nhận hàng").fill(f"{code[:3].lower()} {code[3:].lower()}")
    screenshot(page, "outlet-handover")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Tìm đơn hàng").click()

    expect(page.get_by_role("heading", name=f"Giao đơn hàng #{order.number}")).to_be_visible()
    expect(page.get_by_text("Thu 370.000 ₫ tiền mặt.")).to_be_visible()
    expect(page.get_by_text("Cà phê hạt Robusta")).to_be_visible()
    page.get_by_label("Tiền mặt đã nhận (đồng)").fill("300.000")
    page.get_by_role("button", name="Giao hàng").click()
    expect(page.get_by_role("alert")).to_contain_text("nhưng khách mới đưa 300.000 ₫")
    assert Order.objects.get(pk=order.pk).status == OrderStatus.READY_FOR_PICKUP
    page.get_by_label("Tiền mặt đã nhận (đồng)").fill("500.000")  # a note bigger than the bill: change
    screenshot(page, "outlet-handover-confirm")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Giao hàng").click()

    expect(
        page.get_by_text(f"Đã giao đơn hàng #{order.number}; nhận 500.000 ₫ cho 370.000 ₫: thối lại 130.000 ₫.")
    ).to_be_visible()
    expect(page.locator(".order-status")).to_have_text("Đã giao")
    screenshot(page, "outlet-handed-over")
    assert axe_violations(page) == []
    order.refresh_from_db()
    assert order.status == OrderStatus.PICKED_UP and order.total_charged_amount == 370_000

    page.set_viewport_size({"width": 390, "height": 844})  # the counter's phone
    page.get_by_role("link", name="Giao hàng", exact=True).click()
    expect(page.get_by_label("Mã nhận hàng")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "outlet-handover-phone")


def test_a_scanned_pickup_qr_code_fills_the_field_and_submits(live_server, page: Page, shop):
    staff = make_user("outlet_staff", outlet=shop.tourist_site)
    order = place(shop, outlet=shop.tourist_site, card=True)
    order = order_mark_ready_for_pickup(order=order, by_user=staff)
    page.add_init_script(FAKE_SCANNER)
    sign_in(page, live_server, staff)
    page.get_by_role("link", name="Giao một đơn hàng").click()

    scan = page.get_by_role("button", name="Quét mã QR")
    expect(scan).to_be_visible()
    scan.click()
    expect(page.get_by_role("button", name="Dừng quét")).to_be_visible()
    page.evaluate("window.__scanned = 'https://truyxuat.example/ocop/123'")  # a product's label
    expect(page.locator("#scan-status")).to_have_text(
        "Mã QR này không phải mã nhận hàng. Hãy quét mã trong e-mail của người mua."
    )
    page.evaluate(f"window.__scanned = 'OCOP-PICKUP:{order.pickup_code}'")

    expect(page.get_by_role("heading", name=f"Giao đơn hàng #{order.number}")).to_be_visible()
    expect(page.get_by_text("Đã thanh toán bằng thẻ: không cần thu tiền.")).to_be_visible()
    page.get_by_role("button", name="Giao hàng").click()
    expect(page.get_by_text(f"Đã giao đơn hàng #{order.number}.")).to_be_visible()
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PICKED_UP
