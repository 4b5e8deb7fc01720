"""The product attributes a Saleor client can read and filter by, derived from what the catalogue already holds.

There are no attribute tables: the OCOP stars come from the product's current certificate, the
group from its OCOP group, the district (as the registry gives it, before the 2025 reorganisation)
and the commune (today's) from its producer's address. Every product shows the four of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from marketplace.catalogue.models import Category, Product, ProductVariant
from marketplace.catalogue.selectors import categories, listed_products, listed_variants
from marketplace.certification.models import MAX_STARS, MIN_LISTED_STARS
from marketplace.core.text import slugify_vi


@dataclass(frozen=True)
class AttributeValueData:
    """One value of an attribute, e.g. `5` ("5 sao", "5 stars") of `ocop-stars`."""

    attribute_slug: str
    slug: str
    name: str
    name_en: str = ""


@dataclass(frozen=True)
class AttributeDefinition:
    id: int
    slug: str
    name: str
    name_en: str
    values_of: Callable[[Any], list[AttributeValueData]]
    """The values of a product (or, for a variant attribute, of a variant)."""
    choices: Callable[[], list[AttributeValueData]]
    products_q: Callable[[list[str], list[str]], Q]
    """Products having one of these value slugs or value names."""


STARS = "ocop-stars"
GROUP = "ocop-group"
DISTRICT = "district"
COMMUNE = "commune"
PACK = "pack"


def _star_value(stars: int) -> AttributeValueData:
    return AttributeValueData(STARS, str(stars), f"{stars} sao", f"{stars} stars")


def _stars_of(product: Product) -> list[AttributeValueData]:
    certification = product.current_certification
    return [_star_value(certification.stars)] if certification is not None else []


def _stars_q(slugs: list[str], names: list[str]) -> Q:
    by_name = {value.name: value.slug for value in _star_choices()}
    wanted = {int(slug) for slug in slugs if slug.isdigit()} | {int(by_name[name]) for name in names if name in by_name}
    return Q(current_certification__stars__in=sorted(wanted))


def _star_choices() -> list[AttributeValueData]:
    return [_star_value(stars) for stars in range(MIN_LISTED_STARS, MAX_STARS + 1)]


def _group_value(group: Category) -> AttributeValueData:
    return AttributeValueData(GROUP, group.slug, group.name, group.name_en)


def _group_of(product: Product) -> list[AttributeValueData]:
    return [_group_value(product.group)] if product.group is not None else []


def _group_choices() -> list[AttributeValueData]:
    return [_group_value(group) for group in categories().filter(kind=Category.Kind.GROUP)]


def _group_q(slugs: list[str], names: list[str]) -> Q:
    return Q(group__slug__in=slugs) | Q(group__name__in=names)


def _place_attribute(slug: str, field: str) -> tuple[Callable, Callable, Callable]:
    """Reading, listing and filtering a producer's place name (`field`), with slugs made from the names."""

    def value(name: str) -> AttributeValueData:
        return AttributeValueData(slug, slugify_vi(name), name)

    def values_of(product: Product) -> list[AttributeValueData]:
        name = getattr(product.producer, field)
        return [value(name)] if name else []

    def names_in_use() -> QuerySet:
        return (
            listed_products()
            .exclude(**{f"producer__{field}": ""})
            .order_by()
            .values_list(f"producer__{field}", flat=True)
            .distinct()
        )

    def choices() -> list[AttributeValueData]:
        return sorted((value(name) for name in names_in_use()), key=lambda v: (v.slug, v.name))

    def products_q(slugs: list[str], names: list[str]) -> Q:
        wanted = set(names)
        if slugs:
            wanted |= {name for name in names_in_use() if slugify_vi(name) in set(slugs)}
        return Q(**{f"producer__{field}__in": sorted(wanted)})

    return values_of, choices, products_q


_district = _place_attribute(DISTRICT, "address_district")
_commune = _place_attribute(COMMUNE, "commune_today")

ATTRIBUTES: tuple[AttributeDefinition, ...] = (
    AttributeDefinition(1, STARS, "Hạng sao OCOP", "OCOP stars", _stars_of, _star_choices, _stars_q),
    AttributeDefinition(2, GROUP, "Nhóm sản phẩm OCOP", "OCOP product group", _group_of, _group_choices, _group_q),
    AttributeDefinition(3, DISTRICT, "Huyện (trước 2025)", "District (before 2025)", *_district),
    AttributeDefinition(4, COMMUNE, "Xã, phường", "Commune", *_commune),
)


def _pack_value(variant: ProductVariant) -> AttributeValueData:
    name = variant.name or variant.sku
    return AttributeValueData(PACK, slugify_vi(name), name)


def _pack_of(variant: ProductVariant) -> list[AttributeValueData]:
    return [_pack_value(variant)]


def _pack_names() -> QuerySet:
    return listed_variants().exclude(name="").order_by().values_list("name", flat=True).distinct()


def _pack_choices() -> list[AttributeValueData]:
    values = {slugify_vi(name): AttributeValueData(PACK, slugify_vi(name), name) for name in _pack_names()}
    return [values[slug] for slug in sorted(values)]


def _pack_q(slugs: list[str], names: list[str]) -> Q:
    wanted = set(names)
    if slugs:
        wanted |= {name for name in _pack_names() if slugify_vi(name) in set(slugs)}
    return Q(Exists(ProductVariant.objects.filter(product=OuterRef("pk"), name__in=sorted(wanted))))


# The attribute a buyer picks a variant by (Saleor's variant selection attribute): its pack, e.g. "Hũ 500 g".
PACK_ATTRIBUTE = AttributeDefinition(5, PACK, "Quy cách", "Pack", _pack_of, _pack_choices, _pack_q)
VARIANT_ATTRIBUTES: tuple[AttributeDefinition, ...] = (PACK_ATTRIBUTE,)

BY_SLUG = {definition.slug: definition for definition in (*ATTRIBUTES, *VARIANT_ATTRIBUTES)}
BY_PK = {definition.id: definition for definition in (*ATTRIBUTES, *VARIANT_ATTRIBUTES)}


def attribute_values_q(wanted: Iterable[tuple[str, list[str], list[str]]]) -> Q:
    """Products having, for every (attribute slug, value slugs, value names), one of those values.

    An unknown attribute matches nothing, as in Saleor.
    """
    q = Q()
    for attribute_slug, slugs, names in wanted:
        definition = BY_SLUG.get(attribute_slug)
        if definition is None:
            return Q(pk__in=[])
        q &= definition.products_q(slugs, names)
    return q
