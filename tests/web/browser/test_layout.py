"""The shared layout in a real browser: the language switch, signing in, and no serious accessibility issue."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.factories import DEFAULT_PASSWORD, make_user
from tests.web.browser.helpers import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_language_switch_and_sign_in(live_server, page: Page, screenshot):
    page.goto(live_server.url)
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    screenshot(page, "home-en")
    assert axe_violations(page) == []

    user = make_user("trade_staff")
    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("E-mail or user name").fill(user.username)
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_the_keyboard_alone_reaches_the_content_and_the_search(live_server, page: Page):
    page.goto(live_server.url)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Chuyển đến nội dung")
    expect(skip).to_be_focused()
    page.keyboard.press("Tab")  # the shop's name
    page.keyboard.press("Tab")  # the search box
    expect(page.get_by_role("searchbox")).to_be_focused()
    page.keyboard.type("ca phe")
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/products/?q=ca+phe")
