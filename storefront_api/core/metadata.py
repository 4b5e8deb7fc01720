"""Saleor's public metadata: `MetadataItem` (read) and `MetadataInput` (write), one definition for every type.

Metadata is a flat map of strings kept with the object (`metadata` JSON fields in the domain). Clients read it
through `metadata`, `metafield(key)` and `metafields(keys)`, which `metadata_field()`, `metafield_field()` and
`metafields_field()` declare for a type whose objects have a `metadata` dict.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import graphene
from graphene.types.generic import GenericScalar


class Metadata(graphene.Scalar):
    """Metadata is a map of key-value pairs, both keys and values are `String`."""

    @staticmethod
    def serialize(value: Any) -> Any:
        return value

    @staticmethod
    def parse_value(value: Any) -> Any:
        return value

    @staticmethod
    def parse_literal(node: Any, _variables: Any = None) -> Any:
        return GenericScalar.parse_literal(node)


class MetadataItem(graphene.ObjectType):
    key = graphene.String(required=True, description="Key of a metadata item.")
    value = graphene.String(required=True, description="Value of a metadata item.")


class MetadataInput(graphene.InputObjectType):
    key = graphene.String(required=True, description="Key of a metadata item.")
    value = graphene.String(required=True, description="Value of a metadata item.")


def metadata_items(metadata: Mapping[str, Any] | None) -> list[MetadataItem]:
    """The items of a metadata map, sorted by key (Saleor answers in the order stored; ours is stable)."""
    return [MetadataItem(key=key, value=str(value)) for key, value in sorted((metadata or {}).items())]


def metadata_input_to_dict(items: list[Any] | None) -> dict[str, str]:
    """`[MetadataInput!]` as a map, later items winning; keys are taken as given (the domain checks them)."""
    return {str(item["key"]): str(item["value"]) for item in items or []}


def _metadata_of(root: Any) -> Mapping[str, Any]:
    return getattr(root, "metadata", None) or {}


def _resolve_metadata(root: Any, info: graphene.ResolveInfo) -> list[MetadataItem]:
    return metadata_items(_metadata_of(root))


def _resolve_metafield(root: Any, info: graphene.ResolveInfo, key: str) -> str | None:
    value = _metadata_of(root).get(key)
    return None if value is None else str(value)


def _resolve_metafields(root: Any, info: graphene.ResolveInfo, keys: list[str] | None = None) -> dict[str, str]:
    return {key: str(value) for key, value in _metadata_of(root).items() if keys is None or key in keys}


def metadata_field() -> graphene.List:
    """`metadata: [MetadataItem!]!` of an object whose root has a `metadata` dict."""
    return graphene.List(
        graphene.NonNull(MetadataItem),
        required=True,
        description="List of public metadata items. Can be accessed without permissions.",
        resolver=_resolve_metadata,
    )


def metafield_field() -> graphene.String:
    """`metafield(key: String!): String`."""
    return graphene.String(
        key=graphene.String(required=True),
        description="A single key from public metadata.",
        resolver=_resolve_metafield,
    )


def metafields_field() -> graphene.Field:
    """`metafields(keys: [String!]): Metadata`."""
    return graphene.Field(
        Metadata,
        keys=graphene.List(graphene.NonNull(graphene.String)),
        description="Public metadata. Use `keys` to control which fields you want to include. The default is to "
        "include everything.",
        resolver=_resolve_metafields,
    )
