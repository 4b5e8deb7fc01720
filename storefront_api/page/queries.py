from __future__ import annotations

from typing import Any, Unpack

import graphene
from django.db.models import Q

from marketplace.content.models import PageType
from marketplace.content.selectors import page_types, visible_pages
from storefront_api.channel.dataloaders import channel_or_none
from storefront_api.core.connection import CountableConnection, PageArgs, connection_page_args, paginate
from storefront_api.core.dataloaders import announce_keys
from storefront_api.core.errors import StorefrontError, StorefrontErrorCode
from storefront_api.core.ids import resolve_global_id
from storefront_api.core.languages import ENGLISH, shop_language
from storefront_api.core.types import LanguageCodeEnum
from storefront_api.page.filters import PageFilterInput, PageSortingInput, PageWhereInput, filter_pages, sort_pages
from storefront_api.page.types import (
    PageContext,
    PageCountableConnection,
    PageGraphType,
    PageTypeCountableConnection,
    PageTypeType,
)


def _slug_language(slug_language_code: Any) -> str | None:
    """The language whose slugs `page(slug:)` reads: English, or (any other language) the Vietnamese ones."""
    if slug_language_code is None:
        return None
    return shop_language(getattr(slug_language_code, "value", slug_language_code))


class PageTypeFilterInput(graphene.InputObjectType):
    search = graphene.String()
    slugs = graphene.List(graphene.NonNull(graphene.String))


class PageQueries(graphene.ObjectType):
    page = graphene.Field(
        PageGraphType,
        id=graphene.Argument(graphene.ID, description="ID of the page."),
        slug=graphene.String(description="The slug of the page."),
        slug_language_code=graphene.Argument(
            LanguageCodeEnum, description="Language code of the page slug, omit to use primary slug."
        ),
        channel=graphene.String(description="Slug of a channel for which the data should be returned."),
        description="Look up a published page by ID or slug.",
    )
    pages = graphene.Field(
        PageCountableConnection,
        sort_by=graphene.Argument(PageSortingInput, description="Sort pages."),
        filter=graphene.Argument(PageFilterInput, description="Filtering options for pages."),
        search=graphene.String(description="Search pages."),
        where=graphene.Argument(PageWhereInput, description="Where filtering options for pages."),
        channel=graphene.String(description="Slug of a channel for which the data should be returned."),
        description="List of the shop's published pages.",
        **connection_page_args(),
    )
    page_type = graphene.Field(
        PageTypeType,
        id=graphene.Argument(graphene.ID, required=True, description="ID of the page type."),
        description="Look up a page type by ID.",
    )
    page_types = graphene.Field(
        PageTypeCountableConnection,
        filter=graphene.Argument(PageTypeFilterInput, description="Filtering options for page types."),
        description="List of the page types.",
        **connection_page_args(),
    )

    @staticmethod
    def resolve_page(
        root: None,
        info: graphene.ResolveInfo,
        id: str | None = None,
        slug: str | None = None,
        slug_language_code: Any = None,
        channel: str | None = None,
    ) -> PageContext | None:
        if (id is None) == (slug is None):
            raise StorefrontError(
                "Exactly one of 'id' or 'slug' must be specified.", code=StorefrontErrorCode.GRAPHQL_ERROR
            )
        if id is not None:
            lookup = Q(pk=resolve_global_id(id, only_type="Page", field="id"))
        elif _slug_language(slug_language_code) == ENGLISH:
            lookup = Q(slug_en=slug)
        else:
            lookup = Q(slug=slug)
        page = visible_pages().filter(lookup).first()
        return PageContext(node=page, channel=channel_or_none(info.context, channel)) if page else None

    @staticmethod
    def resolve_pages(
        root: None,
        info: graphene.ResolveInfo,
        sort_by: dict | None = None,
        filter: dict | None = None,
        search: str | None = None,
        where: dict | None = None,
        channel: str | None = None,
        **page: Unpack[PageArgs],
    ) -> CountableConnection:
        queryset = sort_pages(filter_pages(visible_pages(), page_filter=filter, where=where, search=search), sort_by)
        connection = paginate(queryset, PageCountableConnection, name="pages", **page)
        pages = [edge.node for edge in connection.edges]
        announce_keys(info.context, "page_id", (p.pk for p in pages))
        announce_keys(info.context, "page_type_id", (p.page_type_id for p in pages))
        found_channel = channel_or_none(info.context, channel)
        for edge in connection.edges:
            edge.node = PageContext(node=edge.node, channel=found_channel)
        return connection

    @staticmethod
    def resolve_page_type(root: None, info: graphene.ResolveInfo, id: str) -> PageType | None:
        return page_types().filter(pk=resolve_global_id(id, only_type="PageType", field="id")).first()

    @staticmethod
    def resolve_page_types(
        root: None, info: graphene.ResolveInfo, filter: dict | None = None, **page: Unpack[PageArgs]
    ) -> CountableConnection:
        queryset = page_types()
        filter = filter or {}
        if filter.get("slugs") is not None:
            queryset = queryset.filter(slug__in=filter["slugs"])
        for word in (filter.get("search") or "").split():
            queryset = queryset.filter(Q(name__icontains=word) | Q(slug__icontains=word))
        connection = paginate(queryset, PageTypeCountableConnection, name="pageTypes", **page)
        announce_keys(info.context, "page_type_id", (edge.node.pk for edge in connection.edges))
        return connection
