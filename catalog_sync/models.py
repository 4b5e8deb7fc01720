from django.db import models
from django.utils.translation import gettext_lazy as _

from marketplace.core.fields import BulkJSONField


class RegistryCursor(models.Model):
    """Where the change feed of one registry was last read up to. Saved with the page it follows."""

    registry_url = models.CharField(_("registry"), max_length=500, unique=True)
    cursor = models.TextField(_("cursor"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("registry cursor")
        verbose_name_plural = _("registry cursors")

    def __str__(self) -> str:
        return self.registry_url


# What a sync counts, in the order the command prints them (each a SyncRun field).
SYNC_COUNTERS = ("received", "created", "updated", "unchanged", "stale", "quarantined", "listed", "delisted")


class SyncRun(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    registry_url = models.CharField(_("registry"), max_length=500)
    trigger = models.CharField(_("started by"), max_length=32, default="command")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    cursor_before = models.TextField(_("cursor before"), blank=True)
    cursor_after = models.TextField(_("cursor after"), blank=True)
    pages = models.PositiveIntegerField(_("pages"), default=0)
    received = models.PositiveIntegerField(_("received"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    stale = models.PositiveIntegerField(_("stale"), default=0)
    quarantined = models.PositiveIntegerField(_("quarantined"), default=0)
    listed = models.PositiveIntegerField(_("listed"), default=0)
    delisted = models.PositiveIntegerField(_("delisted"), default=0)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("sync run")
        verbose_name_plural = _("sync runs")

    def __str__(self) -> str:
        return f"sync #{self.pk} {self.status}"


class QuarantinedRecord(models.Model):
    """A registry record that failed validation: kept whole, with why, until a valid revision replaces it."""

    certificate_id = models.CharField(_("certificate id"), max_length=255, blank=True, db_index=True)
    revision = models.BigIntegerField(_("revision"), null=True, blank=True)
    raw = BulkJSONField(_("record as received"))
    reasons = BulkJSONField(_("reasons"))
    sync_run = models.ForeignKey(
        SyncRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="quarantined_records"
    )
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    released_at = models.DateTimeField(_("released"), null=True, blank=True)
    released_by_revision = models.BigIntegerField(_("released by revision"), null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("quarantined record")
        verbose_name_plural = _("quarantined records")
        indexes = [
            models.Index(
                fields=["certificate_id"], condition=models.Q(released_at__isnull=True), name="quarantine_open_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.certificate_id or '(no id)'} r{self.revision}"
