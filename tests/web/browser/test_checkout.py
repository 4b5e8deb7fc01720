"""Buying in a real browser: search → provenance page → add to cart → pickup checkout with cash → the order
page with the pickup code; screenshots and an accessibility check of the cart, checkout and order pages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from marketplace.orders.models import Order
from payments.stripe.localstripe_server import LocalStripe
from search.indexing import search_index_products
from tests.marketplace.checkout.helpers import Shop
from tests.web.browser.helpers import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def stocked_shop(shop: Shop) -> Shop:
    """The checkout tests' shop, searchable, with a tourist site that has hours, a map position and instructions."""
    outlet = shop.tourist_site
    outlet.name_en = "Buu Long tourist area"
    outlet.address_line = "Khu du lịch Bửu Long"
    outlet.opening_hours = "7:00–17:00 hằng ngày"
    outlet.opening_hours_en = "7:00 am–5:00 pm daily"
    outlet.pickup_instructions_en = "Ask at the OCOP counter by the main gate."
    outlet.latitude, outlet.longitude = 10.9573, 106.8032
    outlet.save()
    shop.coffee.name_en = "Robusta coffee beans"
    shop.coffee.save(update_fields=["name_en"])
    search_index_products(product_ids=[shop.coffee.pk, shop.cashew.pk])
    return shop


def test_search_add_to_cart_pickup_with_cash_and_the_order_page_shows_the_code(
    live_server, page: Page, screenshot, stocked_shop: Shop
):
    shop = stocked_shop
    page.goto(live_server.url)
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")

    # Search, then the product's provenance page.
    page.get_by_role("searchbox", name="Search products").fill("Robusta")
    page.get_by_role("searchbox", name="Search products").press("Enter")
    page.get_by_role("link", name=re.compile("Robusta")).first.click()
    expect(page).to_have_url(re.compile(rf"/p/{shop.coffee.slug}/$"))

    # Add two to the cart.
    page.get_by_label("Quantity").fill("2")
    page.get_by_role("button", name="Add to cart").click()
    expect(page).to_have_url(re.compile(r"/cart/$"))
    expect(page.get_by_role("heading", name="Your cart")).to_be_visible()
    expect(page.locator("#cart-subtotal")).to_have_text("300,000 VND")
    expect(page.get_by_role("link", name="Cart (2)")).to_be_visible()
    screenshot(page, "cart")
    assert axe_violations(page) == []

    # Checkout: pickup at the tourist site, cash.
    page.get_by_role("link", name="Go to checkout").click()
    expect(page.get_by_role("heading", name="Checkout")).to_be_visible()
    page.get_by_label("E-mail").fill("an@example.test")
    page.get_by_label("Buu Long tourist area").check()
    expect(page.get_by_text("7:00 am–5:00 pm daily")).to_be_visible()
    page.get_by_label("Cash when I collect or receive the order").check()
    screenshot(page, "checkout")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Place order").click()

    # The order page: its stage, the outlet, and the pickup code with its QR code.
    order = Order.objects.get()
    expect(page).to_have_url(re.compile(rf"/orders/{order.pk}/$"))
    expect(page.get_by_role("heading", name=f"Order #{order.number}")).to_be_visible()
    expect(page.get_by_text("Ask at the OCOP counter by the main gate.")).to_be_visible()
    assert order.pickup_code  # a pickup order gets its code when it is placed
    expect(page.locator("#pickup-code")).to_have_text(order.pickup_code)
    qr = page.get_by_role("img", name=f"QR code of the pickup code {order.pickup_code}")
    expect(qr).to_be_visible()
    assert page.evaluate("img => img.complete && img.naturalWidth > 0", qr.element_handle())
    screenshot(page, "order")
    assert axe_violations(page) == []


@pytest.fixture
def localstripe_for_the_browser(settings, tmp_path):
    """localstripe for a page: the server talks to it through the shim (STRIPE_API_BASE), while the page loads
    localstripe's own fake Stripe.js, whose answers carry the CORS headers a page needs (the shim's do not)."""
    with (tmp_path / "localstripe.log").open("wb") as log, LocalStripe(log=log) as server:
        settings.STRIPE_API_BASE = server.base_url
        settings.STRIPE_JS_URL = f"{server.upstream_url}/js.stripe.com/v3/"
        yield server


def test_pay_by_card_with_localstripes_stripe_js(
    live_server, page: Page, screenshot, shop, localstripe_for_the_browser
):
    page.goto(live_server.url)
    page.get_by_role("button", name="English").click()
    page.goto(f"{live_server.url}/p/{shop.coffee.slug}/")
    page.get_by_role("button", name="Add to cart").click()
    page.get_by_role("link", name="Go to checkout").click()
    page.get_by_label("E-mail").fill("an@example.test")
    page.get_by_label("Khu du lịch Bửu Long").check()
    page.get_by_label("Card (Visa, Mastercard, JCB)").check()
    page.get_by_role("button", name="Place order").click()

    expect(page.get_by_role("heading", name="Pay by card")).to_be_visible()
    card = page.locator("#payment-element")
    card.get_by_placeholder("number").fill("4242424242424242")
    card.get_by_placeholder("exp_month").fill("12")
    card.get_by_placeholder("exp_year").fill("30")
    card.get_by_placeholder("cvc").fill("123")
    screenshot(page, "card-payment")
    page.get_by_role("button", name="Pay and place order").click()

    expect(page).to_have_url(re.compile(r"/orders/[0-9a-f-]+/$"))
    expect(page.get_by_text("Paid by card.")).to_be_visible()
    order = Order.objects.get()
    assert order.total_charged_amount == order.total_amount == 150_000
