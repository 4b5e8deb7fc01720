"""Marks products for reindexing when anything their search document holds changes."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from marketplace.catalogue.models import Product, ProductVariant, ProductVariantChannelListing
from marketplace.catalogue.signals import products_changed, stock_changed
from marketplace.inventory.models import Stock
from search.indexing import search_mark_products


def on_products_changed(sender: Any, product_ids: list[int], **kwargs: Any) -> None:
    search_mark_products(product_ids=product_ids)


def on_product_saved(sender: Any, instance: Product, **kwargs: Any) -> None:
    search_mark_products(product_ids=[instance.pk])


def on_variant_saved(sender: Any, instance: ProductVariant, **kwargs: Any) -> None:
    search_mark_products(product_ids=[instance.product_id])


def on_price_or_stock_saved(sender: Any, instance: ProductVariantChannelListing | Stock, **kwargs: Any) -> None:
    variant_id = instance.variant_id
    product_id = ProductVariant.objects.filter(pk=variant_id).values_list("product_id", flat=True).first()
    if product_id is not None:
        search_mark_products(product_ids=[product_id])


def connect() -> None:
    """Documents hold the product's own fields, its prices and its stock (media are not indexed)."""
    products_changed.connect(on_products_changed, dispatch_uid="search.products_changed")
    stock_changed.connect(on_products_changed, dispatch_uid="search.stock_changed")
    for name, signal in (("saved", post_save), ("deleted", post_delete)):
        signal.connect(on_product_saved, sender=Product, dispatch_uid=f"search.product_{name}")
        signal.connect(on_variant_saved, sender=ProductVariant, dispatch_uid=f"search.variant_{name}")
        signal.connect(
            on_price_or_stock_saved, sender=ProductVariantChannelListing, dispatch_uid=f"search.price_{name}"
        )
        signal.connect(on_price_or_stock_saved, sender=Stock, dispatch_uid=f"search.stock_{name}")
