"""Saleor's `ObjectWithMetadata`: the interface of every type that keeps public metadata.

Public metadata is read through `metadata`, `metafield(key)` and `metafields(keys)` (`core.metadata`). Saleor's
private metadata needs staff permissions there; this shop keeps none, so `privateMetadata` is always empty.
"""

from __future__ import annotations

from typing import Any

import graphene

from storefront_api.core.metadata import (
    Metadata,
    MetadataItem,
    metadata_field,
    metafield_field,
    metafields_field,
)


def _no_private_metadata(root: Any, info: graphene.ResolveInfo) -> list[MetadataItem]:
    return []


def _no_private_metafield(root: Any, info: graphene.ResolveInfo, key: str) -> None:
    return None


def _no_private_metafields(root: Any, info: graphene.ResolveInfo, keys: list[str] | None = None) -> dict[str, str]:
    return {}


def private_metadata_field() -> graphene.List:
    return graphene.List(
        graphene.NonNull(MetadataItem),
        required=True,
        description="List of private metadata items: none are kept here.",
        resolver=_no_private_metadata,
    )


def private_metafield_field() -> graphene.String:
    return graphene.String(
        key=graphene.String(required=True),
        description="A single key from private metadata: none are kept here.",
        resolver=_no_private_metafield,
    )


def private_metafields_field() -> graphene.Field:
    return graphene.Field(
        Metadata,
        keys=graphene.List(graphene.NonNull(graphene.String)),
        description="Private metadata: none are kept here.",
        resolver=_no_private_metafields,
    )


class ObjectWithMetadata(graphene.Interface):
    """An object that keeps public metadata. A type implementing it declares the six fields with the helpers
    above (`metadata_field()` ... `private_metafields_field()`)."""

    private_metadata = private_metadata_field()
    private_metafield = private_metafield_field()
    private_metafields = private_metafields_field()
    metadata = metadata_field()
    metafield = metafield_field()
    metafields = metafields_field()
