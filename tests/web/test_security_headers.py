"""Every response carries the security headers, and the pages hold nothing their Content-Security-Policy would
refuse: no inline script (JSON-LD data aside), no event-handler attribute, no style attribute or <style>, no
script or stylesheet from elsewhere than this site and Stripe. GraphiQL, when served, has a policy of its own.
HSTS in production settings is checked by `manage.py check --deploy` (tests/test_infrastructure.py)."""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from marketplace.accounts.models import Role
from tests.factories import make_user
from tests.web.test_storefront_pages import Storefront, storefront  # noqa: F401  (fixtures)


class InlineCode(HTMLParser):
    """What a strict policy would refuse in a page's HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…> (an event handler)")
            if name == "style":
                self.problems.append(f"<{tag} style={value!r}>")
            if name in {"href", "src", "action", "formaction"} and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"<{tag} {name}={value!r}>")
        if tag == "style":
            self.problems.append("<style> block")
        if tag == "script":
            kind = (attributes.get("type") or "").lower()
            src = attributes.get("src")
            if src is None and kind not in {"application/ld+json", "application/json"}:
                self._in_script = True
                self.problems.append("inline <script>")
            if src and not (src.startswith("/") and not src.startswith("//")) and "stripe" not in src:
                self.problems.append(f"<script src={src!r}> from elsewhere")
        if tag == "link" and "stylesheet" in (attributes.get("rel") or ""):
            href = attributes.get("href") or ""
            if not (href.startswith("/") and not href.startswith("//")):
                self.problems.append(f"stylesheet {href!r} from elsewhere")


def _problems(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.problems


def _check(response) -> str:
    assert response.status_code == 200, response.status_code
    policy = response["Content-Security-Policy"]
    directives = dict(item.strip().split(" ", 1) for item in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"].split()[0] == "'self'" and "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in policy and "'unsafe-inline'" not in policy
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=(self)" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
    html = response.content.decode()
    assert _problems(html) == []
    return html


def test_the_checker_finds_what_a_policy_refuses():
    html = (
        '<script>alert(1)</script><p style="color:red" onclick="x()">a</p><a href="javascript:void(0)">b</a>'
        '<script src="https://cdn.example/x.js"></script><style>p{}</style>'
        '<script type="application/ld+json">{"@type": "Product"}</script><script src="/static/ok.js"></script>'
    )
    assert len(_problems(html)) == 6


def test_the_shop_pages(storefront: Storefront):  # noqa: F811
    client = Client()
    for path in [
        "/",
        "/products/",
        "/products/?stars=5&q=ca+phe",
        f"/p/{storefront.coffee.slug}/",
        f"/p/{storefront.delisted.slug}/",
        "/verify/",
        "/verify/DN-2022-0042/",
        "/verify/NO-SUCH-1/",
        "/accounts/login/",
        "/cart/",
    ]:
        _check(client.get(path))
    client.post("/cart/add/", {"variant_id": storefront.coffee_variant.pk, "quantity": 1})
    _check(client.get("/cart/"))
    _check(client.get("/checkout/"))


@pytest.mark.parametrize(
    ("role", "paths"),
    [
        (Role.PRODUCER_STAFF, ["/portal/"]),
        (Role.TRADE_STAFF, ["/trade/", "/trade/producers/", "/trade/expiring/", "/trade/reports/", "/trade/sales/"]),
        (Role.OUTLET_STAFF, ["/outlet/"]),
    ],
)
def test_the_consoles(storefront: Storefront, role, paths):  # noqa: F811
    client = Client()
    client.force_login(make_user(role))
    for path in paths:
        _check(client.get(path))


def test_errors_and_static_files_carry_the_headers_too(db):
    missing = Client().get("/no-such-page/")
    assert missing.status_code == 404 and "frame-ancestors 'none'" in missing["Content-Security-Policy"]
    assert _problems(missing.content.decode()) == []


def test_graphiql_has_its_own_policy_with_the_hashes_of_its_inline_code(db, settings):
    settings.DEBUG = True
    response = Client().get("/graphql/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200 and b"graphiql" in response.content.lower()
    policy = dict(item.strip().split(" ", 1) for item in response["Content-Security-Policy"].split(";"))
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "https://cdn.jsdelivr.net" in policy["script-src"]
    html = response.content
    for tag, directive in ((b"script", "script-src"), (b"style", "style-src")):
        pattern = rb"<%s(?![^>]*\bsrc=)[^>]*>(.*?)</%s>" % (tag, tag)
        bodies = re.findall(pattern, html, re.S)
        assert bodies, tag
        for body in bodies:
            digest = base64.b64encode(hashlib.sha256(body).digest()).decode()
            assert f"'sha256-{digest}'" in policy[directive]
    # The JSON answers of the same URL keep the strict policy.
    answer = Client().post("/graphql/", {"query": "{ shop { name } }"}, content_type="application/json")
    assert "cdn.jsdelivr.net" not in answer["Content-Security-Policy"]


def test_graphiql_is_not_served_without_debug(db):
    response = Client().get("/graphql/", HTTP_ACCEPT="text/html")
    assert b"graphiql" not in response.content.lower()
