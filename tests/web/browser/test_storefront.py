"""The consumer pages in a real browser: search → provenance (with its cart form), verifying certificates;
screenshots of home, catalogue, provenance and verify, and an accessibility check of each."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from marketplace.certification.models import Certification
from tests.web.browser.helpers import axe_violations
from tests.web.test_storefront_pages import Storefront, storefront  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db(transaction=True)


def test_search_to_the_provenance_page(live_server, page: Page, screenshot, storefront: Storefront):  # noqa: F811
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    page.goto(live_server.url)
    expect(page.get_by_role("heading", name="Sản phẩm 5 sao")).to_be_visible()
    screenshot(page, "storefront-home-vi")
    assert axe_violations(page) == []

    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="5-star products")).to_be_visible()
    screenshot(page, "storefront-home")
    assert axe_violations(page) == []

    search = page.get_by_role("searchbox", name="Search products")
    search.fill("ca phe")
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"/products/\?q=ca\+phe$"))
    expect(page.get_by_role("heading", name="Products matching “ca phe”")).to_be_visible()
    screenshot(page, "storefront-catalogue")
    assert axe_violations(page) == []

    # A facet, without JavaScript's help: a checkbox and the form's button.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/products/")
    page.get_by_role("group", name="Stars").get_by_label("5 star OCOP").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"stars=5"))
    expect(page.get_by_role("heading", name="1 product", exact=True)).to_be_visible()
    screenshot(page, "storefront-catalogue-filtered")

    page.get_by_role("link", name=re.compile("Xuan Loc Robusta coffee")).click()
    expect(page).to_have_url(re.compile(rf"/p/{storefront.coffee.slug}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Xuan Loc Robusta coffee")  # English first
    expect(page.locator(".name-vi").first).to_have_text("Cà phê Robusta Xuân Lộc")  # the Vietnamese beneath
    expect(page.get_by_role("button", name="Add to cart")).to_be_visible()
    expect(page.get_by_label("Pack")).to_be_visible()
    expect(page.get_by_label("Quantity")).to_have_value("1")
    expect(page.get_by_role("heading", name="Rating history")).to_be_visible()
    expect(page.get_by_role("img", name="QR code of this page")).to_be_visible()
    # The SVG may still be loading when the <img> is visible: poll (the CSP refuses wait_for_function's eval).
    for _ in range(50):
        qr_loaded = page.evaluate("() => document.querySelector('.qr img').naturalWidth")
        if qr_loaded:
            break
        page.wait_for_timeout(100)
    assert qr_loaded > 0
    screenshot(page, "storefront-provenance")
    assert axe_violations(page) == []

    page.goto(f"{live_server.url}/p/{storefront.delisted.slug}/")
    expect(page.get_by_text("Not for sale", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Add to cart")).to_have_count(0)
    screenshot(page, "storefront-provenance-not-for-sale")
    assert axe_violations(page) == []


def test_verify_valid_expired_and_unknown_certificates(
    live_server,
    page: Page,
    screenshot,
    storefront: Storefront,  # noqa: F811
):
    page.context.add_cookies([{"name": "ocop_language", "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}/verify/")
    screenshot(page, "storefront-verify")
    assert axe_violations(page) == []

    page.get_by_label("Certificate number").fill("DN-2025-0005")
    page.get_by_role("button", name="Check").click()
    expect(page).to_have_url(re.compile(r"/verify/DN-2025-0005/$"))
    expect(page.locator(".verdict")).to_contain_text("Valid today")
    expect(page.get_by_role("link", name="Cà phê Robusta Xuân Lộc")).to_be_visible()
    screenshot(page, "storefront-verify-valid")
    assert axe_violations(page) == []

    page.goto(f"{live_server.url}/verify/DN-2022-0042/")
    expect(page.locator(".verdict")).to_contain_text("Expired")
    expect(page.get_by_role("link", name="Chuối sấy dẻo")).to_be_visible()
    screenshot(page, "storefront-verify-expired")

    page.get_by_label("Certificate number").fill("DN-0000-FAKE")
    page.get_by_role("button", name="Check").click()
    expect(page.locator(".verdict")).to_contain_text("Unknown certificate")
    # Report it: the form's errors first, then the thanks.
    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_role("alert")).to_be_visible()
    page.get_by_label("Where did you see it?").fill("Chợ Long Khánh")
    page.get_by_label("What did you see?").fill("Gói hạt điều ghi số giấy chứng nhận này.")
    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_role("status")).to_contain_text("Thank you")
    screenshot(page, "storefront-verify-unknown")
    assert axe_violations(page) == []

    # A certificate revoked since: the page says so, though the registry's dates still run.
    Certification.objects.filter(certificate_id="DN-2025-0005").update(status="revoked")
    page.goto(f"{live_server.url}/verify/DN-2025-0005/")
    expect(page.locator(".verdict")).to_contain_text("Revoked")


def test_similar_names_are_said_so_on_a_phone(live_server, page: Page, screenshot, storefront: Storefront):  # noqa: F811
    page.set_viewport_size({"width": 412, "height": 915})
    page.goto(f"{live_server.url}/products/?q=hat+deiu&hl=en")  # a typo of "hạt điều"
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("No products found for “hat deiu”. Products with similar names:")
    expect(page.get_by_role("link", name=re.compile("Hạt điều rang muối"))).to_be_visible()
    search = page.get_by_role("searchbox", name="Search products")
    expect(search).to_have_attribute("placeholder", "Cashews, coffee…")  # what is listed
    screenshot(page, "storefront-catalogue-similar-names")
    assert axe_violations(page) == []

    page.goto(f"{live_server.url}/products/?q=m%E1%BA%ADt+ong")  # "mật ong": no honey is listed
    expect(page.get_by_role("heading", level=1)).to_have_text("Sản phẩm khớp với “mật ong”")
    expect(page.get_by_role("link", name=re.compile("Hạt điều|Cà phê"))).to_have_count(0)
    expect(page.get_by_role("searchbox")).to_have_attribute("placeholder", "Hạt điều, cà phê…")
    screenshot(page, "storefront-catalogue-nothing-vi")
