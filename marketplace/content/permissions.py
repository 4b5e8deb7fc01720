"""The back office's rules for menus and pages: operators write the shop's navigation and pages; nobody else
sees them there (the storefront shows the published ones to everyone)."""

from __future__ import annotations

from marketplace.accounts.models import Role
from marketplace.accounts.permissions import ALL, Resource, register_model, scope_operator_only
from marketplace.content.models import Menu, MenuItem, Page, PageAttribute, PageAttributeValue, PageType

MENU = Resource("content.menu", grants={Role.OPERATOR: ALL})
PAGE = Resource("content.page", grants={Role.OPERATOR: ALL})
PAGE_TYPE = Resource("content.page_type", grants={Role.OPERATOR: ALL})

register_model(Menu, scope=scope_operator_only)
register_model(MenuItem, scope=scope_operator_only)
register_model(Page, scope=scope_operator_only)
register_model(PageType, scope=scope_operator_only)
register_model(PageAttribute, scope=scope_operator_only)
register_model(PageAttributeValue, scope=scope_operator_only)
