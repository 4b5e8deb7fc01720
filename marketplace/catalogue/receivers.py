"""Keeps the cached catalogue reads (`read_cache`) honest: anything shoppers could count bumps the version."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from marketplace.catalogue.models import Category, Collection, CollectionProduct, Product
from marketplace.catalogue.read_cache import catalogue_version_bump
from marketplace.catalogue.signals import products_changed
from marketplace.certification.models import Certification
from marketplace.producers.models import Producer

# What the gate, the product filters and the collections read; prices and stock are not counted.
_COUNTED_MODELS = (Product, Certification, Producer, Category, Collection)


def on_catalogue_changed(sender: Any, **kwargs: Any) -> None:
    catalogue_version_bump()


def connect() -> None:
    products_changed.connect(on_catalogue_changed, dispatch_uid="catalogue.read_cache.products_changed")
    for model in _COUNTED_MODELS:
        for name, signal in (("saved", post_save), ("deleted", post_delete)):
            signal.connect(
                on_catalogue_changed, sender=model, dispatch_uid=f"catalogue.read_cache.{model.__name__}_{name}"
            )
    # Memberships: saves only. A post_delete receiver would turn `collection_rebuild`'s bulk delete into
    # one query and one signal per row; it bumps the version itself, and the admin saves the collection
    # (a bump on commit) around any membership it deletes.
    post_save.connect(on_catalogue_changed, sender=CollectionProduct, dispatch_uid="catalogue.read_cache.member_saved")
