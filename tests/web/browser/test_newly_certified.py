"""Newly certified products in a real browser: after a sync that certifies a product, it is on the page and in the
feed; the page and the open data's are checked for accessibility."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from catalog_sync.sync import run_sync
from tests.catalog_sync.helpers import cert
from tests.web.browser.helpers import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)

PRODUCT = "Bưởi Tân Triều"


def test_a_product_the_sync_certifies_is_on_the_newly_certified_page(
    live_server, page: Page, screenshot, registry_sim, settings
):
    settings.OCOP_SYNC_IMAGES = False
    registry_sim([cert("DN-2026-0042", product_id="DNP-0042", product_name=PRODUCT, stars=4, valid_from=-10)])
    page.goto(f"{live_server.url}/newly-certified/")
    expect(page.get_by_text("Không có sản phẩm nào mới được chứng nhận trong 90 ngày qua.")).to_be_visible()

    assert run_sync().listed == 1
    page.reload()
    card = page.locator(".product-card", has_text=PRODUCT)
    expect(card).to_contain_text("Mới")
    expect(card.get_by_role("img", name="OCOP 4 sao")).to_be_visible()
    screenshot(page, "newly-certified")
    assert axe_violations(page) == []

    feed = page.request.get(f"{live_server.url}/newly-certified/feed.atom")
    assert feed.ok and f"{PRODUCT}: mới được chứng nhận, 4★" in feed.text()

    card.get_by_role("link", name=re.compile(PRODUCT)).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(PRODUCT)

    page.goto(f"{live_server.url}/open-data/")
    expect(page.get_by_role("link", name=re.compile("CC BY 4.0"))).to_be_visible()
    assert axe_violations(page) == []
