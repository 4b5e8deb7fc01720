"""The headers every response carries beyond Django's own: a Content-Security-Policy and a Permissions-Policy.

Django's `SecurityMiddleware` already sends `X-Content-Type-Options: nosniff`, `Referrer-Policy: same-origin`,
`Cross-Origin-Opener-Policy: same-origin` (and HSTS in production settings); `XFrameOptionsMiddleware` sends
`X-Frame-Options: DENY`. This middleware adds:

- **Content-Security-Policy** for the pages: scripts and styles only from this site (no inline script, no
  inline style, no `eval`), plus Stripe.js's origin (`STRIPE_JS_URL`) for the card page and the API it talks
  to (`STRIPE_API_BASE`, or Stripe's); images from this site, `data:` and Stripe; nothing may frame us
  (`frame-ancestors 'none'`), forms post only here, no plugins, no `<base>` elsewhere. The pages hold no inline
  script: JavaScript lives in static files, and the product page's JSON-LD is data, which CSP does not run.
- **A policy of its own for GraphiQL** (`/graphql/` in a browser, served only with `DEBUG`): graphene-django's
  page loads GraphiQL from cdn.jsdelivr.net and holds one inline `<script>` and one `<style>`, which are allowed
  by their SHA-256 hashes, computed from the very page served (no `'unsafe-inline'`).
- **Permissions-Policy**: the camera for this site only (the pickup counter's scanner), payment for this site and
  Stripe, and no microphone, geolocation, USB or the like.

`CSP_REPORT_URI`, when set, adds `report-uri` so browsers report what they refuse.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

STRIPE_JS = "https://js.stripe.com"
STRIPE_API = "https://api.stripe.com"
STRIPE_HOOKS = "https://hooks.stripe.com"
GRAPHIQL_CDN = "https://cdn.jsdelivr.net"

PERMISSIONS_POLICY = ", ".join(
    [
        "camera=(self)",
        f'payment=(self "{STRIPE_JS}")',
        "microphone=()",
        "geolocation=()",
        "usb=()",
        "serial=()",
        "bluetooth=()",
        "midi=()",
        "magnetometer=()",
        "gyroscope=()",
        "accelerometer=()",
        "browsing-topics=()",
    ]
)

INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S | re.I)
INLINE_STYLE = re.compile(rb"<style[^>]*>(?P<body>.*?)</style>", re.S | re.I)
DATA_BLOCK = re.compile(rb"""type\s*=\s*["']application/(ld\+)?json["']""", re.I)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def _join(directives: dict[str, list[str]]) -> str:
    return "; ".join(f"{name} {' '.join(dict.fromkeys(values))}".strip() for name, values in directives.items())


@lru_cache(maxsize=8)
def _page_policy(stripe_js_url: str, stripe_api_base: str, report_uri: str) -> str:
    stripe_js = _origin(stripe_js_url) or STRIPE_JS
    stripe_api = _origin(stripe_api_base) or STRIPE_API
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", stripe_js],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", stripe_js, "https://*.stripe.com"],
        "font-src": ["'self'"],
        "connect-src": ["'self'", stripe_js, stripe_api],
        "frame-src": [stripe_js, STRIPE_JS, STRIPE_HOOKS],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
    if report_uri:
        directives["report-uri"] = [report_uri]
    return _join(directives)


def page_policy() -> str:
    """The Content-Security-Policy of the pages (and of every response that is not GraphiQL)."""
    return _page_policy(settings.STRIPE_JS_URL, settings.STRIPE_API_BASE, getattr(settings, "CSP_REPORT_URI", ""))


def _hashes(pattern: re.Pattern[bytes], html: bytes) -> list[str]:
    hashes = []
    for match in pattern.finditer(html):
        if "attrs" in pattern.groupindex and DATA_BLOCK.search(match.group("attrs")):
            continue
        digest = base64.b64encode(hashlib.sha256(match.group("body")).digest()).decode()
        hashes.append(f"'sha256-{digest}'")
    return hashes


def graphiql_policy(html: bytes) -> str:
    """GraphiQL's policy: its CDN, and its inline script and style by the hashes of what this page holds."""
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", GRAPHIQL_CDN, *_hashes(INLINE_SCRIPT, html)],
        "style-src": ["'self'", GRAPHIQL_CDN, *_hashes(INLINE_STYLE, html)],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:", GRAPHIQL_CDN],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
    return _join(directives)


@lru_cache(maxsize=1)
def _graphql_path() -> str:
    return reverse("graphql")


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            graphiql = (
                request.path_info == _graphql_path()
                and response.get("Content-Type", "").startswith("text/html")
                and not response.streaming
            )
            response["Content-Security-Policy"] = graphiql_policy(response.content) if graphiql else page_policy()
        if "Permissions-Policy" not in response:
            response["Permissions-Policy"] = PERMISSIONS_POLICY
        return response
