"""English slugs of products, categories and collections: one URL per language, as Saleor's translated slugs.

A row's `slug` is its Vietnamese (default) slug; `slug_en` is made from its English name. An English
slug is unique among the English slugs of its model and differs from the other rows' Vietnamese slugs,
so a lookup in English (`slug_en` first, then `slug`) never lands on another row. A row without an
English name keeps `slug_en` empty and is reached by its Vietnamese slug in every language.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import TypeVar

from django.db.models import Model

from marketplace.catalogue.models import Category, Collection, Product
from marketplace.core.text import slugify_vi

K = TypeVar("K", bound=Hashable)
MAX_SLUG_LENGTH = 240  # room for a "-N" suffix within the column's 255


def free_english_slugs(model: type[Model], wanted: Mapping[K, tuple[str, str]]) -> dict[K, str]:
    """English slugs for rows of `model` (key → (English name, the row's own Vietnamese slug)).

    Names that make no slug are left out. Rows asked for together get distinct slugs; the first
    keeps the plain slug, the others get "-2", "-3", ... The row's own Vietnamese slug may be reused.
    """
    bases = {key: slugify_vi(name, max_length=MAX_SLUG_LENGTH) for key, (name, _own) in wanted.items()}
    bases = {key: base for key, base in bases.items() if base}
    if not bases:
        return {}
    known = set(bases.values())  # whose use is read once, here; "-N" variants are read as they come up
    taken_en = set(model._default_manager.filter(slug_en__in=known).values_list("slug_en", flat=True))
    taken = set(model._default_manager.filter(slug__in=known).values_list("slug", flat=True))

    def used(candidate: str, own: str) -> bool:
        if candidate in taken_en:
            return True
        if candidate in taken:
            return candidate != own  # slugs are unique: the row holding `own` is this one
        if candidate in known:
            return False
        known.add(candidate)
        taken_en.update(model._default_manager.filter(slug_en=candidate).values_list("slug_en", flat=True))
        taken.update(model._default_manager.filter(slug=candidate).values_list("slug", flat=True))
        return used(candidate, own)

    slugs: dict[K, str] = {}
    for key, base in bases.items():
        own = wanted[key][1]
        candidate, number = base, 2
        while used(candidate, own):
            candidate, number = f"{base}-{number}", number + 1
        taken_en.add(candidate)
        slugs[key] = candidate
    return slugs


def english_slug_fill(row: Product | Category | Collection) -> None:
    """Give `row` (about to be saved) an English slug from its English name, when it has none yet."""
    if row.name_en and not row.slug_en:
        row.slug_en = free_english_slugs(type(row), {row.pk: (row.name_en, row.slug)}).get(row.pk, "")
