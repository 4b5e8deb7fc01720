from __future__ import annotations

import enum
from typing import Unpack

import graphene
from django.db.models import Count, Q

from marketplace.content.selectors import menus
from storefront_api.channel.dataloaders import channel_or_none
from storefront_api.core.connection import CountableConnection, PageArgs, connection_page_args, paginate
from storefront_api.core.errors import StorefrontError, StorefrontErrorCode
from storefront_api.core.ids import resolve_global_id
from storefront_api.core.types import OrderDirection, SortDirection
from storefront_api.menu.types import MenuCountableConnection, MenuNode, MenuType, menu_trees


class MenuSortFieldValue(enum.StrEnum):
    NAME = "name"
    ITEMS_COUNT = "items_count"


class MenuSortField(graphene.Enum):
    class Meta:
        enum = MenuSortFieldValue


class MenuSortingInput(graphene.InputObjectType):
    direction = graphene.InputField(OrderDirection, required=True, description="Specifies the direction of the sort.")
    field = graphene.InputField(MenuSortField, required=True, description="Sort menus by the selected field.")


class MenuFilterInput(graphene.InputObjectType):
    search = graphene.String()
    slug = graphene.List(graphene.NonNull(graphene.String))
    slugs = graphene.List(graphene.NonNull(graphene.String))


class MenuQueries(graphene.ObjectType):
    menu = graphene.Field(
        MenuType,
        channel=graphene.String(description="Slug of a channel for which the data should be returned."),
        id=graphene.Argument(graphene.ID, description="ID of the menu."),
        name=graphene.Argument(graphene.String, description="The menu's name."),
        slug=graphene.Argument(graphene.String, description="The menu's slug."),
        description="Look up a navigation menu by ID, name or slug.",
    )
    menus = graphene.Field(
        MenuCountableConnection,
        channel=graphene.String(description="Slug of a channel for which the data should be returned."),
        sort_by=MenuSortingInput(description="Sort menus."),
        filter=MenuFilterInput(description="Filtering options for menus."),
        description="List of the storefront's menus.",
        **connection_page_args(),
    )

    @staticmethod
    def resolve_menu(
        root: None,
        info: graphene.ResolveInfo,
        channel: str | None = None,
        id: str | None = None,
        name: str | None = None,
        slug: str | None = None,
    ) -> MenuNode | None:
        if sum(value is not None for value in (id, name, slug)) != 1:
            raise StorefrontError(
                "Exactly one of 'id', 'name' or 'slug' must be specified.", code=StorefrontErrorCode.GRAPHQL_ERROR
            )
        if id is not None:
            lookup = Q(pk=resolve_global_id(id, only_type="Menu", field="id"))
        else:
            lookup = Q(name=name) if name is not None else Q(slug=slug)
        menu = menus().filter(lookup).first()
        if menu is None:
            return None
        return menu_trees([menu], channel_or_none(info.context, channel))[0]

    @staticmethod
    def resolve_menus(
        root: None,
        info: graphene.ResolveInfo,
        channel: str | None = None,
        sort_by: dict | None = None,
        filter: dict | None = None,
        **page: Unpack[PageArgs],
    ) -> CountableConnection:
        queryset = menus()
        filter = filter or {}
        for slugs in (filter.get("slug"), filter.get("slugs")):
            if slugs is not None:
                queryset = queryset.filter(slug__in=slugs)
        for word in (filter.get("search") or "").split():
            queryset = queryset.filter(Q(name__icontains=word) | Q(slug__icontains=word))
        if sort_by:
            descending = getattr(sort_by["direction"], "value", sort_by["direction"]) == SortDirection.DESC.value
            field = MenuSortFieldValue(getattr(sort_by["field"], "value", sort_by["field"]))
            if field == MenuSortFieldValue.ITEMS_COUNT:
                queryset = queryset.annotate(items_count=Count("items"))
            prefix = "-" if descending else ""
            queryset = queryset.order_by(f"{prefix}{field.value}", f"{prefix}pk")
        connection = paginate(queryset, MenuCountableConnection, name="menus", **page)
        trees = menu_trees([edge.node for edge in connection.edges], channel_or_none(info.context, channel))
        for edge, tree in zip(connection.edges, trees, strict=True):
            edge.node = tree
        return connection
