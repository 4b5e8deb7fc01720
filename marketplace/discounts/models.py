"""Vouchers after Saleor's model: a discount with its terms, the codes that apply it, who used it, and the copy
an order keeps of the discount it got.

A voucher takes a percentage or a fixed number of đồng off the lines it applies to: every line of the checkout,
or only the products, collections, categories or producers it is limited to (any of them). It belongs to one
channel and is valid between its start and end; it may ask for a minimum subtotal, be used a limited number of
times, or once per customer (by e-mail). Who bears the discount, the platform or the producer, decides each
producer's payout (`orders.Fulfillment.discount_amount`).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DiscountValueType(models.TextChoices):
    """Saleor's `DiscountValueTypeEnum`."""

    FIXED = "fixed", _("Fixed amount (đồng)")
    PERCENTAGE = "percentage", _("Percentage")


class DiscountPayer(models.TextChoices):
    PLATFORM = "platform", _("The platform")
    PRODUCER = "producer", _("The producer of each discounted line")


class Voucher(models.Model):
    """A discount and its terms; buyers apply it by one of its codes (`VoucherCode`)."""

    name = models.CharField(_("name"), max_length=255, help_text=_("Shown to buyers next to the discount."))
    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    channel = models.ForeignKey(
        "channel.Channel", on_delete=models.PROTECT, related_name="vouchers", verbose_name=_("channel")
    )
    discount_value_type = models.CharField(
        _("discount type"), max_length=16, choices=DiscountValueType.choices, default=DiscountValueType.PERCENTAGE
    )
    discount_value = models.PositiveBigIntegerField(
        _("discount value"), help_text=_("Whole đồng for a fixed amount; 1 to 100 for a percentage.")
    )
    min_spent_amount = models.PositiveBigIntegerField(
        _("minimum subtotal (đồng)"), default=0, help_text=_("The checkout's subtotal must reach it; 0 for none.")
    )
    usage_limit = models.PositiveIntegerField(
        _("usage limit"), null=True, blank=True, help_text=_("How many orders may use it in all; empty for no limit.")
    )
    used = models.PositiveIntegerField(_("used"), default=0, editable=False)
    apply_once_per_customer = models.BooleanField(_("once per customer"), default=False)
    start_date = models.DateTimeField(_("valid from"), default=timezone.now)
    end_date = models.DateTimeField(_("valid until"), null=True, blank=True)
    event = models.ForeignKey(
        "events.Event",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="vouchers",
        verbose_name=_("event only"),
        help_text=_("Valid only on the event's days (Vietnam time), within the dates above."),
    )
    paid_by = models.CharField(
        _("discount paid by"),
        max_length=16,
        choices=DiscountPayer.choices,
        default=DiscountPayer.PLATFORM,
        help_text=_("A producer-paid discount is taken from each producer's payout, by their lines' share."),
    )
    products = models.ManyToManyField(
        "catalogue.Product", blank=True, related_name="+", verbose_name=_("limited to products")
    )
    collections = models.ManyToManyField(
        "catalogue.Collection", blank=True, related_name="+", verbose_name=_("limited to collections")
    )
    categories = models.ManyToManyField(
        "catalogue.Category",
        blank=True,
        related_name="+",
        verbose_name=_("limited to categories"),
        help_text=_("A category includes its subcategories."),
    )
    producers = models.ManyToManyField(
        "producers.Producer", blank=True, related_name="+", verbose_name=_("limited to producers")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "pk"]
        verbose_name = _("voucher")
        verbose_name_plural = _("vouchers")
        constraints = [
            models.CheckConstraint(condition=models.Q(discount_value__gt=0), name="voucher_value_positive"),
            models.CheckConstraint(
                condition=~models.Q(discount_value_type="percentage") | models.Q(discount_value__lte=100),
                name="voucher_percentage_at_most_100",
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gt=models.F("start_date")),
                name="voucher_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if self.discount_value_type == DiscountValueType.PERCENTAGE and not 1 <= (self.discount_value or 0) <= 100:
            errors["discount_value"] = _("A percentage is between 1 and 100.")
        if self.end_date is not None and self.start_date is not None and self.end_date <= self.start_date:
            errors["end_date"] = _("The voucher must end after it starts.")
        if errors:
            raise ValidationError(errors)

    def name_in(self, language_code: str) -> str:
        """The name in this language: English when asked and given, else Vietnamese."""
        return self.name_en if language_code.lower().startswith("en") and self.name_en else self.name


class VoucherCode(models.Model):
    """A code that applies a voucher; codes are unique whatever their letters' case."""

    voucher = models.ForeignKey(Voucher, on_delete=models.CASCADE, related_name="codes", verbose_name=_("voucher"))
    code = models.CharField(_("code"), max_length=64, help_text=_("Letters and digits buyers type; case is ignored."))
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("voucher code")
        verbose_name_plural = _("voucher codes")
        constraints = [models.UniqueConstraint(Upper("code"), name="vouchercode_code_unique_any_case")]

    def __str__(self) -> str:
        return self.code

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.code = self.code.strip()
        super().save(*args, **kwargs)


class VoucherCustomer(models.Model):
    """A customer (by e-mail, lower case) who used a once-per-customer voucher."""

    voucher = models.ForeignKey(Voucher, on_delete=models.CASCADE, related_name="customers")
    voucher_code = models.ForeignKey(VoucherCode, null=True, on_delete=models.SET_NULL, related_name="+")
    customer_email = models.EmailField(_("e-mail"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("voucher customer")
        verbose_name_plural = _("voucher customers")
        constraints = [
            models.UniqueConstraint(fields=["voucher", "customer_email"], name="vouchercustomer_once_per_email")
        ]

    def __str__(self) -> str:
        return self.customer_email


class OrderDiscountType(models.TextChoices):
    """Saleor's `OrderDiscountType` (only vouchers here)."""

    VOUCHER = "voucher", _("Voucher")


class OrderDiscount(models.Model):
    """A discount as an order got it: copied from the voucher when the order was placed, never changed after."""

    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="discounts")
    type = models.CharField(
        _("type"), max_length=16, choices=OrderDiscountType.choices, default=OrderDiscountType.VOUCHER
    )
    value_type = models.CharField(_("discount type"), max_length=16, choices=DiscountValueType.choices)
    value = models.PositiveBigIntegerField(_("discount value"))
    amount = models.PositiveBigIntegerField(_("amount (đồng)"))
    name = models.CharField(_("name"), max_length=255, blank=True)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    voucher = models.ForeignKey(Voucher, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    voucher_code = models.CharField(_("code"), max_length=64, blank=True)
    paid_by = models.CharField(_("discount paid by"), max_length=16, choices=DiscountPayer.choices)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("order discount")
        verbose_name_plural = _("order discounts")

    def __str__(self) -> str:
        return f"{self.name} ({self.amount} đồng)"

    def name_in(self, language_code: str) -> str:
        return self.name_en if language_code.lower().startswith("en") and self.name_en else self.name
