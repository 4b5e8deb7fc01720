"""Issue 16 in a real browser at a phone's width: an English product page names the product, its set and its
packs in English with the Vietnamese name beneath; the outlet's stock page marks what is no longer for sale; the
pickup counter takes a bigger note and shows the change. Screenshots of each, and axe on each."""

from __future__ import annotations

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from tests.factories import delist, make_user
from tests.web.browser.helpers import axe_violations
from tests.web.browser.test_outletdesk import sign_in
from tests.web.test_english import melon  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 412, "height": 915}


def test_an_english_product_page_on_a_phone(live_server, page: Page, screenshot, melon):  # noqa: F811
    page.set_viewport_size(PHONE)
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}/p/{melon.slug}/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Inthanol RZ cantaloupe (greenhouse)")
    expect(page.locator(".name-vi").first).to_have_text("Dưa lưới Inthanol RZ (trồng nhà màng)")
    expect(page.get_by_text("Food · Fresh vegetables, fruit and nuts")).to_be_visible()
    expect(page.get_by_label("Pack")).to_contain_text("Box 2 fruits")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "english-provenance-phone")
    assert axe_violations(page) == []


def test_the_outlets_stock_page_marks_what_is_not_for_sale(live_server, page: Page, screenshot, shop):
    staff = make_user("outlet_staff", outlet=shop.tourist_site)
    delist(shop.cashew)
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, staff)
    page.goto(f"{live_server.url}/outlet/stock/")

    expect(page.locator("#not-for-sale")).to_be_visible()
    expect(page.locator(".not-for-sale")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "outlet-stock-not-for-sale")
    assert axe_violations(page) == []
