from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from marketplace.core.dates import day_text
from marketplace.core.models import TimestampedModel


class EventKind(models.TextChoices):
    FAIR = "fair", _("Fair")
    EXHIBITION = "exhibition", _("Exhibition")
    PROMOTION_WEEK = "promotion_week", _("Promotion week")


class Event(TimestampedModel):
    """A fair, exhibition or promotion week where OCOP producers show and sell their products, with its dates,
    venue and who takes part; optionally a booth, an outlet that sells and hands over orders there."""

    name = models.CharField(_("name"), max_length=255)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    slug = models.SlugField(_("slug"), max_length=255, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=EventKind.choices, default=EventKind.FAIR)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("English description"), blank=True)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    venue = models.CharField(_("venue"), max_length=500)
    commune = models.CharField(_("commune (today)"), max_length=255, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    producers = models.ManyToManyField(
        "producers.Producer", related_name="events", blank=True, verbose_name=_("producers taking part")
    )
    products = models.ManyToManyField(
        "catalogue.Product", related_name="events", blank=True, verbose_name=_("products shown")
    )
    booth = models.ForeignKey(
        "outlets.Outlet",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("booth"),
        help_text=_("The outlet that sells and hands over orders at the event."),
    )
    is_published = models.BooleanField(_("published"), default=False)

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_on__lte=models.F("ends_on")), name="events_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """A booth hands over orders on the event's days only: its days must be the event's."""
        booth = self.booth
        if booth is not None and (booth.collects_from, booth.collects_until) != (self.starts_on, self.ends_on):
            raise ValidationError(
                {
                    "booth": _(
                        "Set the booth's days (hands over orders from, until) to the event's: %(first)s to %(last)s."
                    )
                    % {"first": f"{day_text(self.starts_on)}", "last": f"{day_text(self.ends_on)}"}
                }
            )


class RatingAnnouncement(models.Model):
    """A rating round made public: a council decision (its number and date, as the registry gives them) and, read
    from the registry's certificates with that decision, the products rated in it with their stars. Trade staff
    publish it, for the shop's page and for printing at a fair."""

    decision_number = models.CharField(_("decision number"), max_length=128, unique=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    published_at = models.DateTimeField(_("published"), auto_now_add=True)
    published_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("by")
    )

    class Meta:
        ordering = ["-decision_date", "-published_at"]
        verbose_name = _("rating announcement")
        verbose_name_plural = _("rating announcements")

    def __str__(self) -> str:
        return self.decision_number
