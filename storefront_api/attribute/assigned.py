"""Saleor's typed attribute API (`assignedAttribute(slug)`, `assignedAttributes`): one type per kind of value.

Our attributes (definitions.py) all hold one value chosen from a list, so products and variants show
them as `AssignedSingleChoiceAttribute`. The other kinds exist so that a Saleor client's fragments
(`... on AssignedBooleanAttribute`, ...) are valid; nothing here is of those kinds today.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import graphene

from storefront_api.attribute.definitions import AttributeDefinition, AttributeValueData
from storefront_api.attribute.types import AttributeType
from storefront_api.core.execution import plain
from storefront_api.core.languages import is_english
from storefront_api.core.scalars import PositiveInt
from storefront_api.core.types import File, LanguageCodeEnum
from storefront_api.payment.scalars import JSON

DEFAULT_LIMIT = 100


@dataclass(frozen=True)
class AssignedValues:
    """An attribute with the values a product or variant has."""

    attribute: AttributeDefinition
    values: list[AttributeValueData]


def _value_translation(value: AttributeValueData, language_code: str) -> str:
    return value.name_en if is_english(language_code) and value.name_en else value.name


class AssignedAttribute(graphene.Interface):
    """An attribute assigned to a product or variant, with its value in a field typed by the attribute's kind."""

    attribute = graphene.Field(AttributeType, required=True)

    @classmethod
    def resolve_type(cls, instance: Any, info: graphene.ResolveInfo) -> type[graphene.ObjectType]:
        # A page's attribute names its kind (storefront_api.page.attributes.AssignedPageValue).
        return getattr(instance, "graphql_type", None) or AssignedSingleChoiceAttribute


def _limit_arg() -> graphene.Argument:
    return graphene.Argument(PositiveInt, default_value=DEFAULT_LIMIT, description="Maximum number of values.")


def _assigned(name: str, value: Any, doc: str) -> type[graphene.ObjectType]:
    """A kind no product has: its value is a page's (`AssignedPageValue.value`), or empty."""
    meta = type("Meta", (), {"interfaces": (AssignedAttribute,), "name": name, "description": doc})
    return type(name, (graphene.ObjectType,), {"Meta": meta, "value": value, "resolve_value": _empty})


@plain
def _empty(root: Any, info: graphene.ResolveInfo | None, **_: Any) -> Any:
    return getattr(root, "value", None)


class AssignedChoiceAttributeValue(graphene.ObjectType):
    name = graphene.String()
    slug = graphene.String()
    translation = graphene.String(language_code=graphene.Argument(LanguageCodeEnum, required=True))

    @staticmethod
    def resolve_translation(root: AttributeValueData, info: graphene.ResolveInfo, language_code: str) -> str:
        return _value_translation(root, language_code)


class AssignedSingleChoiceAttribute(graphene.ObjectType):
    value = graphene.Field(AssignedChoiceAttributeValue)

    class Meta:
        interfaces = (AssignedAttribute,)
        description = "An attribute with one value chosen from a list (dropdown)."

    @staticmethod
    @plain
    def resolve_value(root: AssignedValues, info: graphene.ResolveInfo) -> AttributeValueData | None:
        return root.values[0] if root.values else None


class AssignedMultiChoiceAttribute(graphene.ObjectType):
    value = graphene.NonNull(graphene.List(graphene.NonNull(AssignedChoiceAttributeValue)), limit=_limit_arg())

    class Meta:
        interfaces = (AssignedAttribute,)
        description = "An attribute with several values chosen from a list."

    @staticmethod
    def resolve_value(
        root: AssignedValues, info: graphene.ResolveInfo, limit: int = DEFAULT_LIMIT
    ) -> list[AttributeValueData]:
        return root.values[:limit]


class AssignedSwatchAttributeValue(graphene.ObjectType):
    name = graphene.String()
    slug = graphene.String()
    hex_color = graphene.String()
    file = graphene.Field(File)
    translation = graphene.String(language_code=graphene.Argument(LanguageCodeEnum, required=True))


def _translated(kind: type[graphene.Scalar]) -> graphene.Field:
    return graphene.Field(kind, language_code=graphene.Argument(LanguageCodeEnum, required=True))


def _multi(of: Any) -> graphene.NonNull:
    return graphene.NonNull(graphene.List(graphene.NonNull(of)), limit=_limit_arg())


_PRODUCT = "storefront_api.product.types.ProductType"
_VARIANT = "storefront_api.product.types.ProductVariantType"
_CATEGORY = "storefront_api.product.types.CategoryType"
_COLLECTION = "storefront_api.collection.types.CollectionType"

AssignedNumericAttribute = _assigned("AssignedNumericAttribute", graphene.Float(), "A number.")
AssignedBooleanAttribute = _assigned("AssignedBooleanAttribute", graphene.Boolean(), "Yes or no.")
AssignedDateAttribute = _assigned("AssignedDateAttribute", graphene.Date(), "A date.")
AssignedDateTimeAttribute = _assigned("AssignedDateTimeAttribute", graphene.DateTime(), "A date and time.")
AssignedFileAttribute = _assigned("AssignedFileAttribute", graphene.Field(File), "A file.")
AssignedSwatchAttribute = _assigned(
    "AssignedSwatchAttribute", graphene.Field(AssignedSwatchAttributeValue), "A colour or an image."
)
AssignedSingleProductReferenceAttribute = _assigned(
    "AssignedSingleProductReferenceAttribute", graphene.Field(_PRODUCT), "A product."
)
AssignedSingleProductVariantReferenceAttribute = _assigned(
    "AssignedSingleProductVariantReferenceAttribute", graphene.Field(_VARIANT), "A variant."
)
AssignedSingleCategoryReferenceAttribute = _assigned(
    "AssignedSingleCategoryReferenceAttribute", graphene.Field(_CATEGORY), "A category."
)
AssignedSingleCollectionReferenceAttribute = _assigned(
    "AssignedSingleCollectionReferenceAttribute", graphene.Field(_COLLECTION), "A collection."
)
AssignedMultiProductReferenceAttribute = _assigned(
    "AssignedMultiProductReferenceAttribute", _multi(_PRODUCT), "Products."
)
AssignedMultiProductVariantReferenceAttribute = _assigned(
    "AssignedMultiProductVariantReferenceAttribute", _multi(_VARIANT), "Variants."
)
AssignedMultiCategoryReferenceAttribute = _assigned(
    "AssignedMultiCategoryReferenceAttribute", _multi(_CATEGORY), "Categories."
)
AssignedMultiCollectionReferenceAttribute = _assigned(
    "AssignedMultiCollectionReferenceAttribute", _multi(_COLLECTION), "Collections."
)


class AssignedPlainTextAttribute(graphene.ObjectType):
    value = graphene.String()
    translation = _translated(graphene.String)

    class Meta:
        interfaces = (AssignedAttribute,)
        description = "A line of text."

    @staticmethod
    def resolve_translation(root: Any, info: graphene.ResolveInfo, language_code: str) -> str | None:
        translated = getattr(root, "translated", None)  # a page's text (`AssignedPageValue`)
        return translated(language_code) if translated is not None else None


class AssignedTextAttribute(graphene.ObjectType):
    value = graphene.Field(JSON)
    translation = graphene.Field(JSON, language_code=graphene.Argument(LanguageCodeEnum, required=True))

    class Meta:
        interfaces = (AssignedAttribute,)
        description = "Rich text."


# Kinds no field returns by name: the schema must be told of them (`graphene.Schema(types=...)`).
ASSIGNED_ATTRIBUTE_TYPES: tuple[type[graphene.ObjectType], ...] = (
    AssignedSingleChoiceAttribute,
    AssignedMultiChoiceAttribute,
    AssignedPlainTextAttribute,
    AssignedTextAttribute,
    AssignedNumericAttribute,
    AssignedBooleanAttribute,
    AssignedDateAttribute,
    AssignedDateTimeAttribute,
    AssignedFileAttribute,
    AssignedSwatchAttribute,
    AssignedSingleProductReferenceAttribute,
    AssignedSingleProductVariantReferenceAttribute,
    AssignedSingleCategoryReferenceAttribute,
    AssignedSingleCollectionReferenceAttribute,
    AssignedMultiProductReferenceAttribute,
    AssignedMultiProductVariantReferenceAttribute,
    AssignedMultiCategoryReferenceAttribute,
    AssignedMultiCollectionReferenceAttribute,
)


def assigned_values(definitions: Any, of: Any) -> list[AssignedValues]:
    """The attributes of `definitions` that `of` (a product or a variant) has a value of, with their values."""
    found = [AssignedValues(attribute=definition, values=definition.values_of(of)) for definition in definitions]
    return [assigned for assigned in found if assigned.values]
