from django.db import models
from django.utils.translation import gettext_lazy as _


class ShippingZone(models.Model):
    """Where home delivery goes: a set of provinces (today's units), or all of Vietnam when empty."""

    name = models.CharField(_("name"), max_length=255)
    provinces = models.JSONField(
        _("provinces"),
        default=list,
        blank=True,
        help_text=_("Province codes of today's units (e.g. 75 for Đồng Nai); empty means all of Vietnam."),
    )
    channels = models.ManyToManyField("channel.Channel", related_name="shipping_zones", blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("shipping zone")
        verbose_name_plural = _("shipping zones")

    def __str__(self) -> str:
        return self.name

    def covers(self, province_code: str) -> bool:
        return not self.provinces or province_code in self.provinces


class ShippingMethod(models.Model):
    """A flat-rate home delivery option of a zone, priced in whole đồng per order."""

    zone = models.ForeignKey(ShippingZone, on_delete=models.CASCADE, related_name="methods", verbose_name=_("zone"))
    name = models.CharField(_("name"), max_length=255)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    price_amount = models.PositiveBigIntegerField(_("price (đồng)"))
    minimum_order_amount = models.PositiveBigIntegerField(_("minimum order (đồng)"), null=True, blank=True)
    maximum_order_amount = models.PositiveBigIntegerField(_("maximum order (đồng)"), null=True, blank=True)
    minimum_delivery_days = models.PositiveSmallIntegerField(_("minimum delivery days"), default=1)
    maximum_delivery_days = models.PositiveSmallIntegerField(_("maximum delivery days"), default=3)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["price_amount", "name"]
        verbose_name = _("shipping method")
        verbose_name_plural = _("shipping methods")

    def __str__(self) -> str:
        return f"{self.name} ({self.zone})"

    def applies_to(self, *, province_code: str, subtotal: int) -> bool:
        if not self.is_active or not self.zone.covers(province_code):
            return False
        if self.minimum_order_amount is not None and subtotal < self.minimum_order_amount:
            return False
        return self.maximum_order_amount is None or subtotal <= self.maximum_order_amount
