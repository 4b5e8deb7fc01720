"""Reads of the sync's own records: what operators watch (readiness, metrics)."""

from __future__ import annotations

from django.db.models import Count

from catalog_sync.models import QuarantinedRecord, SyncRun


def last_successful_sync() -> SyncRun | None:
    """The sync run that most recently finished without error, or None when none has."""
    return (
        SyncRun.objects.filter(status=SyncRun.Status.SUCCEEDED, finished_at__isnull=False)
        .order_by("-finished_at")
        .first()
    )


def sync_run_counts() -> dict[str, int]:
    """How many sync runs there have been, by status (every status present, zero or not)."""
    counts = {status: 0 for status in SyncRun.Status.values}
    for row in SyncRun.objects.values("status").annotate(n=Count("pk")).order_by():
        counts[row["status"]] = row["n"]
    return counts


def open_quarantine_count() -> int:
    """Registry records held in quarantine that no valid revision has released yet."""
    return QuarantinedRecord.objects.filter(released_at__isnull=True).count()
