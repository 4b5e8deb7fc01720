"""Walk-in sales at a showroom's counter: what was sold, from which outlet's stock, and how it was paid.

A sale takes its goods from the outlet's own stock at once (they leave with the buyer), under the same row locks as
online checkout, so a walk-in sale and an online order never both get the last unit. Names, prices and the
certificate are copied, as on an order line, so a receipt never changes afterwards.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from marketplace.core.dates import day_text


class CounterPaymentMethod(models.TextChoices):
    CASH = "cash", _("Cash")
    CARD_TERMINAL = "card_terminal", _("Card on the outlet's own terminal")
    VIETQR = "vietqr", _("Bank transfer by VietQR")


class CounterSaleStatus(models.TextChoices):
    PAID = "paid", _("Paid")
    AWAITING_TRANSFER = "awaiting_transfer", _("Awaiting the transfer")
    CANCELED = "canceled", _("Cancelled")


# A VietQR sale's transfer carries "OCOPQ" and the sale's id: never read as an order's reference ("OCOP" and digits).
TRANSFER_PREFIX = "OCOPQ"


class CounterSale(models.Model):
    """A walk-in sale. Cash and card sales are paid when made; a VietQR sale holds its goods while the buyer
    transfers and is paid when the bank's credit names it, or cancelled (the goods back on the shelf)."""

    outlet = models.ForeignKey("outlets.Outlet", on_delete=models.PROTECT, related_name="counter_sales")
    number = models.PositiveIntegerField(_("receipt number"), help_text=_("Consecutive at each outlet, from 1."))
    created_at = models.DateTimeField(_("sold at"), auto_now_add=True, db_index=True)
    sold_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    idempotency_key = models.CharField(
        _("idempotency key"), max_length=64, help_text=_("From the counter's form: the same sale sent twice is one.")
    )
    payment_method = models.CharField(_("paid by"), max_length=16, choices=CounterPaymentMethod.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=CounterSaleStatus.choices, default=CounterSaleStatus.PAID, db_index=True
    )
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    transfer_received = models.PositiveBigIntegerField(_("transferred (đồng)"), default=0)
    total_amount = models.PositiveBigIntegerField(_("total (đồng)"))
    cash_received = models.PositiveBigIntegerField(_("cash received (đồng)"), null=True, blank=True)
    change_given = models.PositiveBigIntegerField(_("change (đồng)"), default=0)
    card_slip_reference = models.CharField(_("card slip reference"), max_length=64, blank=True)
    commission_percent = models.DecimalField(_("platform commission (%)"), max_digits=5, decimal_places=2)
    language_code = models.CharField(_("receipt language"), max_length=8, default="vi")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("counter sale")
        verbose_name_plural = _("counter sales")
        constraints = [
            models.UniqueConstraint(fields=["outlet", "idempotency_key"], name="counter_sale_unique_key"),
            models.UniqueConstraint(fields=["outlet", "number"], name="counter_sale_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{_('Receipt')} {self.receipt_number}"

    @property
    def receipt_number(self) -> str:
        """The receipt's number as printed: the outlet's id and the sale's consecutive number there, "12-000345"."""
        return f"{self.outlet_id}-{self.number:06d}"

    @property
    def transfer_reference(self) -> str:
        """What a VietQR sale's transfer carries: "OCOPQ345"."""
        return f"{TRANSFER_PREFIX}{self.pk}"

    @property
    def is_paid(self) -> bool:
        return self.status == CounterSaleStatus.PAID


class CounterSaleLine(models.Model):
    sale = models.ForeignKey(CounterSale, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey(
        "catalogue.ProductVariant", null=True, on_delete=models.SET_NULL, related_name="counter_sale_lines"
    )
    stock = models.ForeignKey("inventory.Stock", null=True, on_delete=models.SET_NULL, related_name="counter_sales")
    producer = models.ForeignKey("producers.Producer", on_delete=models.PROTECT, related_name="counter_sale_lines")
    product_name = models.CharField(_("product"), max_length=500)
    product_name_en = models.CharField(_("product (English)"), max_length=500, blank=True)
    variant_name = models.CharField(_("variant"), max_length=255, blank=True)
    product_sku = models.CharField(_("SKU"), max_length=64)
    certificate_id = models.CharField(_("certificate"), max_length=64, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_price_amount = models.PositiveBigIntegerField(_("unit price (đồng)"))
    total_price_amount = models.PositiveBigIntegerField(_("total (đồng)"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("counter sale line")
        verbose_name_plural = _("counter sale lines")

    def __str__(self) -> str:
        return f"{self.product_name} × {self.quantity}"


class CounterRefundMethod(models.TextChoices):
    CASH = "cash", _("Cash from the till")
    CARD_TERMINAL = "card_terminal", _("Back to the card, on the outlet's terminal")


class CounterReturn(models.Model):
    """Goods brought back against a receipt: the stock returns to the shelf and the money to the buyer."""

    sale = models.ForeignKey(CounterSale, on_delete=models.PROTECT, related_name="returns")
    created_at = models.DateTimeField(_("returned at"), auto_now_add=True, db_index=True)
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    idempotency_key = models.CharField(_("idempotency key"), max_length=64)
    refund_method = models.CharField(_("refunded by"), max_length=16, choices=CounterRefundMethod.choices)
    refund_amount = models.PositiveBigIntegerField(_("refunded (đồng)"))
    card_slip_reference = models.CharField(_("card slip reference"), max_length=64, blank=True)
    reason = models.CharField(_("reason"), max_length=255, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("counter return")
        verbose_name_plural = _("counter returns")
        constraints = [
            models.UniqueConstraint(fields=["sale", "idempotency_key"], name="counter_return_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.sale} − {self.refund_amount}"


class CounterReturnLine(models.Model):
    counter_return = models.ForeignKey(CounterReturn, on_delete=models.CASCADE, related_name="lines")
    sale_line = models.ForeignKey(CounterSaleLine, on_delete=models.PROTECT, related_name="returned")
    quantity = models.PositiveIntegerField(_("quantity"))
    amount = models.PositiveBigIntegerField(_("amount (đồng)"))

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.sale_line} − {self.quantity}"


class DayClose(models.Model):
    """An outlet's close of the day: the day's figures as they stood, the cash counted in the till, and who closed
    it. Closing again the same day replaces nothing: the first close stands (a recount is a note on it)."""

    outlet = models.ForeignKey("outlets.Outlet", on_delete=models.PROTECT, related_name="day_closes")
    day = models.DateField(_("day"))
    closed_at = models.DateTimeField(_("closed at"), auto_now_add=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    cash_expected = models.BigIntegerField(_("cash expected (đồng)"))
    cash_counted = models.PositiveBigIntegerField(_("cash counted (đồng)"))
    figures = models.JSONField(_("the day's figures"), default=dict)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["-day", "outlet"]
        verbose_name = _("close of day")
        verbose_name_plural = _("closes of day")
        constraints = [models.UniqueConstraint(fields=["outlet", "day"], name="day_close_one_per_outlet_day")]

    def __str__(self) -> str:
        return f"{self.outlet} {day_text(self.day)}"

    @property
    def difference(self) -> int:
        """Cash counted minus expected: negative when the till is short."""
        return self.cash_counted - self.cash_expected
