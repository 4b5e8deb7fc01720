"""The search documents of listed products, built in a constant number of queries (three)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.db.models import F, Max, Min

from marketplace.catalogue.groups import group_name_en
from marketplace.catalogue.models import Product, ProductVariantChannelListing
from marketplace.catalogue.selectors import listed_products
from marketplace.inventory.models import Stock
from search.backends.base import ProductDocument
from search.vocabulary import product_set_en


def build_documents(product_ids: Iterable[int]) -> list[ProductDocument]:
    """Documents of those of `product_ids` that are listed today; the others are left out.

    Prices are the lowest and highest variant price in the default channel; outlets are the
    active ones holding stock that is not promised to orders.
    """
    ids = sorted(set(product_ids))
    if not ids:
        return []
    products = list(listed_products().filter(pk__in=ids).defer("current_certification__raw").order_by("pk"))
    if not products:
        return []
    listed_ids = [product.pk for product in products]
    prices = {
        row["variant__product_id"]: (row["low"], row["high"])
        for row in ProductVariantChannelListing.objects.filter(
            variant__product_id__in=listed_ids, channel__slug=settings.OCOP_CHANNEL_SLUG
        )
        .values("variant__product_id")
        .annotate(low=Min("price_amount"), high=Max("price_amount"))
    }
    outlets: defaultdict[int, dict[int, str]] = defaultdict(dict)
    stocked = (
        Stock.objects.filter(
            variant__product_id__in=listed_ids, outlet__is_active=True, quantity__gt=F("quantity_allocated")
        )
        .values_list("variant__product_id", "outlet_id", "outlet__name")
        .distinct()
        .order_by("variant__product_id", "outlet_id")
    )
    for product_id, outlet_id, outlet_name in stocked:
        outlets[product_id][outlet_id] = outlet_name
    documents = []
    for product in products:
        producer = product.producer
        certification = product.current_certification
        assert certification is not None, "only listed products are indexed, and the gate lists none without one"
        low, high = prices.get(product.pk, (None, None))
        held = outlets[product.pk]
        descriptions = (product.description, product.seller_description)
        documents.append(
            ProductDocument(
                product_id=product.pk,
                name=product.name,
                name_en=product.name_en,
                slug=product.slug,
                description="\n".join(text for text in descriptions if text),
                producer_name=producer.name,
                producer_kind=producer.kind,
                commune=producer.commune_today or producer.address_commune,
                district=producer.address_district,
                province=producer.province_today or producer.address_province,
                group_id=product.group_id,
                group_name=product.group.name if product.group else "",
                category_name=product.category.name if product.category else product.product_set,
                stars=certification.stars,
                price_min=low,
                price_max=high,
                outlet_ids=tuple(held),
                outlet_names=tuple(held.values()),
                created_at=product.created_at.isoformat(),
                group_name_en=(product.group.name_en or group_name_en(product.group.name)) if product.group else "",
                category_name_en=_set_name_en(product),
            )
        )
    return documents


def _set_name_en(product: Product) -> str:
    """The English name of the product's set: the category's, or the vocabulary's for the registry's set name."""
    if product.category and product.category.name_en:
        return product.category.name_en
    return product_set_en(product.category.name if product.category else product.product_set)
