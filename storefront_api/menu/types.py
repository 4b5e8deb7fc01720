"""Saleor's Menu and MenuItem over marketplace.content's menus: a whole menu is read in one query.

An item's category is shown as it is (its products are the listed ones only); its collection only when
published, its page only when visible (the item itself stays, with its name, as in Saleor).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import graphene

from marketplace.catalogue.models import Category, Collection
from marketplace.channel.models import Channel
from marketplace.content.models import Menu, MenuItem
from marketplace.content.selectors import menu_items_of_menus
from storefront_api.collection.types import CollectionType
from storefront_api.core.connection import CountableConnection
from storefront_api.core.context import ChannelContext
from storefront_api.core.execution import plain
from storefront_api.core.languages import is_english
from storefront_api.core.types import LanguageCodeEnum, LanguageDisplay, language_display
from storefront_api.page.types import PageContext, PageGraphType
from storefront_api.product.types import CategoryType


@dataclass(eq=False)
class MenuNode:
    menu: Menu
    channel: Channel | None
    items: list[MenuItemNode] = field(default_factory=list)


@dataclass(eq=False)
class MenuItemNode:
    item: MenuItem
    menu: MenuNode
    parent: MenuItemNode | None
    level: int
    children: list[MenuItemNode] = field(default_factory=list)


def menu_trees(menus: Iterable[Menu], channel: Channel | None) -> list[MenuNode]:
    """The menus with their items as trees, in sort order (one query for all of them)."""
    nodes = {menu.pk: MenuNode(menu=menu, channel=channel) for menu in menus}
    items = list(menu_items_of_menus(menu_ids=nodes))
    by_parent: dict[int | None, list[MenuItem]] = {}
    for item in items:
        by_parent.setdefault(item.parent_id, []).append(item)

    def attach(menu: MenuNode, parent: MenuItemNode | None, level: int) -> list[MenuItemNode]:
        children = []
        for item in by_parent.get(parent.item.pk if parent else None, []):
            if item.menu_id != menu.menu.pk:
                continue
            node = MenuItemNode(item=item, menu=menu, parent=parent, level=level)
            node.children = attach(menu, node, level + 1)
            children.append(node)
        return children

    for menu in nodes.values():
        menu.items = attach(menu, None, 0)
    return list(nodes.values())


class MenuItemTranslation(graphene.ObjectType):
    language = graphene.Field(LanguageDisplay, required=True)
    name = graphene.String(required=True)

    class Meta:
        interfaces = (graphene.relay.Node,)


class MenuItemType(graphene.ObjectType):
    """An item of a menu: a link to an OCOP group or product set, a collection, a page or a URL, or a heading."""

    name = graphene.String(required=True)
    menu = graphene.Field(lambda: MenuType, required=True)
    parent = graphene.Field(lambda: MenuItemType)
    category = graphene.Field(CategoryType)
    collection = graphene.Field(CollectionType)
    page = graphene.Field(PageGraphType)
    level = graphene.Int(required=True)
    children = graphene.List(graphene.NonNull(lambda: MenuItemType))
    url = graphene.String(description="URL to the menu item.")
    translation = graphene.Field(
        MenuItemTranslation,
        language_code=graphene.Argument(LanguageCodeEnum, required=True, description="A language code."),
        description="Returns translated menu item fields for the given language code.",
    )

    class Meta:
        name = "MenuItem"
        description = "Represents a single item of the related menu. Can store categories, collection or pages."
        interfaces = (graphene.relay.Node,)

    @staticmethod
    @plain
    def resolve_id(root: MenuItemNode, info: graphene.ResolveInfo) -> int:
        return root.item.pk

    @staticmethod
    @plain
    def resolve_name(root: MenuItemNode, info: graphene.ResolveInfo) -> str:
        return root.item.name

    @staticmethod
    @plain
    def resolve_menu(root: MenuItemNode, info: graphene.ResolveInfo) -> MenuNode:
        return root.menu

    @staticmethod
    @plain
    def resolve_parent(root: MenuItemNode, info: graphene.ResolveInfo) -> MenuItemNode | None:
        return root.parent

    @staticmethod
    @plain
    def resolve_level(root: MenuItemNode, info: graphene.ResolveInfo) -> int:
        return root.level

    @staticmethod
    @plain
    def resolve_children(root: MenuItemNode, info: graphene.ResolveInfo) -> list[MenuItemNode]:
        return root.children

    @staticmethod
    @plain
    def resolve_url(root: MenuItemNode, info: graphene.ResolveInfo) -> str | None:
        return root.item.url or None

    @staticmethod
    @plain
    def resolve_category(root: MenuItemNode, info: graphene.ResolveInfo) -> Category | None:
        return root.item.category

    @staticmethod
    @plain
    def resolve_collection(root: MenuItemNode, info: graphene.ResolveInfo) -> ChannelContext[Collection] | None:
        collection, channel = root.item.collection, root.menu.channel
        if collection is None or not collection.is_published or channel is None:
            return None
        return ChannelContext(node=collection, channel=channel)

    @staticmethod
    @plain
    def resolve_page(root: MenuItemNode, info: graphene.ResolveInfo) -> PageContext | None:
        page = root.item.page
        if page is None or not page.is_visible():
            return None
        return PageContext(node=page, channel=root.menu.channel)

    @staticmethod
    def resolve_translation(root: MenuItemNode, info: graphene.ResolveInfo, language_code: str) -> Any:
        item = root.item
        name = (item.name_en or item.name) if is_english(language_code) else item.name
        return MenuItemTranslation(id=item.pk, language=language_display(language_code), name=name)


class MenuType(graphene.ObjectType):
    """A menu of the storefront: `navbar` (the navigation bar) and `footer` (the footer's columns)."""

    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    items = graphene.List(graphene.NonNull(MenuItemType))

    class Meta:
        name = "Menu"
        description = "Represents a single menu - an object that is used to help navigate through the store."
        interfaces = (graphene.relay.Node,)

    @staticmethod
    @plain
    def resolve_id(root: MenuNode, info: graphene.ResolveInfo) -> int:
        return root.menu.pk

    @staticmethod
    @plain
    def resolve_name(root: MenuNode, info: graphene.ResolveInfo) -> str:
        return root.menu.name

    @staticmethod
    @plain
    def resolve_slug(root: MenuNode, info: graphene.ResolveInfo) -> str:
        return root.menu.slug

    @staticmethod
    @plain
    def resolve_items(root: MenuNode, info: graphene.ResolveInfo) -> list[MenuItemNode]:
        return root.items


class MenuCountableConnection(CountableConnection):
    class Meta:
        node = MenuType
        strict_types = True
