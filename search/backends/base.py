"""The search interface both backends implement, in plain data: no Django models cross it."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from marketplace.core.text import fold
from marketplace.producers.models import ProducerKind


class SortField(StrEnum):
    RELEVANCE = "relevance"
    PRICE = "price"
    STARS = "stars"
    NEWEST = "newest"


class Facet(StrEnum):
    STARS = "stars"
    GROUP = "group"  # the OCOP product group (a Category of kind "group"), by category id
    COMMUNE = "commune"  # the producer's commune in today's units
    DISTRICT = "district"  # the producer's district before July 2025, as the registry gives it
    PRODUCER_KIND = "producer_kind"
    OUTLET = "outlet"  # outlets holding stock of the product, by outlet id


@dataclass(frozen=True)
class SearchFilters:
    stars: tuple[int, ...] = ()
    group_ids: tuple[int, ...] = ()
    communes: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()
    producer_kinds: tuple[str, ...] = ()
    outlet_ids: tuple[int, ...] = ()
    price_min: int | None = None  # whole đồng, against the product's lowest variant price
    price_max: int | None = None


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    filters: SearchFilters = field(default_factory=SearchFilters)
    sort: SortField = SortField.RELEVANCE
    descending: bool = True
    offset: int = 0
    limit: int = 20
    # False: only the page is wanted (the caller has the total and facets already, or needs only ranked ids); a
    # backend may then leave `total` at -1 and `facets` empty. With text, only from offset 0 (an empty first page
    # tells that nothing matched, for the typo fallback).
    counts: bool = True
    # False: the caller shows no facets; a backend may then leave them empty (the total is still counted).
    facets: bool = True


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int


_WORD = re.compile(r"\w+")
MAX_QUERY_WORDS = 12  # words of a query read; the rest are ignored


def folded_words(text: str) -> list[str]:
    """The words of `text`, folded like `fold()` ("Đồng Nai" → ["dong", "nai"]): how both backends read a
    query and a name, so they agree on what an exact name is."""
    return _WORD.findall(fold(text))


def facet_label(facet: Facet, value: str, name: str | None) -> str:
    """How a facet value reads on the catalogue page, whichever backend counted it."""
    if facet == Facet.STARS:
        return f"{value}★"
    if facet == Facet.PRODUCER_KIND and value in ProducerKind.values:
        return str(ProducerKind(value).label)
    return name or value


@dataclass(frozen=True)
class SearchResult:
    product_ids: list[int]  # this page, in rank order
    total: int  # every match, for totalCount
    facets: dict[Facet, list[FacetValue]]
    # True: nothing matched the words as written, and these are products with similar names (typos corrected,
    # or a fuzzy match): the page says so ("No products found for …"). `corrected_text`: the words used, folded.
    corrected: bool = False
    corrected_text: str = ""


@dataclass(frozen=True)
class ProductDocument:
    """What the index holds of one listed product (built by `search.documents`)."""

    product_id: int
    name: str
    name_en: str
    slug: str
    description: str
    producer_name: str
    producer_kind: str
    commune: str
    district: str
    province: str
    group_id: int | None
    group_name: str
    category_name: str
    stars: int
    price_min: int | None
    price_max: int | None
    outlet_ids: tuple[int, ...]
    outlet_names: tuple[str, ...]
    created_at: str  # ISO 8601
    group_name_en: str = ""
    category_name_en: str = ""  # the product set's English name


ProgressCallback = Callable[[int, int], None]  # (done, total)


class SearchBackend(Protocol):
    def search(self, query: SearchQuery) -> SearchResult: ...

    def index(self, documents: Sequence[ProductDocument]) -> None:
        """Add or replace these documents."""

    def remove(self, product_ids: Iterable[int]) -> None:
        """Take these products out of the index (delisted, or gone)."""

    def reset(self) -> None:
        """Drop and re-create the index (empty), with its mapping."""

    def terms_in_names(self, terms: Sequence[str]) -> set[str]:
        """Which of these folded words or phrases ("mat ong") some indexed product's names hold (with the
        vocabulary's kinds found in them: `search.matching.name_texts`)."""
