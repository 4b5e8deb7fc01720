"""The shop's collections and content pages on the web: each collection's products for sale, and each published page's
text, drawn from its EditorJS blocks as plain text (headings, paragraphs, lists; no markup passes through)."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import strip_tags
from django.views.decorators.http import require_GET

from marketplace.catalogue.selectors import UNSHOWN_COLUMNS, listed_products, published_collections
from marketplace.content.selectors import visible_pages
from web.forms import PAGE_SIZE, CatalogueForm, page_links
from web.languages import is_english
from web.page_cache import page_cached
from web.selectors import product_cards


@dataclass(frozen=True)
class Block:
    kind: str  # "header", "paragraph" or "list"
    text: str = ""
    level: int = 2
    items: list[str] = field(default_factory=list)


def _plain(value: Any) -> str:
    return strip_tags(html.unescape(str(value or ""))).strip()


def content_blocks(data: Any) -> list[Block]:
    """The blocks of EditorJS `data` as plain text; blocks of other kinds show their `text`, if any."""
    blocks: list[Block] = []
    raw = data.get("blocks") if isinstance(data, dict) else None
    for block in raw or []:
        body = block.get("data") or {}
        kind = block.get("type")
        if kind == "header":
            blocks.append(Block("header", _plain(body.get("text")), level=3 if body.get("level", 2) >= 3 else 2))
        elif kind == "list":
            blocks.append(Block("list", items=[_plain(item) for item in body.get("items") or []]))
        elif body.get("text"):
            blocks.append(Block("paragraph", _plain(body["text"])))
    return blocks


@require_GET
@page_cached
def collection(request: HttpRequest, slug: str) -> HttpResponse:
    found = published_collections().filter(slug=slug).first()
    if found is None:
        raise Http404
    form = CatalogueForm(request.GET)
    current = form.page_number
    products = listed_products().filter(collections=found).defer(*UNSHOWN_COLUMNS).order_by("name", "pk")
    total = products.count()
    start = (current - 1) * PAGE_SIZE
    cards = product_cards(list(products[start : start + PAGE_SIZE]))
    return render(
        request,
        "web/collection.html",
        {
            "collection": found,
            "cards": cards,
            "total": total,
            "english": is_english(),
            **page_links(total=total, current=current),
        },
    )


@require_GET
@page_cached
def content_page(request: HttpRequest, slug: str) -> HttpResponse:
    found = visible_pages().filter(slug=slug).first()
    if found is None:
        raise Http404
    english = is_english()
    content = found.content_en if english and found.content_en else found.content
    return render(
        request, "web/content_page.html", {"page": found, "blocks": content_blocks(content), "english": english}
    )
