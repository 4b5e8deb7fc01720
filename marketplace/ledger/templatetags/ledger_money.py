"""Money on the back office's ledger pages, written as the pages elsewhere write it (`format_vnd`)."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from marketplace.core.money import format_vnd

register = template.Library()


@register.filter
def dong(amount: int | None) -> str:
    """150000 → "150.000 ₫" (Vietnamese) or "150,000 VND" (English)."""
    return "" if amount is None else format_vnd(int(amount), get_language() or "vi")
