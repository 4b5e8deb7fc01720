"""Reads of events: what the public sees (published), current and upcoming first."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from marketplace.core.dates import local_today
from marketplace.events.models import Event


def published_events() -> QuerySet[Event]:
    return Event.objects.filter(is_published=True).select_related("booth")


def events_by_time(*, today: datetime.date | None = None) -> tuple[list[Event], list[Event]]:
    """(current and upcoming, soonest first; past, latest first) of the published events."""
    day = today or local_today()
    coming = list(published_events().filter(ends_on__gte=day).order_by("starts_on", "name", "pk"))
    past = list(published_events().filter(ends_on__lt=day).order_by("-ends_on", "name", "pk")[:24])
    return coming, past
