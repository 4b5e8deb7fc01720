"""axe-core on the pages of issue 13 that the journeys' browser tests do not pass through: the events list, a rating
round, a collection, a content page, the console's rounds and events, and a buyer's addresses, password request and
deletion pages."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from marketplace.accounts.models import Role
from marketplace.catalogue.models import Collection, CollectionProduct
from marketplace.certification.models import Certification
from marketplace.content.editorjs import blocks_from_text
from marketplace.content.models import Page as ContentPage
from marketplace.content.models import PageType
from marketplace.events.models import Event
from marketplace.events.services import rating_round_publish
from tests.factories import DEFAULT_PASSWORD, make_user
from tests.web.browser.helpers import axe_violations
from tests.web.test_storefront_pages import TODAY, Storefront, storefront  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_in(page: Page, live_server, user) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail or user name").fill(user.username)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()


def test_the_remaining_new_pages_have_no_serious_violation(
    live_server,
    page: Page,
    screenshot,
    storefront: Storefront,  # noqa: F811
):
    Event.objects.create(
        name="Hội chợ OCOP", slug="hoi-cho", starts_on=TODAY, ends_on=TODAY, venue="Biên Hòa", is_published=True
    )
    Certification.objects.filter(product=storefront.coffee).update(decision_number="1234/QĐ-UBND")
    collection = Collection.objects.create(name="Quà Tết", name_en="Tết gifts", slug="qua-tet", is_published=True)
    CollectionProduct.objects.create(collection=collection, product=storefront.coffee)
    kind = PageType.objects.create(name="Giới thiệu", slug="gioi-thieu")
    text = "## About the market\n\nCertified products.\n\n- Coffee\n- Cashews"
    ContentPage.objects.create(
        page_type=kind, title="About", slug="about", content=blocks_from_text(text), is_published=True
    )
    trade = make_user(Role.TRADE_STAFF)
    announcement = rating_round_publish(decision_number="1234/QĐ-UBND", by_user=trade)
    page.context.add_cookies([{"name": "ocop_language", "value": "en", "url": live_server.url}])

    for path, heading in [
        ("/events/", "Fairs and events"),
        (f"/announcements/{announcement.slug}/", "OCOP rating round 1234/QĐ-UBND"),
        ("/accounts/reset/request/", "Choose a new password"),
        ("/collections/qua-tet/", "Tết gifts"),
        ("/pages/about/", "About"),
    ]:
        page.goto(f"{live_server.url}{path}")
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert axe_violations(page) == [], path

    page.goto(f"{live_server.url}/accounts/reset/request/")
    page.get_by_label("E-mail").fill("someone@example.test")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")
    assert axe_violations(page) == []

    _sign_in(page, live_server, trade)
    for path, heading in [("/trade/announcements/", "Rating rounds"), ("/trade/events/", "Fairs and events")]:
        page.goto(f"{live_server.url}{path}")
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert axe_violations(page) == [], path

    page.get_by_role("button", name="Sign out").click()
    _sign_in(page, live_server, make_user(Role.CONSUMER))
    for path, heading in [
        ("/accounts/addresses/", "My addresses"),
        ("/accounts/delete/", "Delete my account"),
        ("/accounts/delete/confirm/?token=a-token", "Delete my account"),
    ]:
        page.goto(f"{live_server.url}{path}")
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        screenshot(page, path.strip("/").replace("/", "-"))
        assert axe_violations(page) == [], path
