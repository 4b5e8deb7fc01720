"""A buyer's account in a real browser: register → confirm the e-mail address → sign in → buy for pickup →
"my orders" lists the order with its pickup code, and the order shows the pickup QR code."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Page, expect

from marketplace.accounts.models import User
from marketplace.accounts.tokens import account_confirmation_tokens
from marketplace.orders.models import Order
from tests.marketplace.checkout.helpers import Shop
from tests.web.browser.helpers import axe_violations
from tests.web.browser.test_checkout import stocked_shop  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL, PASSWORD = "lan@example.test", "hat-dieu-rang-muoi-2026"


def test_register_confirm_buy_and_find_the_order_with_its_pickup_qr(
    live_server,
    page: Page,
    screenshot,
    settings,
    stocked_shop: Shop,  # noqa: F811
):
    settings.OCOP_SITE_URL = live_server.url
    settings.ENABLE_ACCOUNT_CONFIRMATION_BY_EMAIL = True
    shop = stocked_shop
    page.context.add_cookies([{"name": "ocop_language", "value": "en", "url": live_server.url}])

    page.goto(live_server.url)
    page.get_by_role("link", name="Register").click()
    page.get_by_label("E-mail").fill(EMAIL)
    page.get_by_label("Name").fill("Lan")
    page.get_by_label("Password").fill(PASSWORD)
    screenshot(page, "register")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Create the account").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    assert axe_violations(page) == []

    # The link of the confirmation e-mail.
    user = User.objects.get(email=EMAIL)
    token = account_confirmation_tokens.make_token(user)
    page.goto(f"{live_server.url}/accounts/confirm/?{urlencode({'email': EMAIL, 'token': token})}")
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("your e-mail address is confirmed")).to_be_visible()

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail or user name").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()

    page.goto(f"{live_server.url}/p/{shop.coffee.slug}/")
    page.get_by_role("button", name="Add to cart").click()
    page.get_by_role("link", name="Go to checkout").click()
    page.get_by_label("Buu Long tourist area").check()
    page.get_by_label("Cash when I collect or receive the order").check()
    page.get_by_role("button", name="Place order").click()
    order = Order.objects.get()
    expect(page).to_have_url(re.compile(rf"/orders/{order.pk}/$"))
    assert order.user_id == user.pk and order.pickup_code

    page.get_by_role("link", name="My orders").click()
    row = page.get_by_role("row", name=re.compile(f"#{order.number}"))
    expect(row).to_contain_text(order.pickup_code)
    expect(row).to_contain_text(shop.tourist_site.name)
    screenshot(page, "my-orders")
    assert axe_violations(page) == []
    row.get_by_role("link", name=f"#{order.number}").click()
    qr = page.get_by_role("img", name=f"QR code of the pickup code {order.pickup_code}")
    expect(qr).to_be_visible()
