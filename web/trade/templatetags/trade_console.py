"""Filters of the trade console: names in the page's language, registry records as readable text."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django import template
from django.utils.translation import get_language

from catalog_sync import validation
from marketplace.core.dates import local_today
from web.domain_labels import listing_reason_label

register = template.Library()


@register.filter
def in_language(obj: Any) -> str:
    """The English name (`name_en`) on English pages when there is one; the Vietnamese name otherwise."""
    english = getattr(obj, "name_en", "") if (get_language() or "").startswith("en") else ""
    return english or getattr(obj, "name", "")


@register.filter
def json_text(value: Any) -> str:
    """A JSON value as indented text (not marked safe: the template escapes it), Vietnamese left readable."""
    return json.dumps(value, ensure_ascii=False, indent=2)


@register.filter
def reason_texts(reasons: Any) -> list[str]:
    """A quarantined record's reasons, one sentence each, as the sync recorded them."""
    return validation.reason_texts(reasons)


@register.filter
def reason_label(reason: str) -> str:
    """A listing reason's code in words."""
    return listing_reason_label(reason)


@register.filter
def days_left(day: datetime.date) -> int:
    """Days from today (in the marketplace's time zone) to `day`."""
    return (day - local_today()).days
