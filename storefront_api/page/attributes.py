"""A page's attributes as Saleor's typed `Assigned*Attribute` values (and the older `SelectedAttribute`).

Page attributes are rows (marketplace.content), unlike the products' derived attributes; they are shown
through the same `Attribute` type by `PageAttributeView`, whose ids lie above the products' attribute ids.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import graphene
from django.core.files.storage import default_storage
from django.db.models import Q
from django.http import HttpRequest

from marketplace.channel.models import Channel
from marketplace.content.models import PageAttribute, PageAttributeKind, PageAttributeValue
from marketplace.content.selectors import attribute_values_of_pages, attributes_of_page_types
from storefront_api.attribute.assigned import (
    AssignedBooleanAttribute,
    AssignedFileAttribute,
    AssignedNumericAttribute,
    AssignedPlainTextAttribute,
    AssignedSingleCollectionReferenceAttribute,
)
from storefront_api.attribute.definitions import AttributeValueData
from storefront_api.core.context import ChannelContext
from storefront_api.core.dataloaders import BatchLoader
from storefront_api.core.languages import is_english
from storefront_api.core.types import File

PAGE_ATTRIBUTE_ID_BASE = 1_000_000
"""Page attributes are `Attribute:<this + pk>`, apart from the product attributes (1, 2, ...)."""

_INPUT_TYPES = {
    PageAttributeKind.PLAIN_TEXT: "plain-text",
    PageAttributeKind.BOOLEAN: "boolean",
    PageAttributeKind.NUMERIC: "numeric",
    PageAttributeKind.COLLECTION: "single-reference",
    PageAttributeKind.FILE: "file",
}
_ASSIGNED_TYPES: dict[PageAttributeKind, type[graphene.ObjectType]] = {
    PageAttributeKind.PLAIN_TEXT: AssignedPlainTextAttribute,
    PageAttributeKind.BOOLEAN: AssignedBooleanAttribute,
    PageAttributeKind.NUMERIC: AssignedNumericAttribute,
    PageAttributeKind.COLLECTION: AssignedSingleCollectionReferenceAttribute,
    PageAttributeKind.FILE: AssignedFileAttribute,
}


@dataclass(frozen=True)
class PageAttributeView:
    """A page attribute as the `Attribute` type reads it (see `attribute.definitions.AttributeDefinition`)."""

    id: int
    slug: str
    name: str
    name_en: str
    input_type: str
    attribute_kind: str = "page-type"
    with_choices: bool = False

    @classmethod
    def of(cls, attribute: PageAttribute) -> PageAttributeView:
        return cls(
            id=PAGE_ATTRIBUTE_ID_BASE + attribute.pk,
            slug=attribute.slug,
            name=attribute.name,
            name_en=attribute.name_en or attribute.name,
            input_type=_INPUT_TYPES[PageAttributeKind(attribute.kind)],
        )

    def choices(self) -> list[AttributeValueData]:
        return []

    def products_q(self, slugs: list[str], names: list[str]) -> Q:
        return Q(pk__in=[])


@dataclass(frozen=True)
class AssignedPageValue:
    """One attribute of a page with its value, typed by the attribute's kind (`graphql_type`).

    `value` is what the `Assigned*Attribute`'s `value` field shows: text, a yes or no, a number, a `File`, or
    the collection (in the page's channel; None when it is not published).
    """

    attribute: PageAttributeView
    graphql_type: type[graphene.ObjectType]
    value: Any
    value_en: str = ""

    def translated(self, language_code: str) -> Any:
        """A text value in `language_code`: English when asked and written, else the Vietnamese one."""
        return (self.value_en or None) if is_english(language_code) else self.value


@dataclass
class PageAttributes:
    """The attributes of one page type, and a page's values of them."""

    attributes: list[PageAttribute] = field(default_factory=list)
    values: dict[int, PageAttributeValue] = field(default_factory=dict)


class AttributesByPageTypeIdLoader(BatchLoader[int, list[PageAttribute]]):
    key_kind = "page_type_id"

    def batch_load(self, keys: list[int]) -> dict[int, list[PageAttribute]]:
        found: dict[int, list[PageAttribute]] = {}
        for row in attributes_of_page_types(page_type_ids=keys):
            found.setdefault(row.pagetype_id, []).append(row.pageattribute)
        return found

    def missing(self) -> list[PageAttribute]:
        return []


class AttributeValuesByPageIdLoader(BatchLoader[int, dict[int, PageAttributeValue]]):
    key_kind = "page_id"

    def batch_load(self, keys: list[int]) -> dict[int, dict[int, PageAttributeValue]]:
        found: dict[int, dict[int, PageAttributeValue]] = {}
        for value in attribute_values_of_pages(page_ids=keys):
            found.setdefault(value.page_id, {})[value.attribute_id] = value
        return found

    def missing(self) -> dict[int, PageAttributeValue]:
        return {}


def _value(
    request: HttpRequest, attribute: PageAttribute, row: PageAttributeValue | None, channel: Channel | None
) -> tuple[Any, str]:
    if row is None:
        return None, ""
    kind = PageAttributeKind(attribute.kind)
    if kind == PageAttributeKind.PLAIN_TEXT:
        return (row.text or None), row.text_en
    if kind == PageAttributeKind.BOOLEAN:
        return row.boolean, ""
    if kind == PageAttributeKind.NUMERIC:
        return row.number, ""
    if kind == PageAttributeKind.FILE:
        if not row.file:
            return None, ""
        return File(url=request.build_absolute_uri(default_storage.url(row.file.name)), content_type=None), ""
    collection = row.collection
    if collection is None or not collection.is_published or channel is None:
        return None, ""
    return ChannelContext(node=collection, channel=channel), ""


def assigned_page_values(
    request: HttpRequest,
    attributes: Iterable[PageAttribute],
    values: dict[int, PageAttributeValue],
    channel: Channel | None,
) -> list[AssignedPageValue]:
    """The attributes of the page's type that the page has a value of, with the value, in slug order (as products
    show theirs: an attribute without a value, or whose collection is not published, is left out)."""
    assigned = []
    for attribute in attributes:
        value, value_en = _value(request, attribute, values.get(attribute.pk), channel)
        if value is None:
            continue
        kind = PageAttributeKind(attribute.kind)
        assigned.append(AssignedPageValue(PageAttributeView.of(attribute), _ASSIGNED_TYPES[kind], value, value_en))
    return assigned


def selected_values(assigned: AssignedPageValue) -> list[AttributeValueData]:
    """The value as the older `SelectedAttribute.values` shows it: one value named by its text."""
    value = assigned.value
    if value is None:
        return []
    if isinstance(value, ChannelContext):
        name, slug = value.node.name, value.node.slug
    elif isinstance(value, File):
        name = slug = value.url
    else:
        name = slug = str(value).lower() if isinstance(value, bool) else str(value)
    return [AttributeValueData(assigned.attribute.slug, slug, name, assigned.value_en)]
