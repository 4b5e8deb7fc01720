from django.db import models
from django.utils.translation import gettext_lazy as _

from marketplace.core.models import TimestampedModel


class ProducerKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    COOPERATIVE = "cooperative", _("Cooperative")
    COOPERATIVE_GROUP = "cooperative_group", _("Cooperative group")
    HOUSEHOLD = "household", _("Household business")


# Written only by the registry sync (the registry's data, and today's address derived from it).
PRODUCER_REGISTRY_FIELDS = (
    "name",
    "kind",
    "tax_code",
    "representative",
    "phone",
    "email",
    "address_line",
    "address_commune",
    "address_district",
    "address_province",
    "address_commune_code",
    "latitude",
    "longitude",
    "commune_today",
    "province_today",
    "commune_code_today",
    "address_note",
)


class Producer(TimestampedModel):
    """The seller: an OCOP subject as the registry knows it. The registry owns every field but slug.

    The address is kept twice: as the registry gives it (often before the July 2025
    reorganisation, with a district and maybe the old Bình Phước province), and in today's
    units (commune and province only), derived with `vietnamadminunits`.
    """

    registry_id = models.CharField(_("registry id"), max_length=64, unique=True)
    slug = models.SlugField(_("slug"), max_length=255, unique=True)
    name = models.CharField(_("name"), max_length=500)
    kind = models.CharField(_("kind"), max_length=32, choices=ProducerKind.choices, blank=True)
    tax_code = models.CharField(_("tax code"), max_length=32, blank=True)
    representative = models.CharField(_("representative"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=64, blank=True)
    email = models.CharField(_("e-mail"), max_length=254, blank=True)

    address_line = models.CharField(_("street / hamlet"), max_length=500, blank=True)
    address_commune = models.CharField(_("commune (registry)"), max_length=255, blank=True)
    address_district = models.CharField(_("district (registry)"), max_length=255, blank=True)
    address_province = models.CharField(_("province (registry)"), max_length=255, blank=True)
    address_commune_code = models.CharField(_("commune code (registry)"), max_length=16, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)

    commune_today = models.CharField(_("commune today"), max_length=255, blank=True)
    province_today = models.CharField(_("province today"), max_length=255, blank=True)
    commune_code_today = models.CharField(_("commune code today"), max_length=16, blank=True)
    address_note = models.CharField(
        _("address conversion note"),
        max_length=255,
        blank=True,
        help_text=_("How today's units were derived, or why they could not be."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("producer")
        verbose_name_plural = _("producers")

    def __str__(self) -> str:
        return self.name

    @property
    def registry_address(self) -> str:
        parts = [self.address_line, self.address_commune, self.address_district, self.address_province]
        return ", ".join(part for part in parts if part)

    @property
    def address_today(self) -> str:
        parts = [self.address_line, self.commune_today, self.province_today]
        return ", ".join(part for part in parts if part)
