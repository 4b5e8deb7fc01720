#!/usr/bin/env python3
"""Drive Saleor's storefront, unchanged, through a buyer's journey against our API (run by hand, not in CI).

    .venv/bin/python scripts/saleor_storefront_journey.py [--storefront URL] [--mail-log FILE] [--out DIR]

Needs `make run` (our API on :8000) and the storefront built and started against it
(`bash scripts/saleor_storefront_build.sh STOREFRONT_DIR`, on :3000); see docs/saleor-storefront.md.
Drives Debian's Chromium (/usr/bin/chromium) with Playwright through: the home page with OCOP products and
the menu, a category, a search for "mật ong", a product page, add to cart, a guest checkout delivered to an
address in Đồng Nai and paid with the test gateway, the order confirmation; then registering an account
(confirmed through the link of its e-mail, read from the Celery worker's log where `make run` prints
e-mails), signing in and the order history.

Saves a screenshot per step in test-artifacts/saleor-storefront/ and prints each step with its time.
A step that fails ends its part of the journey (the shopping part, or the account part; with --keep-going
the next steps are tried anyway); the script prints where it stopped and exits non-zero.
Requests leaving 127.0.0.1 are refused and listed.
"""

from __future__ import annotations

import argparse
import contextlib
import quopri
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

from playwright.sync_api import Browser, Page, Route, expect, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
CHANNEL_PATH = "/en/default-channel"
SEARCH = "mật ong"
# A home address in Đồng Nai (the demo's delivery zone), as the storefront's address form asks for it.
ADDRESS = {
    "firstName": "Lan",
    "lastName": "Trần",
    "streetAddress1": "25 Đường Võ Thị Sáu",
    "city": "Phường Trấn Biên",
    "postalCode": "810000",
    "phone": "+84912345678",
}
PROVINCE = re.compile("Đồng Nai|Dong Nai", re.I)
PASSWORD = "ocop-journey-2026"
STEP_TIMEOUT_MS = 45_000


class JourneyError(Exception):
    pass


@dataclass
class Journey:
    storefront: str
    out: Path
    mail_log: Path
    email: str
    results: list[tuple[str, str, float, str]] = field(default_factory=list)  # step, status, seconds, note
    outside: list[str] = field(default_factory=list)
    checkout_url: str = ""

    def url(self, path: str) -> str:
        return self.storefront.rstrip("/") + path

    def shot(self, page: Page, name: str) -> None:
        page.screenshot(path=str(self.out / f"{len(self.results) + 1:02d}-{name}.png"), full_page=True)

    def step(self, page: Page, name: str, action: Callable[[Page], str]) -> None:
        started = time.monotonic()
        try:
            note = action(page)
        except Exception as error:  # any failure ends this part of the journey, and is reported
            seconds = time.monotonic() - started
            with contextlib.suppress(Exception):  # the page may be gone
                self.shot(page, f"{name}-failed")
            message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            self.results.append((name, "FAILED", seconds, f"{message} (at {page.url})"))
            raise JourneyError(name) from error
        seconds = time.monotonic() - started
        self.shot(page, name)
        self.results.append((name, "ok", seconds, note))
        print(f"ok      {name:22} {seconds:6.1f} s  {note}", flush=True)

    # --- the shopping part ---------------------------------------------------------------------------------

    def home(self, page: Page) -> str:
        page.goto(self.url("/"), wait_until="domcontentloaded")
        page.wait_for_url(re.compile(re.escape(CHANNEL_PATH)))
        menu = page.locator("header nav a, header nav button")
        expect(menu.first).to_be_visible(timeout=STEP_TIMEOUT_MS)
        items = [text.strip() for text in menu.all_inner_texts() if text.strip()]
        products = page.locator(f"main a[href*='{CHANNEL_PATH}/products/']")
        expect(products.first).to_be_visible(timeout=STEP_TIMEOUT_MS)
        return f"{products.count()} product links; menu: {', '.join(items)}"

    def category(self, page: Page) -> str:
        """A category from the menu: its groups sit under a drop-down, opened like a shopper would."""
        links = page.locator(f"header a[href*='{CHANNEL_PATH}/categories/']")
        triggers = page.locator("header nav button")
        for index in range(triggers.count()):
            if links.count():
                break
            triggers.nth(index).hover()  # the menu opens on hover; a click after it would close it again
            page.wait_for_timeout(500)
        expect(links.first).to_be_visible(timeout=STEP_TIMEOUT_MS)
        name = links.first.inner_text().strip()
        links.first.click()
        page.wait_for_url(re.compile("/categories/"), timeout=STEP_TIMEOUT_MS)
        expect(page.locator("h1").first).to_be_visible(timeout=STEP_TIMEOUT_MS)
        products = page.locator(f"main a[href*='{CHANNEL_PATH}/products/']")
        expect(products.first).to_be_visible(timeout=STEP_TIMEOUT_MS)
        return f"{name!r}: {products.count()} product links"

    def search(self, page: Page) -> str:
        box = page.get_by_placeholder(re.compile("search for products", re.I)).first
        box.fill(SEARCH)
        box.press("Enter")
        page.wait_for_url(re.compile(r"/search\?"), timeout=STEP_TIMEOUT_MS)
        products = page.locator(f"main a[href*='{CHANNEL_PATH}/products/']")
        expect(products.first).to_be_visible(timeout=STEP_TIMEOUT_MS)
        return f"{products.count()} product links for {SEARCH!r}"

    def product(self, page: Page) -> str:
        page.locator(f"main a[href*='{CHANNEL_PATH}/products/']").first.click()
        page.wait_for_url(re.compile(r"/products/"), timeout=STEP_TIMEOUT_MS)
        title = page.locator("h1").first
        expect(title).to_be_visible(timeout=STEP_TIMEOUT_MS)
        return title.inner_text()

    def add_to_cart(self, page: Page) -> str:
        button = page.locator("button:not([disabled])", has_text=re.compile("add to (bag|cart)", re.I)).first
        expect(button).to_be_visible(timeout=STEP_TIMEOUT_MS)
        button.click()
        deadline = time.monotonic() + STEP_TIMEOUT_MS / 1000
        while time.monotonic() < deadline:
            ids = [c["value"] for c in page.context.cookies() if c["name"].startswith("checkoutId-") and c["value"]]
            if ids:
                self.checkout_url = self.url(f"/checkout?checkout={ids[0]}&locale=en")
                return f"checkout {ids[0]}"
            page.wait_for_timeout(250)
        raise JourneyError("no checkoutId cookie after adding to the cart")

    def contact(self, page: Page) -> str:
        """The checkout's first step asks for the e-mail and the shipping address together."""
        page.goto(self.checkout_url)
        email = page.get_by_role("textbox", name=re.compile("email", re.I)).first
        expect(email).to_be_visible(timeout=STEP_TIMEOUT_MS)
        email.fill(self.email)
        return self.email

    def shipping(self, page: Page) -> str:
        country = page.locator("select[name=countryCode]")
        if country.count():
            country.first.select_option("VN")
        expect(page.locator("[name=streetAddress1]").first).to_be_visible(timeout=STEP_TIMEOUT_MS)
        for name, value in ADDRESS.items():
            field_ = page.locator(f"[name={name}]")
            if field_.count():
                field_.first.fill(value)
        area = page.locator("select[name=countryArea]")
        if area.count():
            label = next(o for o in area.first.locator("option").all_inner_texts() if PROVINCE.search(o))
            area.first.select_option(label=label)
        elif page.locator("input[name=countryArea]").count():
            page.locator("input[name=countryArea]").first.fill("Đồng Nai")
        page.get_by_role("button", name=re.compile("continue to shipping", re.I)).first.click()
        method = page.get_by_role("radio").first
        expect(method).to_be_visible(timeout=STEP_TIMEOUT_MS)
        method.check()
        options = page.get_by_role("radio").count()
        page.get_by_role("button", name=re.compile("continue to payment", re.I)).first.click()
        return f"{options} delivery options, the first chosen"

    def payment(self, page: Page) -> str:
        expect(page.get_by_text(re.compile("dummy|test mode", re.I)).first).to_be_visible(timeout=STEP_TIMEOUT_MS)
        page.get_by_role("button", name=re.compile(r"^(pay|complete order)", re.I)).first.click()
        page.wait_for_url(re.compile(r"/checkout/complete|order="), timeout=STEP_TIMEOUT_MS)
        return "paid with the test gateway"

    def confirmation(self, page: Page) -> str:
        if "/checkout/complete" not in page.url and "order=" not in page.url:
            raise JourneyError("not on the confirmation page")
        expect(
            page.get_by_text(re.compile("thank you for your order|your order is confirmed", re.I)).first
        ).to_be_visible(timeout=STEP_TIMEOUT_MS)
        number = re.search(r"Order #\s?(\d+)", page.inner_text("body"))
        return f"order {number.group(1) if number else '(number not shown)'}"

    # --- the account part ----------------------------------------------------------------------------------

    def register(self, page: Page) -> str:
        page.goto(self.url(f"{CHANNEL_PATH}/signup"))
        expect(page.locator("#email")).to_be_visible(timeout=STEP_TIMEOUT_MS)
        page.locator("#firstName").fill("Lan")
        page.locator("#lastName").fill("Trần")
        page.locator("#email").fill(self.email)
        page.locator("#password").fill(PASSWORD)
        page.locator("#confirmPassword").fill(PASSWORD)
        page.locator("button[type=submit]").click()
        expect(page.get_by_text(re.compile("account created|check your email", re.I)).first).to_be_visible(
            timeout=STEP_TIMEOUT_MS
        )
        return self.email

    def confirm(self, page: Page) -> str:
        link = self._confirmation_link()
        page.goto(link)
        expect(page.get_by_text(re.compile("is active|sign in", re.I)).first).to_be_visible(timeout=STEP_TIMEOUT_MS)
        return link.split("?", 1)[0]

    def _confirmation_link(self) -> str:
        deadline = time.monotonic() + 30
        pattern = re.compile(r"https?://[^\s\"'<>]+token=[^\s\"'<>]+")
        wanted = (self.email, quote(self.email, safe=""))
        while time.monotonic() < deadline:
            if self.mail_log.exists():
                text = quopri.decodestring(self.mail_log.read_bytes()).decode("utf-8", "replace")
                links = [link for link in pattern.findall(text) if any(w in link for w in wanted)]
                if links:
                    return links[-1].replace("&amp;", "&")
            time.sleep(1)
        raise JourneyError(f"no confirmation link for {self.email} in {self.mail_log}")

    def sign_in(self, page: Page) -> str:
        page.goto(self.url(f"{CHANNEL_PATH}/login"))
        page.get_by_role("textbox", name=re.compile("email", re.I)).first.fill(self.email)
        page.locator("input[type=password]").first.fill(PASSWORD)
        page.get_by_role("button", name=re.compile("^sign in$", re.I)).first.click()
        page.wait_for_url(lambda url: "/login" not in url, timeout=STEP_TIMEOUT_MS)
        return page.url

    def orders(self, page: Page) -> str:
        page.goto(self.url(f"{CHANNEL_PATH}/account/orders"))
        expect(page.get_by_role("heading", name=re.compile("orders", re.I)).first).to_be_visible(
            timeout=STEP_TIMEOUT_MS
        )
        text = page.inner_text("main")
        numbers = re.findall(r"ORD-\d+|#\d+", text)
        return f"{len(numbers)} orders listed" if numbers else "no orders listed"


def refuse_outside(journey: Journey) -> Callable[[Route], None]:
    def handle(route: Route) -> None:
        url = route.request.url
        host = urlsplit(url).hostname or ""
        if host in ("127.0.0.1", "localhost") or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            journey.outside.append(url)
            route.abort()

    return handle


def run(journey: Journey, browser: Browser, *, keep_going: bool) -> bool:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    context.route("**/*", refuse_outside(journey))
    page = context.new_page()
    page.set_default_timeout(STEP_TIMEOUT_MS)
    parts = (
        ("home", "category", "search", "product", "add_to_cart", "contact", "shipping", "payment", "confirmation"),
        ("register", "confirm", "sign_in", "orders"),
    )
    completed = True
    for part in parts:
        for name in part:
            try:
                journey.step(page, name, getattr(journey, name))
            except JourneyError:
                step, _, seconds, note = journey.results[-1]
                print(f"FAILED  {step:22} {seconds:6.1f} s  {note}", flush=True)
                completed = False
                if not keep_going:
                    break
    context.close()
    return completed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--storefront", default="http://127.0.0.1:3000", help="the running storefront")
    parser.add_argument(
        "--mail-log",
        type=Path,
        default=ROOT / "var" / "log" / "celery-worker.log",
        help="where `make run` prints the e-mails it sends (the Celery worker's log)",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "test-artifacts" / "saleor-storefront")
    parser.add_argument("--email", help="the buyer's e-mail (default: a new one per run)")
    parser.add_argument(
        "--keep-going", action="store_true", help="try the next steps after a failed one (to see what else fails)"
    )
    args = parser.parse_args()

    args.out.mkdir(parents=True, exist_ok=True)
    for old in args.out.glob("*.png"):
        old.unlink()
    email = args.email or f"khach-{int(time.time())}@example.com"
    journey = Journey(storefront=args.storefront, out=args.out, mail_log=args.mail_log, email=email)
    started = time.monotonic()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            completed = run(journey, browser, keep_going=args.keep_going)
        finally:
            browser.close()

    print(f"\n{'step':22} {'result':7} {'seconds':>7}")
    for name, status, seconds, _ in journey.results:
        print(f"{name:22} {status:7} {seconds:7.1f}")
    print(f"total {time.monotonic() - started:.1f} s; screenshots in {args.out}:")
    for shot in sorted(args.out.glob("*.png")):
        print(f"  {shot.name}")
    outside = sorted(set(journey.outside))
    print(f"requests refused (outside 127.0.0.1): {len(outside)}")
    for url in outside:
        print(f"  {url}")
    return 0 if completed else 1


if __name__ == "__main__":
    sys.exit(main())
