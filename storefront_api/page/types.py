"""Saleor's Page, PageType and PageTranslation over marketplace.content's pages (the published ones only)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import graphene

from marketplace.channel.models import Channel
from marketplace.content.models import Page, PageType
from storefront_api.attribute.assigned import DEFAULT_LIMIT, AssignedAttribute
from storefront_api.attribute.types import AttributeType, SelectedAttribute
from storefront_api.core.connection import CountableConnection
from storefront_api.core.dataloaders import loader_for
from storefront_api.core.execution import plain
from storefront_api.core.languages import is_english
from storefront_api.core.scalars import PositiveInt
from storefront_api.core.types import LanguageCodeEnum, LanguageDisplay, language_display
from storefront_api.page.attributes import (
    AssignedPageValue,
    AttributesByPageTypeIdLoader,
    AttributeValuesByPageIdLoader,
    PageAttributeView,
    assigned_page_values,
    selected_values,
)


@dataclass(frozen=True)
class PageContext:
    """A page seen in a channel (its collection attributes are shown in it; None when there is no channel)."""

    node: Page
    channel: Channel | None


class PageTypeType(graphene.ObjectType):
    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    attributes = graphene.List(graphene.NonNull(AttributeType), description="Page attributes of that page type.")
    has_pages = graphene.Boolean(description="Whether page type has pages assigned.")

    class Meta:
        name = "PageType"
        description = "Represents a type of page. It defines what attributes are available to pages of this type."
        interfaces = (graphene.relay.Node,)

    @staticmethod
    def resolve_attributes(root: PageType, info: graphene.ResolveInfo) -> list[PageAttributeView]:
        attributes = loader_for(info.context, AttributesByPageTypeIdLoader).load(root.pk)
        return [PageAttributeView.of(attribute) for attribute in attributes]

    @staticmethod
    def resolve_has_pages(root: PageType, info: graphene.ResolveInfo) -> bool:
        return root.pages.exists()


class PageTypeCountableConnection(CountableConnection):
    class Meta:
        node = PageTypeType
        strict_types = True


class PageTranslation(graphene.ObjectType):
    language = graphene.Field(LanguageDisplay, required=True)
    seo_title = graphene.String()
    seo_description = graphene.String()
    slug = graphene.String()
    title = graphene.String()
    content = graphene.JSONString()
    content_json = graphene.JSONString(deprecation_reason="Use the `content` field instead.")

    class Meta:
        interfaces = (graphene.relay.Node,)


def page_translation(page: Page, language_code: str) -> PageTranslation:
    """English texts when asked in English (None where none is written), else the Vietnamese ones."""
    if is_english(language_code):
        return PageTranslation(
            id=page.pk,
            language=language_display(language_code),
            title=page.title_en or None,
            slug=page.slug_en or page.slug,
            seo_title=page.seo_title_en or page.title_en or None,
            seo_description=page.seo_description_en or None,
            content=page.content_en,
            content_json=page.content_en,
        )
    return PageTranslation(
        id=page.pk,
        language=language_display(language_code),
        title=page.title,
        slug=page.slug,
        seo_title=page.seo_title or page.title,
        seo_description=page.seo_description or None,
        content=page.content,
        content_json=page.content,
    )


def _limit_arg() -> graphene.Argument:
    return graphene.Argument(PositiveInt, default_value=DEFAULT_LIMIT, description="Maximum number of attributes.")


class PageGraphType(graphene.ObjectType):
    """A page of the shop: about OCOP in Đồng Nai, how pickup works, terms, or the storefront's own texts."""

    seo_title = graphene.String()
    seo_description = graphene.String()
    title = graphene.String(required=True)
    content = graphene.JSONString(description="Content of the page (EditorJS blocks).")
    publication_date = graphene.Date(deprecation_reason="Use the `publishedAt` field to fetch the publication date.")
    published_at = graphene.DateTime(description="The page publication date.")
    is_published = graphene.Boolean(required=True)
    slug = graphene.String(required=True)
    page_type = graphene.Field(PageTypeType, required=True)
    created = graphene.DateTime(required=True)
    content_json = graphene.JSONString(required=True, deprecation_reason="Use the `content` field instead.")
    translation = graphene.Field(
        PageTranslation,
        language_code=graphene.Argument(LanguageCodeEnum, required=True, description="A language code."),
        description="Returns translated page fields for the given language code.",
    )
    assigned_attribute = graphene.Field(
        AssignedAttribute,
        slug=graphene.String(required=True, description="Slug of the attribute."),
        description="Get a single attribute attached to page by attribute slug.",
    )
    assigned_attributes = graphene.NonNull(
        graphene.List(graphene.NonNull(AssignedAttribute)),
        limit=_limit_arg(),
        description="List of attributes assigned to this page.",
    )
    attribute = graphene.Field(
        SelectedAttribute,
        slug=graphene.String(required=True),
        deprecation_reason="Use `assignedAttribute` field instead.",
    )
    attributes = graphene.NonNull(
        graphene.List(graphene.NonNull(SelectedAttribute)),
        deprecation_reason="Use `assignedAttributes` field instead.",
    )

    class Meta:
        name = "Page"
        interfaces = (graphene.relay.Node,)

    @staticmethod
    @plain
    def resolve_id(root: PageContext, info: graphene.ResolveInfo) -> int:
        return root.node.pk

    @staticmethod
    @plain
    def resolve_seo_title(root: PageContext, info: graphene.ResolveInfo) -> str:
        return root.node.seo_title or root.node.title

    @staticmethod
    @plain
    def resolve_seo_description(root: PageContext, info: graphene.ResolveInfo) -> str | None:
        return root.node.seo_description or None

    @staticmethod
    @plain
    def resolve_title(root: PageContext, info: graphene.ResolveInfo) -> str:
        return root.node.title

    @staticmethod
    @plain
    def resolve_content(root: PageContext, info: graphene.ResolveInfo) -> Any:
        return root.node.content

    @staticmethod
    @plain
    def resolve_content_json(root: PageContext, info: graphene.ResolveInfo) -> Any:
        return root.node.content or {}

    @staticmethod
    @plain
    def resolve_publication_date(root: PageContext, info: graphene.ResolveInfo) -> datetime.date | None:
        moment = root.node.published_at
        return moment.date() if moment else None

    @staticmethod
    @plain
    def resolve_published_at(root: PageContext, info: graphene.ResolveInfo) -> datetime.datetime | None:
        return root.node.published_at

    @staticmethod
    @plain
    def resolve_is_published(root: PageContext, info: graphene.ResolveInfo) -> bool:
        return root.node.is_published

    @staticmethod
    @plain
    def resolve_slug(root: PageContext, info: graphene.ResolveInfo) -> str:
        return root.node.slug

    @staticmethod
    @plain
    def resolve_page_type(root: PageContext, info: graphene.ResolveInfo) -> PageType:
        return root.node.page_type

    @staticmethod
    @plain
    def resolve_created(root: PageContext, info: graphene.ResolveInfo) -> datetime.datetime:
        return root.node.created_at

    @staticmethod
    def resolve_translation(root: PageContext, info: graphene.ResolveInfo, language_code: str) -> PageTranslation:
        return page_translation(root.node, language_code)

    @staticmethod
    def _assigned(root: PageContext, info: graphene.ResolveInfo) -> list[AssignedPageValue]:
        page = root.node
        attributes = loader_for(info.context, AttributesByPageTypeIdLoader).load(page.page_type_id)
        values = loader_for(info.context, AttributeValuesByPageIdLoader).load(page.pk)
        return assigned_page_values(info.context, attributes, values, root.channel)

    @staticmethod
    def resolve_assigned_attribute(root: PageContext, info: graphene.ResolveInfo, slug: str) -> Any:
        found = [value for value in PageGraphType._assigned(root, info) if value.attribute.slug == slug]
        return found[0] if found else None

    @staticmethod
    def resolve_assigned_attributes(
        root: PageContext, info: graphene.ResolveInfo, limit: int = DEFAULT_LIMIT
    ) -> list[AssignedPageValue]:
        return PageGraphType._assigned(root, info)[: max(limit, 0)]

    @staticmethod
    def resolve_attributes(root: PageContext, info: graphene.ResolveInfo) -> list[SelectedAttribute]:
        return [
            SelectedAttribute(attribute=assigned.attribute, values=selected_values(assigned))
            for assigned in PageGraphType._assigned(root, info)
        ]

    @staticmethod
    def resolve_attribute(root: PageContext, info: graphene.ResolveInfo, slug: str) -> SelectedAttribute | None:
        selected = PageGraphType.resolve_attributes(root, info)
        return next((one for one in selected if one.attribute.slug == slug), None)


class PageCountableConnection(CountableConnection):
    class Meta:
        node = PageGraphType
        strict_types = True
