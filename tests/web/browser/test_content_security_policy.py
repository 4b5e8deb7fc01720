"""The pages pass their Content-Security-Policy in a real browser: no script, style, frame or image is refused on
the main pages of the shop and the consoles (every `securitypolicyviolation` event and every "Refused to …"
console message is collected), and the policy is the strict one (no inline script allowed)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from marketplace.accounts.models import Role
from tests.factories import DEFAULT_PASSWORD, make_user
from tests.web.test_storefront_pages import Storefront, storefront  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db(transaction=True)

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""


class Watch:
    """What the browser refused on each page visited."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.refused: list[str] = []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", self._console)

    def _console(self, message) -> None:
        if "Refused to" in message.text or "Content Security Policy" in message.text:
            self.refused.append(f"{self.page.url}: {message.text}")

    def visit(self, url: str) -> None:
        response = self.page.goto(url)
        assert response is not None and response.status < 400, (url, response and response.status)
        policy = response.headers.get("content-security-policy", "")
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy, policy
        self.page.wait_for_load_state("load")
        self.check()

    def check(self) -> None:
        self.page.wait_for_timeout(100)  # violation events are dispatched asynchronously
        events = self.page.evaluate("() => window.__cspViolations || []")
        self.refused.extend(f"{self.page.url}: {event}" for event in events)
        assert self.refused == []


def _sign_in(watch: Watch, base: str, username: str) -> None:
    watch.visit(f"{base}/accounts/login/")
    watch.page.get_by_label("E-mail hoặc tên đăng nhập").fill(username)
    watch.page.get_by_label("Mật khẩu").fill(DEFAULT_PASSWORD)
    watch.page.get_by_role("button", name="Đăng nhập").click()
    watch.page.wait_for_load_state("load")
    watch.check()


def test_the_shop_passes_its_policy(live_server, page: Page, storefront: Storefront):  # noqa: F811
    watch = Watch(page)
    base = live_server.url
    for path in ["/", "/products/", "/products/?stars=5", "/verify/", "/verify/DN-2022-0042/", "/accounts/login/"]:
        watch.visit(f"{base}{path}")
    watch.visit(f"{base}/p/{storefront.coffee.slug}/")
    page.get_by_role("button", name="Thêm vào giỏ hàng").click()
    page.wait_for_load_state("load")
    watch.check()
    watch.visit(f"{base}/cart/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    watch.visit(f"{base}/checkout/")
    watch.visit(f"{base}/p/{storefront.coffee.slug}/qr.svg")


def test_the_consoles_pass_their_policy(live_server, page: Page, storefront: Storefront):  # noqa: F811
    users = {
        "/portal/": make_user(Role.PRODUCER_STAFF),
        "/trade/": make_user(Role.TRADE_STAFF),
        "/outlet/": make_user(Role.OUTLET_STAFF, outlet=storefront.tourist_site),
    }
    watch = Watch(page)
    for console, user in users.items():
        page.context.clear_cookies()
        _sign_in(watch, live_server.url, user.username)
        watch.visit(f"{live_server.url}{console}")
        links = [link.get_attribute("href") or "" for link in page.locator("nav a[href^='/']").all()]
        for href in [href for href in links if href.startswith(console)][:8]:  # the console's own pages
            watch.visit(f"{live_server.url}{href}")


def test_the_watch_sees_what_the_policy_refuses(live_server, page: Page):
    """The control: an inline script and a style attribute, added to a page, are refused and reported."""
    watch = Watch(page)
    watch.visit(f"{live_server.url}/")
    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.__ran = true";
          document.body.append(script);
          document.body.insertAdjacentHTML("beforeend", '<p style="color: red">x</p>');
        }"""
    )
    with pytest.raises(AssertionError):
        watch.check()
    assert page.evaluate("() => window.__ran") is None
    assert any("script-src" in refused for refused in watch.refused), watch.refused
    assert any("style-src" in refused for refused in watch.refused), watch.refused
