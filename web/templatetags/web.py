"""Filters the pages share: money in whole đồng, star badges."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from marketplace.core.money import format_vnd

register = template.Library()


@register.filter
def vnd(amount: int | None) -> str:
    """150000 → "150.000 ₫" (Vietnamese) or "150,000 VND" (English)."""
    if amount is None:
        return ""
    return format_vnd(int(amount), get_language() or "vi")


@register.inclusion_tag("web/_stars.html")
def stars(count: int | None) -> dict:
    count = int(count or 0)
    return {"count": count, "filled": range(count), "empty": range(max(5 - count, 0))}
