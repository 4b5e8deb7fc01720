"""Filters of the outlet console's templates."""

from __future__ import annotations

from typing import Any

from django import template

from web.outletdesk import labels

register = template.Library()

register.filter("line_name", labels.line_name)
register.filter("outlet_name", labels.outlet_name)
register.filter("product_name", labels.product_name)
register.filter("buyer_name", labels.buyer_name)


@register.filter
def order_status(order: Any) -> str:
    return labels.status_label(order.status)


@register.filter
def event_type(event: Any) -> str:
    return labels.event_label(event.type)
