"""Saleor's `filter`, `where` and `sortBy` of `pages` (the parts a storefront uses: ids, slugs, page types, search)."""

from __future__ import annotations

import enum
from typing import Any

import graphene
from django.db.models import Q, QuerySet

from marketplace.content.models import Page
from storefront_api.attribute.filters import StringFilterInput
from storefront_api.core.ids import resolve_global_id
from storefront_api.core.types import OrderDirection, SortDirection


class GlobalIDFilterInput(graphene.InputObjectType):
    eq = graphene.ID(description="The value equal to.")
    one_of = graphene.List(graphene.NonNull(graphene.ID), description="The value included in.")


class PageFilterInput(graphene.InputObjectType):
    search = graphene.String()
    page_types = graphene.List(graphene.NonNull(graphene.ID))
    ids = graphene.List(graphene.NonNull(graphene.ID))
    slugs = graphene.List(graphene.NonNull(graphene.String))


class PageWhereInput(graphene.InputObjectType):
    ids = graphene.List(graphene.NonNull(graphene.ID))
    slug = graphene.Field(StringFilterInput, description="Filter by page slug.")
    page_type = graphene.Field(GlobalIDFilterInput, description="Filter by page type.")
    AND = graphene.List(graphene.NonNull(lambda: PageWhereInput), description="List of conditions that must be met.")
    OR = graphene.List(
        graphene.NonNull(lambda: PageWhereInput), description="A list of conditions of which at least one must be met."
    )


class PageSortFieldValue(enum.StrEnum):
    TITLE = "title"
    SLUG = "slug"
    VISIBILITY = "visibility"
    CREATION_DATE = "creation_date"
    PUBLICATION_DATE = "publication_date"
    PUBLISHED_AT = "published_at"
    CREATED_AT = "created_at"
    RANK = "rank"


_ORDER_BY = {
    PageSortFieldValue.TITLE: "title",
    PageSortFieldValue.SLUG: "slug",
    PageSortFieldValue.VISIBILITY: "is_published",
    PageSortFieldValue.CREATION_DATE: "created_at",
    PageSortFieldValue.PUBLICATION_DATE: "published_at",
    PageSortFieldValue.PUBLISHED_AT: "published_at",
    PageSortFieldValue.CREATED_AT: "created_at",
    PageSortFieldValue.RANK: "title",  # no search ranking of pages: by title
}


class PageSortField(graphene.Enum):
    class Meta:
        enum = PageSortFieldValue


class PageSortingInput(graphene.InputObjectType):
    direction = graphene.InputField(OrderDirection, required=True, description="Specifies the direction of the sort.")
    field = graphene.InputField(PageSortField, required=True, description="Sort pages by the selected field.")


def _ids(values: list[str], field: str, type_name: str) -> list[int]:
    return [resolve_global_id(value, only_type=type_name, field=field) for value in values]


def _where_q(where: dict[str, Any]) -> Q:
    q = Q()
    if where.get("ids") is not None:
        q &= Q(pk__in=_ids(where["ids"], "ids", "Page"))
    slug = where.get("slug") or {}
    if slug.get("eq") is not None:
        q &= Q(slug=slug["eq"])
    if slug.get("one_of") is not None:
        q &= Q(slug__in=slug["one_of"])
    page_type = where.get("page_type") or {}
    if page_type.get("eq") is not None:
        q &= Q(page_type_id__in=_ids([page_type["eq"]], "pageType", "PageType"))
    if page_type.get("one_of") is not None:
        q &= Q(page_type_id__in=_ids(page_type["one_of"], "pageType", "PageType"))
    for condition in where.get("AND") or []:
        q &= _where_q(condition)
    if where.get("OR"):
        either = Q(pk__in=[])
        for condition in where["OR"]:
            either |= _where_q(condition)
        q &= either
    return q


def filter_pages(
    queryset: QuerySet[Page], *, page_filter: dict[str, Any] | None, where: dict[str, Any] | None, search: str | None
) -> QuerySet[Page]:
    page_filter = page_filter or {}
    if page_filter.get("ids") is not None:
        queryset = queryset.filter(pk__in=_ids(page_filter["ids"], "ids", "Page"))
    if page_filter.get("page_types") is not None:
        queryset = queryset.filter(page_type_id__in=_ids(page_filter["page_types"], "pageTypes", "PageType"))
    if page_filter.get("slugs") is not None:
        queryset = queryset.filter(slug__in=page_filter["slugs"])
    for text in (search, page_filter.get("search")):
        for word in (text or "").split():
            queryset = queryset.filter(Q(title__icontains=word) | Q(title_en__icontains=word) | Q(slug__icontains=word))
    if where:
        queryset = queryset.filter(_where_q(where))
    return queryset


def sort_pages(queryset: QuerySet[Page], sort_by: dict[str, Any] | None) -> QuerySet[Page]:
    if not sort_by:
        return queryset.order_by("slug", "pk")
    field = _ORDER_BY[PageSortFieldValue(getattr(sort_by["field"], "value", sort_by["field"]))]
    descending = getattr(sort_by.get("direction"), "value", sort_by.get("direction")) == SortDirection.DESC.value
    prefix = "-" if descending else ""
    return queryset.order_by(f"{prefix}{field}", f"{prefix}pk")
