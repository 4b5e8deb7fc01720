"""Reads of events: what the public sees (published), current and upcoming first."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Max, QuerySet

from marketplace.accounts.permissions import scope_province_wide
from marketplace.certification.models import Certification
from marketplace.core.dates import local_today
from marketplace.events.models import Event, RatingAnnouncement


def published_events() -> QuerySet[Event]:
    return Event.objects.filter(is_published=True).select_related("booth")


def events_by_time(*, today: datetime.date | None = None) -> tuple[list[Event], list[Event]]:
    """(current and upcoming, soonest first; past, latest first) of the published events."""
    day = today or local_today()
    coming = list(published_events().filter(ends_on__gte=day).order_by("starts_on", "name", "pk"))
    past = list(published_events().filter(ends_on__lt=day).order_by("-ends_on", "name", "pk")[:24])
    return coming, past


@dataclass(frozen=True)
class RatingRound:
    """A council decision as the registry's certificates carry it: its number, date and how many products."""

    decision_number: str
    decision_date: datetime.date | None
    products: int


def _rounds(user: Any) -> QuerySet:
    """The user's certificates with a decision number, grouped by it: number, latest date, products."""
    return (
        scope_province_wide(user, Certification.objects.exclude(decision_number=""))
        .values("decision_number")
        .annotate(decision_date=Max("decision_date"), products=Count("product", distinct=True))
    )


def rating_rounds(*, user: Any, limit: int = 100) -> list[RatingRound]:
    """The decisions of the certificates the user sees (trade staff: their province's), latest first."""
    rows = _rounds(user).order_by(F("decision_date").desc(nulls_last=True), "decision_number")[:limit]
    return [RatingRound(**row) for row in rows]


def rating_round(*, user: Any, decision_number: str) -> RatingRound | None:
    """The decision `decision_number` among the certificates the user sees, however old, or None."""
    row = _rounds(user).filter(decision_number=decision_number).order_by("decision_number").first()
    return RatingRound(**row) if row else None


def published_announcements() -> QuerySet[RatingAnnouncement]:
    return RatingAnnouncement.objects.all()


def announced_certificates(*, announcement: RatingAnnouncement) -> list[Certification]:
    """The certificates of the announcement's decision, more stars first, then by product name."""
    return list(
        Certification.objects.filter(decision_number=announcement.decision_number)
        .select_related("product", "producer")
        .defer("raw")
        .order_by("-stars", "product__name", "pk")
    )
