"""Writes of menus and pages: each validated (the models' `clean`) before it is saved."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max

from marketplace.catalogue.models import Category, Collection
from marketplace.content.editorjs import blocks_from_text
from marketplace.content.models import (
    Menu,
    MenuItem,
    Page,
    PageAttribute,
    PageAttributeKind,
    PageAttributeValue,
    PageType,
)
from marketplace.core.text import clean_text


def _text(value: str) -> str:
    return clean_text(value) or ""


@transaction.atomic
def menu_ensure(*, slug: str, name: str) -> tuple[Menu, bool]:
    """The menu of `slug`, created with `name` if there is none; and whether it was created."""
    menu, created = Menu.objects.get_or_create(slug=slug, defaults={"name": _text(name)})
    return menu, created


@transaction.atomic
def menu_item_add(
    *,
    menu: Menu,
    name: str,
    name_en: str = "",
    parent: MenuItem | None = None,
    category: Category | None = None,
    collection: Collection | None = None,
    page: Page | None = None,
    url: str = "",
    sort_order: int | None = None,
) -> MenuItem:
    """An item at the end of its level (or at `sort_order`), linking to at most one target."""
    if sort_order is None:
        last = MenuItem.objects.filter(menu=menu, parent=parent).aggregate(last=Max("sort_order"))["last"]
        sort_order = 0 if last is None else last + 1
    item = MenuItem(
        menu=menu,
        parent=parent,
        name=_text(name),
        name_en=_text(name_en),
        category=category,
        collection=collection,
        page=page,
        url=url.strip(),
        sort_order=sort_order,
    )
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def page_attribute_ensure(*, slug: str, name: str, kind: PageAttributeKind, name_en: str = "") -> PageAttribute:
    attribute, _ = PageAttribute.objects.get_or_create(
        slug=slug, defaults={"name": _text(name), "name_en": _text(name_en), "kind": kind}
    )
    return attribute


@transaction.atomic
def page_type_ensure(*, slug: str, name: str, attributes: list[PageAttribute] | None = None) -> PageType:
    """The page type of `slug` (created if missing), carrying at least `attributes`."""
    page_type, _ = PageType.objects.get_or_create(slug=slug, defaults={"name": _text(name)})
    if attributes:
        page_type.attributes.add(*attributes)
    return page_type


@transaction.atomic
def page_create(
    *,
    page_type: PageType,
    title: str,
    slug: str,
    text: str = "",
    title_en: str = "",
    slug_en: str = "",
    text_en: str = "",
    seo_title: str = "",
    seo_title_en: str = "",
    seo_description: str = "",
    seo_description_en: str = "",
    is_published: bool = True,
    **fields: Any,
) -> Page:
    """A page whose content is written as text (see `editorjs.blocks_from_text`), in Vietnamese and English."""
    page = Page(
        page_type=page_type,
        title=_text(title),
        title_en=_text(title_en),
        slug=slug,
        slug_en=slug_en,
        content=blocks_from_text(text),
        content_en=blocks_from_text(text_en),
        seo_title=_text(seo_title),
        seo_title_en=_text(seo_title_en),
        seo_description=_text(seo_description),
        seo_description_en=_text(seo_description_en),
        is_published=is_published,
        **fields,
    )
    page.full_clean()
    page.save()
    return page


@transaction.atomic
def page_attribute_value_set(*, page: Page, attribute: PageAttribute, **value: Any) -> PageAttributeValue:
    """The page's value of `attribute` (one of its page type's), replacing an earlier one.

    `value` names the field of the attribute's kind: `text`/`text_en`, `boolean`, `number`, `collection`, `file`.
    """
    for key in ("text", "text_en"):
        if key in value:
            value[key] = clean_text(value[key], multiline=True) or ""
    found = PageAttributeValue.objects.filter(page=page, attribute=attribute).first()
    row = found or PageAttributeValue(page=page, attribute=attribute)
    for key, item in value.items():
        setattr(row, key, item)
    row.full_clean()
    row.save()
    return row
