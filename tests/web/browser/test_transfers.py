"""Paying by VietQR bank transfer in a real browser: the buyer sees the code and the transfer details, the bank's
signed notification reaches the server over HTTP, the order page shows it paid and the outlet prepares it; an
order whose transfer never comes is cancelled after the hold, its stock back on sale."""

from __future__ import annotations

import datetime
import json
import re
import time
import urllib.request

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from marketplace.inventory.models import Stock
from marketplace.orders.models import Order, OrderStatus
from payments.transfers import transfers_cancel_unpaid
from payments.vietqr.notifications import SIGNATURE_HEADER, sign
from tests.factories import make_user
from tests.marketplace.checkout.helpers import Shop
from tests.web.browser.helpers import axe_violations
from tests.web.browser.test_outletdesk import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def buy_by_transfer(page: Page, live_server, shop: Shop) -> Order:
    page.goto(f"{live_server.url}/p/{shop.coffee.slug}/")
    page.get_by_role("button", name="Add to cart").click()
    page.get_by_role("link", name="Go to checkout").click()
    page.get_by_label("E-mail").fill("an@example.test")
    page.get_by_label("Khu du lịch Bửu Long").check()
    page.get_by_label("Bank transfer: scan a VietQR code with your banking app").check()
    page.get_by_role("button", name="Place order").click()
    expect(page).to_have_url(re.compile(r"/orders/[0-9a-f-]+/$"))
    return Order.objects.order_by("-number").first()


def bank_notifies(live_server, *, reference: str, amount: int, description: str) -> dict:
    """What the bank-notification service sends when the money reaches the collection account."""
    body = json.dumps(
        {
            "id": 1,
            "gateway": "Vietcombank",
            "transactionDate": timezone.localtime().strftime("%Y-%m-%d %H:%M:%S"),
            "accountNumber": "0071000000001",
            "content": description,
            "transferType": "in",
            "transferAmount": amount,
            "referenceCode": reference,
        }
    ).encode()
    request = urllib.request.Request(
        f"{live_server.url}/payments/bank/webhook/",
        data=body,
        headers={
            "Content-Type": "application/json",
            SIGNATURE_HEADER: sign(body, secret="bank_webhook_test_secret", timestamp=int(time.time())),
        },
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def test_pay_by_transfer_the_bank_notifies_and_the_outlet_prepares_it(live_server, page: Page, screenshot, shop):
    page.goto(live_server.url)
    page.get_by_role("button", name="English").click()
    order = buy_by_transfer(page, live_server, shop)

    expect(page.get_by_role("heading", name="Pay by bank transfer")).to_be_visible()
    qr = page.get_by_role("img", name=f"VietQR code of the transfer OCOP {order.number}")
    expect(qr).to_be_visible()
    assert page.evaluate("img => img.complete && img.naturalWidth > 0", qr.element_handle())
    expect(page.locator(".transfer-reference")).to_have_text(f"OCOP {order.number}")
    expect(page.locator(".transfer-amount")).to_have_text("150,000 VND")
    expect(page.get_by_text("Awaiting your bank transfer.")).to_be_visible()
    screenshot(page, "order-awaiting-transfer")
    assert axe_violations(page) == []
    assert order.status == OrderStatus.UNCONFIRMED

    answer = bank_notifies(
        live_server,
        reference="MBVCB.8812345",
        amount=150_000,
        description=f"NGUYEN VAN AN chuyen tien ocop{order.number}",
    )
    assert answer["credits"][0]["status"] == "matched"

    page.reload()
    expect(page.get_by_text("Paid by bank transfer.")).to_be_visible()
    expect(page.get_by_text("The outlet is preparing your order.")).to_be_visible()
    expect(page.get_by_role("heading", name="Pay by bank transfer")).to_have_count(0)
    screenshot(page, "order-paid-by-transfer")

    staff = make_user("outlet_staff", outlet=shop.tourist_site)
    outlet_page = page.context.browser.new_page(locale="vi-VN")
    sign_in(outlet_page, live_server, staff)
    outlet_page.get_by_role("button", name=f"Đánh dấu sẵn sàng Đơn hàng #{order.number}").click()
    expect(outlet_page.get_by_text(f"Đơn hàng #{order.number} đã sẵn sàng để nhận.")).to_be_visible()
    order.refresh_from_db()
    assert order.status == OrderStatus.READY_FOR_PICKUP
    outlet_page.close()


def test_a_transfer_that_never_comes_cancels_the_order_after_the_hold_with_its_stock_back(
    live_server, page: Page, shop, settings
):
    settings.OCOP_TRANSFER_HOLD_HOURS = 24
    page.goto(live_server.url)
    page.get_by_role("button", name="English").click()
    stock = Stock.objects.get(variant=shop.coffee_variant, outlet=shop.tourist_site)
    order = buy_by_transfer(page, live_server, shop)
    stock.refresh_from_db()
    assert stock.quantity_allocated == 1

    assert transfers_cancel_unpaid(now=timezone.now() + datetime.timedelta(hours=24, minutes=5)) == [order.number]

    page.reload()
    expect(page.get_by_text("Canceled.")).to_be_visible()
    expect(page.get_by_text("No transfer received.")).to_be_visible()
    expect(page.get_by_role("heading", name="Pay by bank transfer")).to_have_count(0)
    stock.refresh_from_db()
    assert stock.quantity_allocated == 0
