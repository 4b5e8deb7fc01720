import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from marketplace.core.models import TimestampedModel


class OutletKind(models.TextChoices):
    SHOWROOM = "showroom", _("OCOP showroom")
    TOURIST_SITE = "tourist_site", _("Tourist-site outlet")
    PRODUCER_WAREHOUSE = "producer_warehouse", _("Producer warehouse")


class CollectionPointOption(models.TextChoices):
    """Saleor's `WarehouseClickAndCollectOption`."""

    DISABLED = "disabled", _("No collection")
    LOCAL_STOCK = "local", _("Collect from local stock only")
    ALL_WAREHOUSES = "all", _("Collect from any warehouse")


class Outlet(TimestampedModel):
    """Saleor's warehouse, seen as a collection point: a showroom, a tourist-site outlet, a producer's store."""

    name = models.CharField(_("name"), max_length=255)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    slug = models.SlugField(_("slug"), max_length=255, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=OutletKind.choices)
    producer = models.ForeignKey(
        "producers.Producer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="warehouses",
        verbose_name=_("producer"),
        help_text=_("Only for a producer's own warehouse."),
    )
    channels = models.ManyToManyField("channel.Channel", related_name="outlets", blank=True)
    operator = models.CharField(_("operated by"), max_length=255, blank=True)
    address_line = models.CharField(_("address"), max_length=500, blank=True)
    commune = models.CharField(_("commune (today)"), max_length=255, blank=True)
    province = models.CharField(_("province (today)"), max_length=255, blank=True)
    address_before_2025 = models.CharField(_("address before July 2025"), max_length=500, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    coordinates_approximate = models.BooleanField(_("coordinates are the commune's centre"), default=False)
    phone = models.CharField(_("phone"), max_length=64, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=255, blank=True)
    opening_hours_en = models.CharField(_("opening hours (English)"), max_length=255, blank=True)
    pickup_instructions = models.TextField(_("pickup instructions"), blank=True)
    pickup_instructions_en = models.TextField(_("pickup instructions (English)"), blank=True)
    hold_days = models.PositiveSmallIntegerField(
        _("hold days"), default=5, help_text=_("How long an order ready for pickup waits before it is cancelled.")
    )
    click_and_collect_option = models.CharField(
        _("collection"),
        max_length=16,
        choices=CollectionPointOption.choices,
        default=CollectionPointOption.LOCAL_STOCK,
    )
    is_active = models.BooleanField(_("active"), default=True)
    # A fair's booth hands over orders only on the fair's days; it can be chosen at checkout until its last day.
    collects_from = models.DateField(
        _("hands over orders from"), null=True, blank=True, help_text=_("A fair's booth: its first day.")
    )
    collects_until = models.DateField(
        _("hands over orders until"), null=True, blank=True, help_text=_("A fair's booth: its last day.")
    )
    source_url = models.URLField(_("source"), max_length=500, blank=True)
    preparation_minutes = models.PositiveSmallIntegerField(
        _("preparation time (minutes)"),
        default=60,
        help_text=_("How long staff need to prepare an order from this outlet's own stock, within opening hours."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("outlet")
        verbose_name_plural = _("outlets")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(collects_from__isnull=True)
                | models.Q(collects_until__isnull=True)
                | models.Q(collects_from__lte=models.F("collects_until")),
                name="outlets_collects_from_before_until",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def full_address(self) -> str:
        """The fullest address the outlet has, for a buyer to find it: its street with today's commune and
        province; without a street, the address it was published under before July 2025 (street, ward and
        district), with today's commune and province after it; else what it has."""
        today = ", ".join(part for part in (self.commune, self.province) if part)
        if self.address_line:
            return ", ".join(part for part in (self.address_line, today) if part)
        if self.address_before_2025:
            return f"{self.address_before_2025} ({today})" if today else self.address_before_2025
        return today

    @property
    def address_is_complete(self) -> bool:
        """Whether a buyer can find it from its address: a street (or the pre-2025 one), a commune, a province."""
        return bool((self.address_line or self.address_before_2025) and self.commune and self.province)

    @property
    def is_collection_point(self) -> bool:
        return self.is_active and self.click_and_collect_option != CollectionPointOption.DISABLED

    def hands_over_on(self, day: datetime.date) -> bool:
        """Whether orders are handed over here on `day` (always, but for a booth outside its days)."""
        return (self.collects_from is None or self.collects_from <= day) and (
            self.collects_until is None or day <= self.collects_until
        )


class Weekday(models.IntegerChoices):
    """ISO weekdays less one, as `datetime.date.weekday()` gives them."""

    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class OpeningPeriod(models.Model):
    """An outlet is open on `weekday` from `opens` to `closes`, local time (Asia/Ho_Chi_Minh). A day may have
    two periods (a lunch break); a day with none is closed. Closing after midnight is not provided for: no
    outlet here does."""

    outlet = models.ForeignKey(
        Outlet, on_delete=models.CASCADE, related_name="opening_periods", verbose_name=_("outlet")
    )
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        ordering = ["weekday", "opens"]
        verbose_name = _("opening period")
        verbose_name_plural = _("opening hours")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(opens__lt=models.F("closes")), name="outlets_period_opens_before_it_closes"
            ),
            models.UniqueConstraint(fields=["outlet", "weekday", "opens"], name="outlets_period_unique_start"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"
