"""One row per piece of work to hand to the Celery worker (see the package's docstring)."""

from __future__ import annotations

import uuid

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q


class OutboxJob(models.Model):
    """A Celery task to run once: its name and arguments, when it may run next, and how it went.

    Pending: `done_at` and `failed_at` both empty. `claimed_until` is the lease of the runner that is
    running it now; a lease that ran out (the worker died mid-job) lets another runner take it again.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    task_name = models.CharField(max_length=200)
    args = models.JSONField(default=list, blank=True, encoder=DjangoJSONEncoder)
    kwargs = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    # Work that must be waiting at most once (a product's image fetch, an order's reminder): a second
    # enqueue with the same key while the first is pending adds nothing. Empty: no such rule.
    key = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField()
    available_at = models.DateTimeField()
    claimed_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True, default="")
    done_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["available_at"]
        indexes = [
            models.Index(
                fields=["available_at"],
                name="outbox_pending_idx",
                condition=Q(done_at__isnull=True, failed_at__isnull=True),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["key"],
                name="outbox_one_pending_per_key",
                condition=Q(done_at__isnull=True, failed_at__isnull=True) & ~Q(key=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task_name} {self.id}"

    @property
    def is_pending(self) -> bool:
        return self.done_at is None and self.failed_at is None
