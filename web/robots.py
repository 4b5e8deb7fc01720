"""What search engines may crawl: `robots.txt`, and `X-Robots-Tag: noindex` on every private page.

Carts, checkouts, orders, accounts and the consoles are each visitor's own: never crawled, never indexed.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

# Address prefixes of private pages ("/outlet/" is the outlet staff's console; "/outlets/" is public).
PRIVATE_PREFIXES = (
    "/accounts/",
    "/admin/",
    "/cart/",
    "/checkout/",
    "/graphql/",
    "/orders/",
    "/outlet/",
    "/payments/",
    "/portal/",
    "/trade/",
)


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", *(f"Disallow: {prefix}" for prefix in PRIVATE_PREFIXES)]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('web:sitemap_index'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


class NoIndexMiddleware:
    """`X-Robots-Tag: noindex, nofollow` on the answers of private pages, whatever their template."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(PRIVATE_PREFIXES):
            response["X-Robots-Tag"] = "noindex, nofollow"
        return response
