"""Reads of menus and pages, with what their API needs joined."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.utils import timezone

from marketplace.content.models import Menu, MenuItem, Page, PageAttributeValue, PageType


def menus() -> QuerySet[Menu]:
    return Menu.objects.order_by("slug")


def menu_items_of_menus(*, menu_ids: Iterable[int]) -> QuerySet[MenuItem]:
    """Every item of these menus, top to bottom in sort order, with their targets joined (one query)."""
    return (
        MenuItem.objects.filter(menu_id__in=list(menu_ids))
        .select_related("category", "collection", "page__page_type")
        .order_by("menu_id", "sort_order", "pk")
    )


def visible_pages(*, now: datetime.datetime | None = None) -> QuerySet[Page]:
    """Published pages whose publication time has come: the only pages the storefront sees."""
    moment = now or timezone.now()
    return (
        Page.objects.filter(is_published=True)
        .filter(Q(published_at__isnull=True) | Q(published_at__lte=moment))
        .select_related("page_type")
    )


def page_types() -> QuerySet[PageType]:
    return PageType.objects.order_by("slug")


def attribute_values_of_pages(*, page_ids: Iterable[int]) -> QuerySet[PageAttributeValue]:
    return (
        PageAttributeValue.objects.filter(page_id__in=list(page_ids))
        .select_related("attribute", "collection")
        .order_by("page_id", "attribute__slug")
    )


def attributes_of_page_types(*, page_type_ids: Iterable[int]) -> QuerySet:
    """The (page type, attribute) rows of these page types, attributes joined, in slug order."""
    through = PageType.attributes.through
    return (
        through.objects.filter(pagetype_id__in=list(page_type_ids))
        .select_related("pageattribute")
        .order_by("pagetype_id", "pageattribute__slug")
    )
