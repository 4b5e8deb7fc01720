import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from marketplace.core.fields import BulkJSONField
from marketplace.core.models import TimestampedModel

MIN_LISTED_STARS = 3
MAX_STARS = 5


class CertificationStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")
    SUSPENDED = "suspended", _("Suspended")
    SUPERSEDED = "superseded", _("Superseded")


class CouncilLevel(models.TextChoices):
    DISTRICT = "district", _("District council")
    PROVINCE = "province", _("Provincial council")
    CENTRAL = "central", _("Central council")


class Certification(TimestampedModel):
    """One OCOP certificate at its highest revision seen, with the registry's raw record.

    Every certificate a product ever held is kept, so the rating history is complete.
    The marketplace never edits these rows except by applying a newer registry revision.
    """

    certificate_id = models.CharField(_("certificate id"), max_length=64, unique=True)
    revision = models.PositiveIntegerField(_("revision"))
    registry_updated_at = models.DateTimeField(_("updated in registry"))
    status = models.CharField(_("status"), max_length=16, choices=CertificationStatus.choices)
    stars = models.PositiveSmallIntegerField(_("stars"))
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    council_level = models.CharField(_("council"), max_length=16, choices=CouncilLevel.choices, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=128, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    issuer = models.CharField(_("issuer"), max_length=255, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"))
    supersedes = models.CharField(_("supersedes"), max_length=64, blank=True)
    product = models.ForeignKey(
        "catalogue.Product", on_delete=models.PROTECT, related_name="certifications", verbose_name=_("product")
    )
    producer = models.ForeignKey(
        "producers.Producer",
        on_delete=models.PROTECT,
        related_name="certifications",
        verbose_name=_("producer"),
    )
    quarantined_revision = models.PositiveIntegerField(
        _("quarantined revision"),
        null=True,
        blank=True,
        help_text=_(
            "A newer revision of this certificate failed validation; until a valid one comes, it lists nothing."
        ),
    )
    raw = BulkJSONField(_("registry record"))

    class Meta:
        ordering = ["-valid_from", "-certificate_id"]
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        indexes = [models.Index(fields=["product", "status", "valid_until"])]

    def __str__(self) -> str:
        return f"{self.certificate_id} ({self.stars}★, {self.status})"

    @property
    def is_quarantined(self) -> bool:
        return self.quarantined_revision is not None

    def is_valid_on(self, day: datetime.date) -> bool:
        """The gate: active, 3–5 stars, and `day` within valid_from..valid_until, both inclusive.

        A record without valid_from is valid from its decision date.
        """
        starts = self.valid_from or self.decision_date
        return (
            self.quarantined_revision is None
            and self.status == CertificationStatus.ACTIVE
            and MIN_LISTED_STARS <= self.stars <= MAX_STARS
            and (starts is None or starts <= day)
            and day <= self.valid_until
        )


class MisuseReportStatus(models.TextChoices):
    NEW = "new", _("New")
    HANDLED = "handled", _("Handled")
    DISMISSED = "dismissed", _("Dismissed")


class MisuseReport(models.Model):
    """Someone saw an OCOP label they doubt (on an unlisted or expired product) and told the province.

    Filed from the public verify page; trade staff handle it. The certificate id is kept as typed; the
    certification and product are linked when the id is known.
    """

    created_at = models.DateTimeField(_("reported at"), auto_now_add=True, db_index=True)
    certificate_id = models.CharField(_("certificate id as given"), max_length=64)
    certification = models.ForeignKey(
        Certification, null=True, blank=True, on_delete=models.SET_NULL, related_name="misuse_reports"
    )
    product = models.ForeignKey(
        "catalogue.Product", null=True, blank=True, on_delete=models.SET_NULL, related_name="misuse_reports"
    )
    place = models.CharField(_("where it was seen"), max_length=500)
    description = models.TextField(_("what was seen"))
    reporter_name = models.CharField(_("reporter's name"), max_length=255, blank=True)
    reporter_contact = models.CharField(_("reporter's e-mail or phone"), max_length=255, blank=True)
    language_code = models.CharField(_("language"), max_length=8, default="vi")
    status = models.CharField(
        _("status"), max_length=16, choices=MisuseReportStatus.choices, default=MisuseReportStatus.NEW, db_index=True
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    handled_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    resolution = models.TextField(_("what was done"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("misuse report")
        verbose_name_plural = _("misuse reports")

    def __str__(self) -> str:
        return f"{self.certificate_id} ({self.get_status_display()})"
