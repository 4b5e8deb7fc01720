"""What moves an outlet's stock besides sales and online orders: counts and write-offs, and transfers between outlets.

A count (or a single write-off) sets the shelf's quantity to what was found and keeps each line's variance with its
reason and its value at the default channel's price, so an outlet can say what it lost and why. A transfer takes
goods out of one outlet's stock when they are sent and adds what arrives to another's when they are received; in
between they are "in transit" and count at neither.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class VarianceReason(models.TextChoices):
    DAMAGE = "damage", _("Damage")
    EXPIRY = "expiry", _("Expiry")
    THEFT = "theft", _("Theft")
    COUNTING_ERROR = "counting_error", _("Counting error")
    OTHER = "other", _("Other")


class StockCountKind(models.TextChoices):
    COUNT = "count", _("Stock count")
    WRITE_OFF = "write_off", _("Write-off")


class StockCount(models.Model):
    """A count of an outlet's shelf, or a single write-off (a broken jar): the lines as they were confirmed."""

    outlet = models.ForeignKey("outlets.Outlet", on_delete=models.PROTECT, related_name="stock_counts")
    kind = models.CharField(_("kind"), max_length=16, choices=StockCountKind.choices, default=StockCountKind.COUNT)
    created_at = models.DateTimeField(_("confirmed at"), auto_now_add=True, db_index=True)
    counted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    idempotency_key = models.CharField(
        _("idempotency key"), max_length=64, help_text=_("From the count's form: the same count sent twice is one.")
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("stock count")
        verbose_name_plural = _("stock counts")
        constraints = [
            models.UniqueConstraint(fields=["outlet", "idempotency_key"], name="stock_count_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.outlet_id}-{self.pk:06d}"


class StockCountLine(models.Model):
    """One variant counted: the quantity the system held, the quantity found, and why they differ. Names and the
    price are copied, so the record never changes afterwards."""

    count = models.ForeignKey(StockCount, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey(
        "catalogue.ProductVariant", null=True, on_delete=models.SET_NULL, related_name="stock_count_lines"
    )
    stock = models.ForeignKey("inventory.Stock", null=True, on_delete=models.SET_NULL, related_name="count_lines")
    product_name = models.CharField(_("product"), max_length=500)
    variant_name = models.CharField(_("variant"), max_length=255, blank=True)
    product_sku = models.CharField(_("SKU"), max_length=64)
    quantity_before = models.PositiveIntegerField(_("system quantity"))
    quantity_counted = models.PositiveIntegerField(_("counted quantity"))
    variance = models.IntegerField(_("variance"), help_text=_("Counted minus system: negative when goods are missing."))
    reason = models.CharField(_("reason"), max_length=16, choices=VarianceReason.choices, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    unit_price_amount = models.PositiveBigIntegerField(_("unit price (đồng)"), null=True, blank=True)
    value_amount = models.BigIntegerField(_("value of the variance (đồng)"), default=0)

    class Meta:
        ordering = ["id"]
        verbose_name = _("stock count line")
        verbose_name_plural = _("stock count lines")

    def __str__(self) -> str:
        return f"{self.product_name}: {self.quantity_before} → {self.quantity_counted}"


class TransferStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    IN_TRANSIT = "in_transit", _("In transit")
    RECEIVED = "received", _("Received")
    DECLINED = "declined", _("Declined")
    CANCELED = "canceled", _("Canceled")


class StockTransfer(models.Model):
    """Goods of one variant asked of another outlet: requested by the receiving outlet, sent (or declined) by the
    sending one, then received, perhaps fewer than were sent (the shortfall is kept)."""

    from_outlet = models.ForeignKey(
        "outlets.Outlet", on_delete=models.PROTECT, related_name="transfers_out", verbose_name=_("from outlet")
    )
    to_outlet = models.ForeignKey(
        "outlets.Outlet", on_delete=models.PROTECT, related_name="transfers_in", verbose_name=_("to outlet")
    )
    variant = models.ForeignKey(
        "catalogue.ProductVariant", on_delete=models.PROTECT, related_name="stock_transfers", verbose_name=_("variant")
    )
    order = models.ForeignKey(
        "orders.Order",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stock_transfers",
        verbose_name=_("for order"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=TransferStatus.choices, default=TransferStatus.REQUESTED, db_index=True
    )
    quantity_requested = models.PositiveIntegerField(_("requested"))
    quantity_sent = models.PositiveIntegerField(_("sent"), null=True, blank=True)
    quantity_received = models.PositiveIntegerField(_("received"), null=True, blank=True)
    carried_lines = models.JSONField(
        _("order lines carried"),
        default=list,
        blank=True,
        help_text=_("The linked order's fulfilment lines whose promised units travel with the goods."),
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    answer = models.CharField(_("sender's or receiver's note"), max_length=255, blank=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=64)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True, db_index=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(_("declined or canceled at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("stock transfer")
        verbose_name_plural = _("stock transfers")
        constraints = [
            models.UniqueConstraint(fields=["to_outlet", "idempotency_key"], name="stock_transfer_unique_key"),
            models.CheckConstraint(
                condition=~models.Q(from_outlet=models.F("to_outlet")), name="stock_transfer_between_two_outlets"
            ),
            models.CheckConstraint(
                condition=models.Q(quantity_received__isnull=True)
                | models.Q(quantity_received__lte=models.F("quantity_sent")),
                name="stock_transfer_received_within_sent",
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Transfer')} {self.number}"

    @property
    def number(self) -> str:
        return f"T-{self.pk:06d}"

    @property
    def shortfall(self) -> int:
        """Sent but not received: broken or lost on the way."""
        if self.quantity_sent is None or self.quantity_received is None:
            return 0
        return self.quantity_sent - self.quantity_received
