"""Deliveries from cooperatives to an outlet (issue 15): what the cooperative announced, what the outlet received.

A cooperative announces a delivery in its portal (the outlet, the expected day, per variant the quantity and perhaps
a lot and a best-before date); the outlet's staff record what actually came. One `DeliveryLine` carries both sides:
what was announced (`quantity_announced`, none for a line the outlet found in the boxes without an announcement) and
what was received (`quantity_received`, none until the receipt). A delivery nobody announced (a cooperative that
walks in with goods) is received the same way, every line unannounced.

A lot received with a best-before date is kept as a `StockLot` at the outlet, so the console can warn before the date.
Names and SKUs are copied on the line, as on an order line, so a delivery note never changes afterwards.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DeliveryStatus(models.TextChoices):
    ANNOUNCED = "announced", _("Announced")
    RECEIVED = "received", _("Received")
    CANCELED = "canceled", _("Canceled")


class Delivery(models.Model):
    outlet = models.ForeignKey("outlets.Outlet", on_delete=models.PROTECT, related_name="deliveries")
    producer = models.ForeignKey("producers.Producer", on_delete=models.PROTECT, related_name="deliveries")
    status = models.CharField(
        _("status"), max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.ANNOUNCED, db_index=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    announced_at = models.DateTimeField(_("announced at"), null=True, blank=True)
    expected_on = models.DateField(_("expected on"), null=True, blank=True)
    announced_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    announcement_note = models.CharField(_("note from the cooperative"), max_length=500, blank=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    receipt_note = models.CharField(_("note from the outlet"), max_length=500, blank=True)
    receipt_key = models.CharField(
        _("receipt key"),
        max_length=64,
        blank=True,
        help_text=_("From the outlet's receipt form: the same receipt sent twice is one."),
    )
    canceled_at = models.DateTimeField(_("canceled at"), null=True, blank=True)
    canceled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["outlet", "receipt_key"],
                condition=~models.Q(receipt_key=""),
                name="delivery_unique_receipt_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Delivery')} {self.number}"

    @property
    def number(self) -> str:
        """The delivery's number as shown to both sides: "GH-000123"."""
        return f"GH-{self.pk:06d}"

    @property
    def was_announced(self) -> bool:
        """False for a delivery received without an announcement (a cooperative walking in with goods)."""
        return self.announced_at is not None

    @property
    def differing_line_count(self) -> int:
        """How many lines were received otherwise than announced (lines nobody announced count); 0 before the
        receipt. Reads the lines through `lines.all()`, so a prefetch serves it."""
        return sum(1 for line in self.lines.all() if line.discrepancy)


class DeliveryLine(models.Model):
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey(
        "catalogue.ProductVariant", null=True, on_delete=models.SET_NULL, related_name="delivery_lines"
    )
    product_name = models.CharField(_("product"), max_length=500)
    variant_name = models.CharField(_("variant"), max_length=255, blank=True)
    product_sku = models.CharField(_("SKU"), max_length=64)
    quantity_announced = models.PositiveIntegerField(
        _("quantity announced"), null=True, blank=True, help_text=_("Empty: not announced, found on receipt.")
    )
    lot_announced = models.CharField(_("lot announced"), max_length=64, blank=True)
    best_before_announced = models.DateField(_("best before (announced)"), null=True, blank=True)
    quantity_received = models.PositiveIntegerField(
        _("quantity received"), null=True, blank=True, help_text=_("Empty until the outlet records the receipt.")
    )
    lot = models.CharField(_("lot received"), max_length=64, blank=True)
    best_before = models.DateField(_("best before (received)"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("delivery line")
        verbose_name_plural = _("delivery lines")

    def __str__(self) -> str:
        return f"{self.product_name} ({self.product_sku})"

    @property
    def was_announced(self) -> bool:
        return self.quantity_announced is not None

    @property
    def discrepancy(self) -> int | None:
        """Received minus announced (an unannounced line counts all it received); None before the receipt."""
        if self.quantity_received is None:
            return None
        return self.quantity_received - (self.quantity_announced or 0)


class StockLot(models.Model):
    """A lot received at an outlet with its best-before date, for the console's warnings. It records what came in;
    sales and counts do not draw lots down (the stock row holds the quantity on the shelf)."""

    outlet = models.ForeignKey("outlets.Outlet", on_delete=models.CASCADE, related_name="stock_lots")
    variant = models.ForeignKey("catalogue.ProductVariant", on_delete=models.CASCADE, related_name="stock_lots")
    delivery_line = models.OneToOneField(DeliveryLine, on_delete=models.CASCADE, related_name="stock_lot")
    lot = models.CharField(_("lot"), max_length=64, blank=True)
    best_before = models.DateField(_("best before"), db_index=True)
    quantity_received = models.PositiveIntegerField(_("quantity received"))
    received_on = models.DateField(_("received on"))

    class Meta:
        ordering = ["best_before", "id"]
        verbose_name = _("lot at an outlet")
        verbose_name_plural = _("lots at outlets")

    def __str__(self) -> str:
        return f"{self.variant} {self.lot or '–'} ≤ {self.best_before:%d/%m/%Y}"
