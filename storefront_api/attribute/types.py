"""Saleor's Attribute, AttributeValue and SelectedAttribute, over the derived attributes of definitions.py."""

from __future__ import annotations

import enum
from typing import Any, Unpack

import graphene
from graphql_relay import to_global_id

from storefront_api.attribute.definitions import AttributeDefinition, AttributeValueData
from storefront_api.core.connection import CountableConnection, PageArgs, connection_page_args, paginate
from storefront_api.core.execution import plain
from storefront_api.core.languages import is_english
from storefront_api.core.types import File, LanguageCodeEnum, LanguageDisplay, language_display


class AttributeInputType(enum.StrEnum):
    """Saleor's input types: products' attributes are dropdowns, pages' are of the kinds their attributes name
    (storefront_api.page.attributes); the others never occur here."""

    DROPDOWN = "dropdown"
    MULTISELECT = "multiselect"
    FILE = "file"
    REFERENCE = "reference"
    NUMERIC = "numeric"
    RICH_TEXT = "rich-text"
    PLAIN_TEXT = "plain-text"
    SWATCH = "swatch"
    BOOLEAN = "boolean"
    DATE = "date"
    DATE_TIME = "date-time"
    SINGLE_REFERENCE = "single-reference"


class AttributeInputTypeEnum(graphene.Enum):
    class Meta:
        enum = AttributeInputType


class AttributeKind(enum.StrEnum):
    PRODUCT_TYPE = "product-type"
    PAGE_TYPE = "page-type"


class AttributeTypeEnum(graphene.Enum):
    class Meta:
        enum = AttributeKind


class Rows(list):
    """A list that `paginate` can page like a queryset."""

    def count(self, *args: Any) -> int:
        return len(self)


class AttributeValueTranslation(graphene.ObjectType):
    language = graphene.Field(LanguageDisplay, required=True)
    name = graphene.String(required=True)

    class Meta:
        interfaces = (graphene.relay.Node,)


class AttributeValueType(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String()
    slug = graphene.String()
    value = graphene.String()
    input_type = graphene.Field(AttributeInputTypeEnum)
    translation = graphene.Field(
        AttributeValueTranslation, language_code=graphene.Argument(LanguageCodeEnum, required=True)
    )
    # The value of other kinds of attributes: always empty here, where every value is chosen from a list.
    reference = graphene.ID()
    file = graphene.Field(File)
    rich_text = graphene.JSONString()
    plain_text = graphene.String()
    boolean = graphene.Boolean()
    date = graphene.Date()
    date_time = graphene.DateTime()
    external_reference = graphene.String()

    class Meta:
        name = "AttributeValue"
        description = "Represents a value of an attribute."

    @staticmethod
    @plain
    def resolve_id(root: AttributeValueData, info: graphene.ResolveInfo) -> str:
        return to_global_id("AttributeValue", f"{root.attribute_slug}:{root.slug}")

    @staticmethod
    @plain
    def resolve_value(root: AttributeValueData, info: graphene.ResolveInfo) -> str:
        return root.slug

    @staticmethod
    @plain
    def resolve_input_type(root: AttributeValueData, info: graphene.ResolveInfo) -> str:
        return AttributeInputType.DROPDOWN.value

    @staticmethod
    def resolve_translation(root: AttributeValueData, info: graphene.ResolveInfo, language_code: str) -> Any:
        name = root.name_en if is_english(language_code) and root.name_en else root.name
        return AttributeValueTranslation(
            id=f"{root.attribute_slug}:{root.slug}", language=language_display(language_code), name=name
        )


class AttributeValueCountableConnection(CountableConnection):
    class Meta:
        node = AttributeValueType
        strict_types = True


class AttributeTranslation(graphene.ObjectType):
    language = graphene.Field(LanguageDisplay, required=True)
    name = graphene.String(required=True)

    class Meta:
        interfaces = (graphene.relay.Node,)


class AttributeType(graphene.ObjectType):
    """A product attribute: OCOP stars, OCOP group, district (before 2025) or commune (today)."""

    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    input_type = graphene.Field(AttributeInputTypeEnum)
    type = graphene.Field(AttributeTypeEnum, required=True)
    value_required = graphene.Boolean(required=True)
    visible_in_storefront = graphene.Boolean(required=True)
    with_choices = graphene.Boolean(required=True)
    choices = graphene.Field(
        AttributeValueCountableConnection, description="List of the attribute's values.", **connection_page_args()
    )
    translation = graphene.Field(AttributeTranslation, language_code=graphene.Argument(LanguageCodeEnum, required=True))

    class Meta:
        name = "Attribute"
        interfaces = (graphene.relay.Node,)

    @staticmethod
    @plain
    def resolve_input_type(root: AttributeDefinition, info: graphene.ResolveInfo) -> str:
        return getattr(root, "input_type", AttributeInputType.DROPDOWN.value)  # a page attribute has its own

    @staticmethod
    @plain
    def resolve_type(root: AttributeDefinition, info: graphene.ResolveInfo) -> str:
        return getattr(root, "attribute_kind", AttributeKind.PRODUCT_TYPE.value)

    @staticmethod
    @plain
    def resolve_value_required(root: AttributeDefinition, info: graphene.ResolveInfo) -> bool:
        return False

    @staticmethod
    @plain
    def resolve_visible_in_storefront(root: AttributeDefinition, info: graphene.ResolveInfo) -> bool:
        return True

    @staticmethod
    @plain
    def resolve_with_choices(root: AttributeDefinition, info: graphene.ResolveInfo) -> bool:
        return getattr(root, "with_choices", True)

    @staticmethod
    def resolve_choices(
        root: AttributeDefinition, info: graphene.ResolveInfo, **page: Unpack[PageArgs]
    ) -> CountableConnection:
        return paginate(Rows(root.choices()), AttributeValueCountableConnection, name="choices", **page)

    @staticmethod
    def resolve_translation(root: AttributeDefinition, info: graphene.ResolveInfo, language_code: str) -> Any:
        name = root.name_en if is_english(language_code) else root.name
        return AttributeTranslation(id=root.id, language=language_display(language_code), name=name)


class AttributeCountableConnection(CountableConnection):
    class Meta:
        node = AttributeType
        strict_types = True


class SelectedAttribute(graphene.ObjectType):
    """An attribute of a product with the values it has."""

    attribute = graphene.Field(AttributeType, required=True)
    values = graphene.NonNull(graphene.List(graphene.NonNull(AttributeValueType)))
