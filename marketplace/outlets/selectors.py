"""Reads of outlets."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from marketplace.core.dates import local_today
from marketplace.outlets.models import CollectionPointOption, Outlet


def collection_points_open(*, today: datetime.date | None = None) -> QuerySet[Outlet]:
    """Active outlets that hand over orders; a fair's booth until its last day (an order placed before the fair is
    collected there during it). Checkout offers them, and the outlet directory lists them."""
    return (
        Outlet.objects.filter(is_active=True)
        .exclude(click_and_collect_option=CollectionPointOption.DISABLED)
        .exclude(collects_until__lt=today or local_today())
    )
