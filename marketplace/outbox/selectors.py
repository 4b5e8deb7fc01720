"""Reading the outbox: what is waiting, for the metrics and the health page."""

from __future__ import annotations

import dataclasses
import datetime

from django.db.models import Count, Min, Q
from django.utils import timezone

from marketplace.outbox.models import OutboxJob


@dataclasses.dataclass(frozen=True)
class OutboxBacklog:
    pending: int  # not done and not given up: waiting, running or retrying
    due: int  # pending and due now (what the next drain takes)
    retrying: int  # pending after at least one failed run
    failed: int  # given up after MAX_ATTEMPTS (see `outbox_retry_failed`)
    oldest_pending_seconds: float  # age of the oldest pending job; 0 when none


def outbox_backlog(*, now: datetime.datetime | None = None) -> OutboxBacklog:
    """Counts of the outbox in one query (served by the partial index on pending rows)."""
    now = now or timezone.now()
    pending = Q(done_at__isnull=True, failed_at__isnull=True)
    row = OutboxJob.objects.filter(pending | Q(done_at__isnull=True, failed_at__isnull=False)).aggregate(
        pending=Count("pk", filter=pending),
        due=Count("pk", filter=pending & Q(available_at__lte=now)),
        retrying=Count("pk", filter=pending & Q(last_error__gt="")),
        failed=Count("pk", filter=Q(failed_at__isnull=False)),
        oldest=Min("created_at", filter=pending),
    )
    oldest = row["oldest"]
    return OutboxBacklog(
        pending=row["pending"],
        due=row["due"],
        retrying=row["retrying"],
        failed=row["failed"],
        oldest_pending_seconds=max((now - oldest).total_seconds(), 0.0) if oldest else 0.0,
    )
