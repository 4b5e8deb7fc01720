"""A page in a language by its address, for search engines and shared links: `?hl=en` (English) or no `hl`
(Vietnamese, the default). A visitor's own choice stays a cookie (the language switch); an address with `hl` wins
over it for that request, and the switch takes `hl` out of the address it returns to.

Each public page names its two addresses (`<link rel="alternate" hreflang>`), and the sitemap lists both.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import translation

from marketplace.catalogue.models import ProductVariant
from marketplace.catalogue.packs import pack_name_en

LANGUAGE_PARAM = "hl"
LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)  # the default first
DEFAULT_LANGUAGE = LANGUAGE_CODES[0]


def is_english() -> bool:
    """Whether this request's pages are in English (else Vietnamese, the default)."""
    return (translation.get_language() or DEFAULT_LANGUAGE).startswith("en")


def language_url(path: str, query: QueryDict | None, language: str) -> str:
    """`path` with `query` in `language`: `hl` set for any language but the default, and dropped for it."""
    params = query.copy() if query is not None else QueryDict(mutable=True)
    params.pop(LANGUAGE_PARAM, None)
    if language != DEFAULT_LANGUAGE:
        params[LANGUAGE_PARAM] = language
    encoded = params.urlencode() if params else ""
    return f"{path}?{encoded}" if encoded else path


def language_urls(path: str, query: QueryDict | None = None) -> list[tuple[str, str]]:
    """(language, relative address) of `path` with `query` in every language, the default first."""
    return [(code, language_url(path, query, code)) for code in LANGUAGE_CODES]


def without_language(path: str, query: QueryDict) -> str:
    """`path` with `query` but no `hl`: where the language switch returns, in the language just chosen."""
    params = query.copy()
    params.pop(LANGUAGE_PARAM, None)
    return f"{path}?{params.urlencode()}" if params else path


class UrlLanguageMiddleware:
    """After LocaleMiddleware: `?hl=<code>` sets this request's language (no cookie is set)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        asked = request.GET.get(LANGUAGE_PARAM)
        if asked in LANGUAGE_CODES:
            translation.activate(asked)
            request.LANGUAGE_CODE = asked
        return self.get_response(request)


def pack_label(variant_or_name: ProductVariant | str | None) -> str:
    """A pack's name in the page's language: on English pages the producer's English name, else the Vietnamese
    one with its common words in English ("Hũ 500 g" → "Jar 500 g"); the Vietnamese name elsewhere."""
    if variant_or_name is None:
        return ""
    if isinstance(variant_or_name, str):
        name, english = variant_or_name, ""
    else:
        name, english = variant_or_name.name, variant_or_name.name_en
    if not is_english():
        return name
    return english or pack_name_en(name) or name
