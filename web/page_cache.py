"""Consumer pages kept whole in the cache for visitors who have nothing of their own on them.

The home page, the catalogue and a product's provenance page are the same for every visitor who is not
signed in, has an empty cart and no message waiting, in one language, at one address, on one day, except
for the CSRF token of their forms (the language switch, add to cart), which is each visitor's own. Such a
page is kept under `marketplace.catalogue.read_cache.answer_key` (whose versions every change to the
catalogue, the search index or anything else shown bumps, so a delisted product leaves the kept pages in
the transaction that delists it) with its tokens cut out, and is served with the visitor's own token put
back: no view runs, no query is made.

A view keeps an answer out of the cache by marking it `Cache-Control: private` (or `no-store`, `no-cache`,
as `django.views.decorators.cache.never_cache` does). A certificate's verdict is not kept: look-ups of numbers
that do not exist are counted per connection, and a connection over its limit is refused every verdict, so
that the answers cannot tell it which numbers exist.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token

from marketplace.catalogue.read_cache import keep_answer, look_up_answer

# What `{% csrf_token %}` writes; every occurrence in one page holds the same token.
_TOKEN_FIELD = re.compile(rb'(name="csrfmiddlewaretoken" value=")([^"]*)(")')
_TOKEN_HOLE = b"\x00csrf-token\x00"
_NOT_SHARED = re.compile(r"private|no-store|no-cache")

View = Callable[..., HttpResponse]


@dataclass(frozen=True)
class KeptPage:
    status: int
    headers: tuple[tuple[str, str], ...]
    content: bytes  # with `_TOKEN_HOLE` where the CSRF tokens were


def page_cached(view: View) -> View:
    """`view`'s GET answers kept for visitors with nothing of their own on the page (see the module)."""

    @wraps(view)
    def cached_view(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        found = _kept_page(request)
        if found is None:
            return view(request, *args, **kwargs)
        key, kept = found
        if isinstance(kept, KeptPage):
            return _served(request, kept)
        response = view(request, *args, **kwargs)
        if _keepable(request, response):
            keep_answer(key, _kept(response))
        return response

    return cached_view


def _kept_page(request: HttpRequest) -> tuple[str, object] | None:
    """The page's key and what is kept under it, or None when the visitor has something of their own on it."""
    if request.method != "GET" or request.user.is_authenticated or request.session.get("cart_quantity"):
        return None
    if len(get_messages(request)):  # counted without marking them shown
        return None
    asked = "\n".join((request.scheme or "http", request.get_host(), request.get_full_path(), request.LANGUAGE_CODE))
    return look_up_answer(kind="page", fingerprint=asked.encode())


def _keepable(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not _NOT_SHARED.search(response.get("Cache-Control", ""))
        and not len(get_messages(request))  # the view left a message for the next page
    )


def _kept(response: HttpResponse) -> KeptPage:
    return KeptPage(
        status=response.status_code,
        headers=tuple(response.headers.items()),
        content=_TOKEN_FIELD.sub(rb"\1" + _TOKEN_HOLE + rb"\3", response.content),
    )


def _served(request: HttpRequest, kept: KeptPage) -> HttpResponse:
    content = kept.content
    if _TOKEN_HOLE in content:
        content = content.replace(_TOKEN_HOLE, get_token(request).encode())
    response = HttpResponse(content, status=kept.status)
    for name, value in kept.headers:
        response[name] = value
    return response
