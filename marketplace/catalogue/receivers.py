"""Keeps the cached catalogue reads (`read_cache`) honest.

Anything shoppers could count bumps the catalogue's version; anything else they are shown bumps `SHOWN`.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db.models.signals import post_delete, post_save

from marketplace.catalogue.models import Category, Collection, CollectionProduct, Product
from marketplace.catalogue.read_cache import SHOWN, catalogue_version_bump
from marketplace.catalogue.signals import products_changed, stock_changed
from marketplace.certification.models import Certification
from marketplace.producers.models import Producer

# What the gate, the product filters and the collections read; prices and stock are not counted.
_COUNTED_MODELS = (Product, Certification, Producer, Category, Collection)
# The apps whose rows the shop's pages and the storefront API show to anyone.
_SHOWN_APPS = (
    "catalogue",
    "certification",
    "producers",
    "outlets",
    "inventory",
    "channel",
    "content",
    "shipping",
    "events",
)
# Never shown (misuse reports, the listing's own log) or written by database triggers (listing windows).
_NOT_SHOWN = (
    "certification.MisuseReport",
    "catalogue.ListingEvent",
    "catalogue.ListingWindow",
    "catalogue.ListingSpan",
)


def on_catalogue_changed(sender: Any, **kwargs: Any) -> None:
    catalogue_version_bump()


def on_shown_changed(sender: Any, **kwargs: Any) -> None:
    catalogue_version_bump(scope=SHOWN)


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

    stock_changed.connect(on_shown_changed, dispatch_uid="catalogue.read_cache.stock_changed")
    for label in _SHOWN_APPS:
        for shown in apps.get_app_config(label).get_models():
            if shown in (*_COUNTED_MODELS, CollectionProduct) or shown._meta.label in _NOT_SHOWN:
                continue
            for name, signal in (("saved", post_save), ("deleted", post_delete)):
                signal.connect(
                    on_shown_changed,
                    sender=shown,
                    dispatch_uid=f"catalogue.read_cache.shown.{shown._meta.label}_{name}",
                )
