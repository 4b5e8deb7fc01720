"""The sitemap (sitemaps.org 0.9): an index of sections, each page of a section listing every public page once
per language with its alternates (`xhtml:link hreflang`), as search engines ask for pages in several languages.

Only what is for sale today is listed (the gate, `listed_products()`), and the producers selling it; the
outlets open to visitors; the fixed pages. Sections are kept whole like the other pages (`page_cached`), under
the catalogue's versions and the day: a delisted product leaves them in the transaction that delists it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from marketplace.catalogue.selectors import (
    listed_count,
    listed_products,
    producers_with_listed_products,
    published_collections,
)
from marketplace.content.selectors import visible_pages
from marketplace.events.selectors import published_announcements, published_events
from web.languages import language_urls
from web.page_cache import page_cached
from web.places import visitable_outlets

URLS_PER_PAGE = 10_000  # pages per section page, each listed in both languages: 20,000 <url>, under 50,000
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"


@dataclass(frozen=True)
class Entry:
    path: str
    lastmod: datetime.date | None = None


def _fixed() -> list[Entry]:
    names = ("home", "catalogue", "outlets", "events", "newly_certified", "open_data", "verify")
    return [Entry(reverse(f"web:{name}")) for name in names]


def _page_of(rows: QuerySet[Any], page: int) -> list[Any]:
    start = (page - 1) * URLS_PER_PAGE
    return list(rows[start : start + URLS_PER_PAGE])


def _products(page: int) -> list[Entry]:
    rows = listed_products().order_by("pk").values_list("slug", "updated_at")
    return [Entry(reverse("web:provenance", args=[slug]), updated.date()) for slug, updated in _page_of(rows, page)]


def _producers(page: int) -> list[Entry]:
    slugs = producers_with_listed_products().order_by("pk").values_list("slug", flat=True)
    return [Entry(reverse("web:producer", args=[slug])) for slug in _page_of(slugs, page)]


def _outlets(page: int) -> list[Entry]:
    return [Entry(reverse("web:outlet", args=[slug])) for slug in visitable_outlets().values_list("slug", flat=True)]


def _events(page: int) -> list[Entry]:
    slugs = published_events().order_by("pk").values_list("slug", flat=True)
    return [Entry(reverse("web:event", args=[slug])) for slug in _page_of(slugs, page)]


def _collections(page: int) -> list[Entry]:
    slugs = published_collections().order_by("pk").values_list("slug", flat=True)
    return [Entry(reverse("web:collection", args=[slug])) for slug in _page_of(slugs, page)]


def _content_pages(page: int) -> list[Entry]:
    rows = visible_pages().order_by("pk").values_list("slug", "updated_at")
    return [Entry(reverse("web:content_page", args=[slug]), updated.date()) for slug, updated in _page_of(rows, page)]


def _announcements(page: int) -> list[Entry]:
    slugs = published_announcements().order_by("pk").values_list("slug", flat=True)
    return [Entry(reverse("web:announcement", args=[slug])) for slug in _page_of(slugs, page)]


# section name → (its entries of page n, how many entries in all)
SECTIONS = {
    "pages": (lambda page: _fixed(), lambda: len(_fixed())),
    "outlets": (_outlets, lambda: visitable_outlets().count()),
    "events": (_events, lambda: published_events().count()),
    "announcements": (_announcements, lambda: published_announcements().count()),
    "collections": (_collections, lambda: published_collections().count()),
    "content": (_content_pages, lambda: visible_pages().count()),
    "producers": (_producers, lambda: producers_with_listed_products().count()),
    "products": (_products, lambda: listed_count()),
}


def _xml(lines: Iterable[str]) -> HttpResponse:
    body = '<?xml version="1.0" encoding="UTF-8"?>\n' + "\n".join(lines) + "\n"
    return HttpResponse(body.encode(), content_type="application/xml; charset=utf-8")


@require_GET
@page_cached
def sitemap_index(request: HttpRequest) -> HttpResponse:
    lines = [f'<sitemapindex xmlns="{SITEMAP_NS}">']
    for name, (_entries, count) in SECTIONS.items():
        pages = max(1, -(-count() // URLS_PER_PAGE))
        for page in range(1, pages + 1):
            location = request.build_absolute_uri(reverse("web:sitemap_section", args=[name, page]))
            lines.append(f"<sitemap><loc>{escape(location)}</loc></sitemap>")
    lines.append("</sitemapindex>")
    return _xml(lines)


@require_GET
@page_cached
def sitemap_section(request: HttpRequest, section: str, page: int) -> HttpResponse:
    if section not in SECTIONS or page < 1:
        raise Http404
    entries = SECTIONS[section][0](page)
    if not entries and page > 1:
        raise Http404
    lines = [f'<urlset xmlns="{SITEMAP_NS}" xmlns:xhtml="{XHTML_NS}">']
    for entry in entries:
        versions = [(code, request.build_absolute_uri(url)) for code, url in language_urls(entry.path)]
        alternates = [*versions, ("x-default", versions[0][1])]
        links = "".join(
            f'<xhtml:link rel="alternate" hreflang={quoteattr(code)} href={quoteattr(url)}/>'
            for code, url in alternates
        )
        lastmod = f"<lastmod>{entry.lastmod.isoformat()}</lastmod>" if entry.lastmod else ""
        for _code, url in versions:
            lines.append(f"<url><loc>{escape(url)}</loc>{lastmod}{links}</url>")
    lines.append("</urlset>")
    return _xml(lines)
