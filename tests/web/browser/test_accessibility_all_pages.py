"""Every page users see, in Vietnamese and English, on a phone (412 × 915) and a desktop (1280 × 800): axe-core finds
no serious or critical WCAG 2 A/AA violation; on the phone nothing scrolls sideways and every visible control is at
least 44 × 44 px (issue 16 §7).

What counts as a control's target, and what is exempt (said here, not only in the code):
- The target of a checkbox or radio button is the box with its labels: the label is clickable, so a 20 px box in a
  44 px tall label is a 44 px target.
- A link inside a sentence is exempt (WCAG 2.5.8's "inline" exception): a link shown inline whose paragraph (p, dd,
  figcaption, blockquote) holds other words than those of links. Links in navigation, footers, list items, table
  cells and rows of links are not exempt.
- Hidden controls (display none, no size, the skip link parked off screen until it is focused) are not targets.

The pages share one database, built once for the module: a fresh database per page would take most of the time. So
the module runs its own live server rather than pytest-django's `live_server` (which empties the database after each
test) and empties the database itself at the end, as a transactional test would. Each test opens its page at the
phone's size, then widens the same page to the desktop's, so one load serves both; the tabs of each role and
language stay open for the module."""

from __future__ import annotations

import dataclasses
import datetime
import json
import uuid
from collections.abc import Callable, Iterator

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Browser, Page
from pytest_django.live_server_helper import LiveServer

from marketplace.accounts.models import Role
from marketplace.catalogue.models import Category, Collection, CollectionProduct, Product
from marketplace.catalogue.services import products_refresh_listing
from marketplace.certification.models import Certification, CertificationStatus, MisuseReport
from marketplace.checkout.services import LineRequest, checkout_create
from marketplace.content.editorjs import blocks_from_text
from marketplace.content.models import Page as ContentPage
from marketplace.content.models import PageType
from marketplace.counter.models import CounterPaymentMethod
from marketplace.counter.services import CounterPayment, SaleItem, counter_sale_create
from marketplace.deliveries.services import AnnouncedLine, delivery_announce
from marketplace.events.models import Event
from marketplace.events.services import rating_round_publish
from marketplace.inventory.models import Stock
from marketplace.stockmoves.services import CountedLine, stock_count_confirm
from marketplace.stockmoves.transfers import transfer_request
from search.indexing import search_index_products
from tests.factories import make_certification, make_user
from tests.marketplace.checkout.fixtures import make_shop
from tests.marketplace.checkout.helpers import place_cash_pickup_order
from tests.web.browser.helpers import AXE, axe_violations

# The tests only read; the mark has the test database made (and wraps each test in a transaction that the live
# server's threads never see).
pytestmark = pytest.mark.django_db

PHONE = {"width": 412, "height": 915}
DESKTOP = {"width": 1280, "height": 800}
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)

# Visible controls smaller than 44 × 44 px, and how far the page scrolls sideways, measured in the page.
MEASURE = """() => {
  const controls = 'a[href], button, input:not([type="hidden"]), select, textarea, summary, [role="button"], '
    + '[tabindex]:not([tabindex="-1"])';
  const textBlocks = new Set(['P', 'DD', 'FIGCAPTION', 'BLOCKQUOTE']);
  const words = /[\\p{L}\\p{N}]{2,}/u;
  function shown(element) {
    const box = element.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1 || box.right <= 0 || box.bottom <= -window.scrollY) return false;
    return element.checkVisibility({visibilityProperty: true});
  }
  function inSentence(element) {  // WCAG 2.5.8: a link in a sentence is exempt
    if (element.tagName !== 'A' || getComputedStyle(element).display !== 'inline') return false;
    let block = element.parentElement;
    while (block && getComputedStyle(block).display.startsWith('inline')) block = block.parentElement;
    if (!block || !textBlocks.has(block.tagName)) return false;
    const rest = block.cloneNode(true);
    rest.querySelectorAll('a, button, input, select, textarea').forEach((each) => each.remove());
    return words.test(rest.textContent);
  }
  function target(element) {  // a checkbox or radio button with its clickable labels
    const boxes = [element.getBoundingClientRect()];
    if (element.labels && ['checkbox', 'radio'].includes(element.type)) {
      for (const label of element.labels) boxes.push(label.getBoundingClientRect());
    }
    const left = Math.min(...boxes.map((b) => b.left)), right = Math.max(...boxes.map((b) => b.right));
    const top = Math.min(...boxes.map((b) => b.top)), bottom = Math.max(...boxes.map((b) => b.bottom));
    return {width: right - left, height: bottom - top};
  }
  const small = [];
  for (const element of document.querySelectorAll(controls)) {
    if (!shown(element) || inSentence(element)) continue;
    const size = target(element);
    if (size.width < 43.5 || size.height < 43.5) {
      const name = (element.innerText || element.value || element.getAttribute('aria-label') || element.name || '')
        .trim().slice(0, 30);
      small.push(`${element.tagName.toLowerCase()}${element.type ? '[' + element.type + ']' : ''} "${name}" `
        + `${Math.round(size.width)}×${Math.round(size.height)}`);
    }
  }
  return {overflow: document.documentElement.scrollWidth - window.innerWidth, small};
}"""


@dataclasses.dataclass
class World:
    url: str
    sessions: dict[str, str]  # role: session cookie
    paths: dict[str, str]  # page: address


def _session(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _build() -> tuple[dict[str, object], dict[str, str]]:
    """One of each thing the pages show: listed products with a rating history, an order, a counter sale, a
    delivery, a stock count, a transfer, an event, a rating round, a collection, a content page."""
    shop = make_shop()  # the checkout tests' shop
    coffee_certificate = Certification.objects.get(product=shop.coffee)
    older = make_certification(
        shop.coffee,
        stars=3,
        valid_from=TODAY - 4 * 365 * DAY,
        status=CertificationStatus.SUPERSEDED,
        certificate_id="DN-A11Y-OLD",
    )
    Certification.objects.filter(pk=coffee_certificate.pk).update(
        stars=5, supersedes=older.certificate_id, decision_number="1234/QĐ-UBND"
    )
    drinks = Category.objects.create(
        kind=Category.Kind.GROUP, scheme="2023", code="II", name="Đồ uống", name_en="Drinks", slug="group-ii"
    )
    Product.objects.filter(pk=shop.coffee.pk).update(group=drinks)
    products_refresh_listing(product_ids=[shop.coffee.pk], trigger="staff")  # five stars, a group: on the home page
    search_index_products(product_ids=[shop.coffee.pk, shop.cashew.pk])  # for the catalogue's filters
    consumer = make_user(Role.CONSUMER)
    coop = make_user(Role.PRODUCER_STAFF, producer=shop.coffee.producer)
    trade = make_user(Role.TRADE_STAFF)
    staff = make_user(Role.OUTLET_STAFF, outlet=shop.tourist_site)
    showroom_staff = make_user(Role.OUTLET_STAFF, outlet=shop.showroom)

    order = place_cash_pickup_order(shop, email=consumer.email, user=consumer)
    checkout_create(
        channel=shop.channel,
        lines=[LineRequest(variant_id=shop.coffee_variant.pk, quantity=2)],
        email=consumer.email,
        language_code="vi",
        user=consumer,
    )
    sale = counter_sale_create(
        outlet=shop.tourist_site,
        by_user=staff,
        items=[SaleItem(variant_id=shop.cashew_variant.pk, quantity=1)],
        payment=CounterPayment(method=CounterPaymentMethod.CASH, cash_received=500_000),
        idempotency_key=str(uuid.uuid4()),
    )
    delivery = delivery_announce(
        producer=shop.coffee.producer,
        outlet=shop.tourist_site,
        by_user=coop,
        expected_on=TODAY + DAY,
        lines=[AnnouncedLine(variant_id=shop.coffee_variant.pk, quantity=6, lot="L-2612")],
        note="Xe đến trước 9 giờ",
    )
    coffee_stock = Stock.objects.get(outlet=shop.tourist_site, variant=shop.coffee_variant)
    stock_count_confirm(
        outlet=shop.tourist_site,
        by_user=staff,
        lines=[CountedLine(stock_id=coffee_stock.pk, quantity_counted=coffee_stock.quantity)],
        idempotency_key=str(uuid.uuid4()),
    )
    transfer_request(
        to_outlet=shop.showroom,
        from_outlet=shop.tourist_site,
        variant_id=shop.coffee_variant.pk,
        quantity=1,
        by_user=showroom_staff,
        idempotency_key=str(uuid.uuid4()),
    )
    MisuseReport.objects.create(
        certificate_id=coffee_certificate.certificate_id,
        certification=coffee_certificate,
        product=shop.coffee,
        place="Chợ Biên Hòa",
        description="Nhãn OCOP trên hàng không rõ nguồn gốc",
    )
    event = Event.objects.create(
        name="Hội chợ OCOP", slug="hoi-cho", starts_on=TODAY, ends_on=TODAY + DAY, venue="Biên Hòa", is_published=True
    )
    announcement = rating_round_publish(decision_number="1234/QĐ-UBND", by_user=trade)
    collection = Collection.objects.create(name="Quà Tết", name_en="Tết gifts", slug="qua-tet", is_published=True)
    CollectionProduct.objects.create(collection=collection, product=shop.coffee)
    ContentPage.objects.create(
        page_type=PageType.objects.create(name="Giới thiệu", slug="gioi-thieu"),
        title="About",
        slug="about",
        content=blocks_from_text("## About the market\n\nCertified products.\n\n- Coffee\n- Cashews"),
        is_published=True,
    )
    coffee = shop.coffee
    users = {"consumer": consumer, "producer": coop, "trade": trade, "outlet": staff}
    paths = {
        # the shop, for anyone
        "home": "/",
        "catalogue": "/products/",
        "catalogue-filtered": "/products/?stars=4&price_min=100000&sort=price",
        "search": "/products/?q=c%C3%A0+ph%C3%AA",
        "search-nothing": "/products/?q=zzzz",
        "provenance": f"/p/{coffee.slug}/",
        "producer": f"/producers/{coffee.producer.slug}/",
        "outlets": "/outlets/",
        "outlet": f"/outlets/{shop.tourist_site.slug}/",
        "showroom": f"/outlets/{shop.showroom.slug}/",
        "events": "/events/",
        "event": f"/events/{event.slug}/",
        "announcement": f"/announcements/{announcement.slug}/",
        "collection": "/collections/qua-tet/",
        "content-page": "/pages/about/",
        "newly-certified": "/newly-certified/",
        "open-data": "/open-data/",
        "verify": "/verify/",
        "verify-certificate": f"/verify/{coffee_certificate.certificate_id}/",
        "cart-empty": "/cart/",
        "sign-in": "/accounts/login/",
        "register": "/accounts/register/",
        "password-reset-request": "/accounts/reset/request/",
        "password-reset-link": "/accounts/reset/?token=an-old-link",
        "account-confirm-link": "/accounts/confirm/?token=an-old-link",
        # a buyer's pages
        "consumer:cart": "/cart/",
        "consumer:checkout": "/checkout/",
        "consumer:order": f"/orders/{order.pk}/",
        "consumer:my-orders": "/accounts/orders/",
        "consumer:addresses": "/accounts/addresses/",
        "consumer:delete-account": "/accounts/delete/",
        "consumer:delete-account-link": "/accounts/delete/confirm/?token=an-old-link",
        # a cooperative's portal
        "producer:portal": "/portal/",
        "producer:portal-product": f"/portal/products/{coffee.pk}/",
        "producer:portal-orders": "/portal/orders/",
        "producer:portal-statement": "/portal/statement/",
        "producer:portal-payout-details": "/portal/payout-details/",
        "producer:portal-deliveries": "/portal/deliveries/",
        "producer:portal-delivery-announce": "/portal/deliveries/announce/",
        "producer:portal-delivery": f"/portal/deliveries/{delivery.pk}/",
        # the department of trade's console
        "trade:home": "/trade/",
        "trade:producers": "/trade/producers/",
        "trade:expiring": "/trade/expiring/",
        "trade:delistings": "/trade/delistings/",
        "trade:quarantine": "/trade/quarantine/",
        "trade:reports": "/trade/reports/",
        "trade:events": "/trade/events/",
        "trade:announcements": "/trade/announcements/",
        "trade:sales": "/trade/sales/",
        "trade:outlet-days": "/trade/outlets/days/",
        "trade:payouts": "/trade/payouts/",
        # an outlet's console
        "outlet:home": "/outlet/",
        "outlet:order": f"/outlet/orders/{order.pk}/",
        "outlet:handover": "/outlet/handover/",
        "outlet:stock": "/outlet/stock/",
        "outlet:sell": "/outlet/sell/",
        "outlet:receipt": f"/outlet/sales/{sale.pk}/",
        "outlet:close-of-day": "/outlet/day/",
        "outlet:count": "/outlet/count/",
        "outlet:write-off": "/outlet/count/write-off/",
        "outlet:count-history": "/outlet/count/history/",
        "outlet:transfers": "/outlet/transfers/",
        "outlet:transfer-request": "/outlet/transfers/request/",
        "outlet:deliveries": "/outlet/deliveries/",
        "outlet:delivery-new": "/outlet/deliveries/new/",
        "outlet:delivery": f"/outlet/deliveries/{delivery.pk}/",
    }
    return users, paths


PAGES = [
    "home",
    "catalogue",
    "catalogue-filtered",
    "search",
    "search-nothing",
    "provenance",
    "producer",
    "outlets",
    "outlet",
    "showroom",
    "events",
    "event",
    "announcement",
    "collection",
    "content-page",
    "newly-certified",
    "open-data",
    "verify",
    "verify-certificate",
    "cart-empty",
    "sign-in",
    "register",
    "password-reset-request",
    "password-reset-link",
    "account-confirm-link",
    "consumer:cart",
    "consumer:checkout",
    "consumer:order",
    "consumer:my-orders",
    "consumer:addresses",
    "consumer:delete-account",
    "consumer:delete-account-link",
    "producer:portal",
    "producer:portal-product",
    "producer:portal-orders",
    "producer:portal-statement",
    "producer:portal-payout-details",
    "producer:portal-deliveries",
    "producer:portal-delivery-announce",
    "producer:portal-delivery",
    "trade:home",
    "trade:producers",
    "trade:expiring",
    "trade:delistings",
    "trade:quarantine",
    "trade:reports",
    "trade:events",
    "trade:announcements",
    "trade:sales",
    "trade:outlet-days",
    "trade:payouts",
    "outlet:home",
    "outlet:order",
    "outlet:handover",
    "outlet:stock",
    "outlet:sell",
    "outlet:receipt",
    "outlet:close-of-day",
    "outlet:count",
    "outlet:write-off",
    "outlet:count-history",
    "outlet:transfers",
    "outlet:transfer-request",
    "outlet:deliveries",
    "outlet:delivery-new",
    "outlet:delivery",
]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()
        try:
            users, paths = _build()
            sessions = {role: _session(user) for role, user in users.items()}
            # The tests run in another context, with a connection of their own: this one would otherwise stay open
            # to the end of the session and keep the test database from being dropped.
            connections.close_all()
            yield World(url=server.url, sessions=sessions, paths=paths)
        finally:
            server._live_server_modified_settings.disable()
            server.stop()
            call_command("flush", interactive=False, verbosity=0)  # as a transactional test leaves it
            connections.close_all()


def test_the_module_visits_every_page(world: World):
    assert sorted(world.paths) == sorted(PAGES)


@pytest.fixture(scope="module")
def tabs(world: World, browser: Browser, browser_context_args: dict) -> Iterator[Callable[[str | None, str], Page]]:
    """tabs(role, language): a browser tab signed in as `role` (None: a visitor) reading `language`, one per pair for
    the whole module: a fresh context per page would cost more than the page's checks. axe-core is loaded into each
    document as it starts (through the DevTools protocol, which the pages' CSP does not stop)."""
    opened: dict[tuple[str | None, str], Page] = {}

    def tab(role: str | None, language: str) -> Page:
        if (role, language) not in opened:
            context = browser.new_context(**browser_context_args)
            context.add_init_script(path=AXE)
            cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": world.url}]
            if role:
                cookies.append({"name": settings.SESSION_COOKIE_NAME, "value": world.sessions[role], "url": world.url})
            context.add_cookies(cookies)
            opened[role, language] = context.new_page()
        return opened[role, language]

    yield tab
    for page in opened.values():
        page.context.close()


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("name", PAGES)
def test_the_page_is_accessible_on_a_phone_and_a_desktop(world: World, tabs, name: str, language: str):
    page = tabs(name.split(":")[0] if ":" in name else None, language)
    page.set_viewport_size(PHONE)
    response = page.goto(f"{world.url}{world.paths[name]}")
    assert response is not None and response.status == 200, (name, response and response.status)
    assert page.evaluate("document.documentElement.lang") == language

    problems: dict[str, object] = {}
    measured = page.evaluate(MEASURE)
    if measured["overflow"] > 0:
        problems["scrolls sideways on a phone by (px)"] = measured["overflow"]
    if measured["small"]:
        problems["controls under 44 × 44 px on a phone"] = measured["small"]
    if found := axe_violations(page):
        problems["axe on a phone"] = [(each["id"], each["nodes"]) for each in found]
    page.set_viewport_size(DESKTOP)
    if found := axe_violations(page):
        problems["axe on a desktop"] = [(each["id"], each["nodes"]) for each in found]
    assert not problems, f"{name}: {json.dumps(problems, ensure_ascii=False, indent=1)}"


# The focused element's rings (the outline, and a box-shadow ring if any) with their widths and colours, and the
# colour behind the element (its first ancestor with a background).
FOCUS_RINGS = """() => {
  const element = document.activeElement, style = getComputedStyle(element);
  const rgb = (text) => (text.match(/rgba?\\(([^)]*)\\)/) || [null, '0, 0, 0, 0'])[1].split(',').map(Number);
  let behind = element.parentElement;
  while (behind && rgb(getComputedStyle(behind).backgroundColor)[3] === 0) behind = behind.parentElement;
  const rings = [];
  if (style.outlineStyle !== 'none') {
    rings.push({width: parseFloat(style.outlineWidth), colour: rgb(style.outlineColor)});
  }
  const shadow = style.boxShadow.match(/(rgba?\\([^)]*\\)) 0px 0px 0px ([\\d.]+)px/);
  if (shadow) rings.push({width: parseFloat(shadow[2]), colour: rgb(shadow[1])});
  return {rings, behind: rgb(behind ? getComputedStyle(behind).backgroundColor : 'rgb(255, 255, 255)')};
}"""


def _luminance(colour: list[float]) -> float:
    def channel(value: float) -> float:
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(value) for value in colour[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(one: list[float], other: list[float]) -> float:
    lighter, darker = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _tab_to(page: Page, selector: str) -> None:
    page.locator("body").focus()
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("(selector) => document.activeElement.matches(selector)", selector):
            return
    raise AssertionError(f"the keyboard never reaches {selector}")


def test_the_focus_ring_stands_out_on_the_header_and_on_white(world: World, tabs, screenshot):
    """A ring at least 2 px wide with 3:1 against what is behind the control (WCAG 1.4.11), for links, buttons and
    fields, in the dark green header and on the white page."""
    page = tabs(None, "en")
    page.set_viewport_size(PHONE)
    page.goto(f"{world.url}/products/")
    seen = {}
    for selector in (
        ".site-header .brand",
        "#site-search",
        ".site-header .search button",
        ".site-header .links a",
        ".site-header .language button",
        "main .sorts a",
        ".filters input[type='checkbox']",
        ".filters input[name='price_min']",
        ".filters button[type='submit']",
        ".site-footer a",
    ):
        _tab_to(page, selector)
        rings = page.evaluate(FOCUS_RINGS)
        ratios = [contrast(ring["colour"], rings["behind"]) for ring in rings["rings"] if ring["width"] >= 2]
        seen[selector] = round(max(ratios, default=0), 1)
        if selector == ".site-header .links a":
            screenshot(page, "a11y-focus-ring")
    assert all(ratio >= 3 for ratio in seen.values()), seen


def test_screenshots_of_the_phone_pages(world: World, tabs, screenshot):
    page = tabs(None, "vi")
    page.set_viewport_size(PHONE)
    page.goto(f"{world.url}/")
    screenshot(page, "a11y-home-phone")
    page.goto(f"{world.url}/products/?stars=4#filters")
    page.locator("#filters").scroll_into_view_if_needed()
    screenshot(page, "a11y-catalogue-filters-phone")
