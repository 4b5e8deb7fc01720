"""The pages of places and makers in a real browser: the outlet directory → an outlet's page → a product that can
be collected there → its producer's page; an accessibility check of each."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from marketplace.outlets.models import OpeningPeriod
from tests.web.browser.helpers import axe_violations
from tests.web.test_storefront_pages import Storefront, storefront  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db(transaction=True)


def test_from_the_outlet_directory_to_a_product_collectable_there(
    live_server,
    page: Page,
    screenshot,
    storefront: Storefront,  # noqa: F811
):
    for day in range(7):
        OpeningPeriod.objects.create(
            outlet=storefront.tourist_site, weekday=day, opens=datetime.time(7), closes=datetime.time(17)
        )
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    page.context.add_cookies([{"name": "ocop_language", "value": "en", "url": live_server.url}])
    page.goto(live_server.url)
    page.get_by_role("link", name="Showrooms and outlets").click()
    expect(page).to_have_url(re.compile(r"/outlets/$"))
    expect(page.get_by_role("heading", name="Showrooms and outlets", level=1)).to_be_visible()
    screenshot(page, "outlets")
    assert axe_violations(page) == []

    page.get_by_role("link", name="Buu Long tourist area").click()
    expect(page).to_have_url(re.compile(rf"/outlets/{storefront.tourist_site.slug}/$"))
    expect(page.get_by_text(re.compile(r"^(Open now|Closed now)$"))).to_be_visible()  # whichever it is now
    expect(page.get_by_role("row", name="Monday – Sunday 07:00–17:00")).to_be_visible()
    expect(page.get_by_role("link", name="Open the map (OpenStreetMap)")).to_have_attribute(
        "href", re.compile(r"^https://www\.openstreetmap\.org/\?mlat=10\.95730&mlon=106\.80320")
    )
    expect(page.get_by_role("heading", name="In stock here today")).to_be_visible()
    screenshot(page, "outlet")
    assert axe_violations(page) == []

    search = page.get_by_role("searchbox", name="Search what this outlet holds")
    search.fill("robusta")
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"\?q=robusta$"))
    page.get_by_role("link", name=re.compile("Xuan Loc Robusta coffee")).click()
    expect(page).to_have_url(re.compile(rf"/p/{storefront.coffee.slug}/$"))
    expect(page.get_by_role("button", name="Add to cart")).to_be_visible()
    expect(page.get_by_role("link", name="Buu Long tourist area")).to_be_visible()  # where it can be collected

    page.get_by_role("navigation", name="Breadcrumbs").get_by_role("link", name="HTX Cà phê Xuân Lộc").click()
    expect(page).to_have_url(re.compile(rf"/producers/{storefront.coffee.producer.slug}/$"))
    expect(page.get_by_role("heading", name="Rating history")).to_be_visible()
    screenshot(page, "producer")
    assert axe_violations(page) == []
