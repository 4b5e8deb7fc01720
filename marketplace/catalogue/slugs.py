"""English slugs of products, categories and collections: one URL per language, as Saleor's translated slugs.

A row's `slug` is its Vietnamese (default) slug; `slug_en` is made from its English name. An English
slug is unique among the English slugs of its model and differs from the other rows' Vietnamese slugs,
so a lookup in English (`slug_en` first, then `slug`) never lands on another row. A row without an
English name keeps `slug_en` empty and is reached by its Vietnamese slug in every language.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import TypeVar

from django.db.models import Model, Q

from marketplace.catalogue.models import Category, Collection, Product
from marketplace.core.text import slugify_vi

K = TypeVar("K", bound=Hashable)
MAX_SLUG_LENGTH = 240  # room for a "-N" suffix within the column's 255


def free_english_slugs(model: type[Model], wanted: Mapping[K, tuple[str, str]]) -> dict[K, str]:
    """English slugs for rows of `model` (key → (English name, the row's own Vietnamese slug)).

    Names that make no slug are left out. Rows asked for together get distinct slugs; the first
    keeps the plain slug, the others get "-2", "-3", ... The row's own Vietnamese slug may be reused.
    Two statements whatever the number of rows: each base's family (the base and its "-N" slugs) is
    read at once, English and Vietnamese, and the numbering goes on in memory.
    """
    bases = {key: slugify_vi(name, max_length=MAX_SLUG_LENGTH) for key, (name, _own) in wanted.items()}
    bases = {key: base for key, base in bases.items() if base}
    if not bases:
        return {}
    families = set(bases.values())
    taken_en = _slugs_of_the_families(model, "slug_en", families)
    taken = _slugs_of_the_families(model, "slug", families)

    def used(candidate: str, own: str) -> bool:
        return candidate in taken_en or (candidate in taken and candidate != own)  # `own` is this row's

    next_number: dict[str, int] = {}
    slugs: dict[K, str] = {}
    for key, base in bases.items():
        own = wanted[key][1]
        candidate, number = base, next_number.get(base, 2)
        while used(candidate, own):
            candidate, number = f"{base}-{number}", number + 1
        if candidate != base:
            next_number[base] = number  # the numbers below are taken: the base's next row starts here
        taken_en.add(candidate)
        slugs[key] = candidate
    return slugs


def _slugs_of_the_families(model: type[Model], field: str, bases: set[str]) -> set[str]:
    """The values of `field` that are one of `bases` or one of them followed by "-N".

    Read by prefix, so the column's pattern index (Django's `_like` index on a slug) serves it; a prefix
    also brings longer slugs ("honey-cake" for "honey"), which the pattern leaves out.
    """
    condition = Q()
    for base in bases:
        condition |= Q(**{field: base}) | Q(**{f"{field}__startswith": f"{base}-"})
    found = model._default_manager.filter(condition).values_list(field, flat=True)
    return {slug for slug in found if slug in bases or _numbered_base(slug) in bases}


def _numbered_base(slug: str) -> str:
    """The base of a numbered slug ("honey" for "honey-12"); empty when it does not end in "-N"."""
    base, dash, number = slug.rpartition("-")
    return base if dash and number.isdigit() else ""


def english_slug_fill(row: Product | Category | Collection) -> None:
    """Give `row` (about to be saved) an English slug from its English name, when it has none yet."""
    if row.name_en and not row.slug_en:
        row.slug_en = free_english_slugs(type(row), {row.pk: (row.name_en, row.slug)}).get(row.pk, "")
