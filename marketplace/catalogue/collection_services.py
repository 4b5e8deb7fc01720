"""Writes of collections: the automatic ones are rebuilt from the listed catalogue by their rule."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, QuerySet
from django.db.models.functions import Coalesce

from marketplace.catalogue.models import Collection, CollectionProduct, CollectionRule, Product
from marketplace.catalogue.read_cache import catalogue_version_bump
from marketplace.catalogue.selectors import listed_products

NEW_THIS_SEASON_SIZE = 24


@dataclass(frozen=True)
class AutomaticCollection:
    rule: str
    slug: str
    slug_en: str
    name: str
    name_en: str
    description: str
    description_en: str


AUTOMATIC_COLLECTIONS = (
    AutomaticCollection(
        rule=CollectionRule.FIVE_STARS,
        slug="5-sao-ocop",
        slug_en="5-star-ocop",
        name="5 sao OCOP",
        name_en="5-star OCOP",
        description="Các sản phẩm đạt hạng 5 sao OCOP, hạng cao nhất của Chương trình.",
        description_en="Products rated 5 stars, the programme's highest rating.",
    ),
    AutomaticCollection(
        rule=CollectionRule.NEW_THIS_SEASON,
        slug="moi-trong-mua",
        slug_en="new-this-season",
        name="Mới trong mùa",
        name_en="New this season",
        description="Những sản phẩm vừa được công nhận OCOP.",
        description_en="The most recently certified OCOP products.",
    ),
)


def products_by_rule(*, rule: str, today: datetime.date | None = None) -> QuerySet[Product]:
    """The listed products a rule puts in a collection, in the collection's order."""
    listed = listed_products(today=today)
    if rule == CollectionRule.FIVE_STARS:
        return listed.filter(current_certification__stars=5).order_by("name", "pk")
    if rule == CollectionRule.NEW_THIS_SEASON:
        certified = Coalesce("current_certification__valid_from", "current_certification__decision_date")
        newest = listed.annotate(certified=certified).order_by(F("certified").desc(nulls_last=True), "name", "pk")
        return newest[:NEW_THIS_SEASON_SIZE]
    return listed.none()


@transaction.atomic
def collections_refresh_automatic(*, today: datetime.date | None = None) -> dict[str, int]:
    """Create the automatic collections if missing (published) and rebuild their products; returns slug → count.

    Idempotent. Texts and publication of an existing collection are left as staff set them.
    """
    counts: dict[str, int] = {}
    for spec in AUTOMATIC_COLLECTIONS:
        collection, _created = Collection.objects.get_or_create(
            slug=spec.slug,
            defaults={
                "name": spec.name,
                "name_en": spec.name_en,
                "slug_en": spec.slug_en,
                "description": spec.description,
                "description_en": spec.description_en,
                "seo_title": spec.name,
                "is_published": True,
                "rule": spec.rule,
            },
        )
        counts[spec.slug] = collection_rebuild(collection=collection, today=today)
    return counts


def collection_rebuild(*, collection: Collection, today: datetime.date | None = None) -> int:
    """Replace the products of an automatic collection with those its rule selects today."""
    if collection.rule == CollectionRule.MANUAL:
        return collection.collection_products.count()
    product_ids = list(products_by_rule(rule=collection.rule, today=today).values_list("pk", flat=True))
    with transaction.atomic():
        collection.collection_products.all().delete()
        CollectionProduct.objects.bulk_create(
            CollectionProduct(collection=collection, product_id=pk, sort_order=order)
            for order, pk in enumerate(product_ids)
        )
        catalogue_version_bump()  # bulk writes send no signal
    return len(product_ids)
