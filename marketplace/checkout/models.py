import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Checkout(models.Model):
    """A cart on its way to becoming an order (Saleor's checkout), identified by its token."""

    token = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    last_change = models.DateTimeField(_("last change"), auto_now=True, db_index=True)
    channel = models.ForeignKey("channel.Channel", on_delete=models.PROTECT, related_name="checkouts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="checkouts"
    )
    email = models.EmailField(_("e-mail"), blank=True)
    language_code = models.CharField(_("language"), max_length=8, default="vi")
    currency = models.CharField(_("currency"), max_length=3, default="VND")
    shipping_address = models.ForeignKey(
        "accounts.Address", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    billing_address = models.ForeignKey(
        "accounts.Address", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    shipping_method = models.ForeignKey(
        "shipping.ShippingMethod", null=True, blank=True, on_delete=models.SET_NULL, related_name="checkouts"
    )
    collection_point = models.ForeignKey(
        "outlets.Outlet", null=True, blank=True, on_delete=models.SET_NULL, related_name="checkouts"
    )
    note = models.TextField(_("note"), blank=True)
    # Saleor's `saveAddress`: copy the address into the buyer's address book when the order is placed.
    save_shipping_address = models.BooleanField(_("save the shipping address to the address book"), default=False)
    save_billing_address = models.BooleanField(_("save the billing address to the address book"), default=False)
    # The storefront's public metadata (Saleor's `metadata`): string keys and values set by the client.
    metadata = models.JSONField(_("metadata"), default=dict, blank=True)
    voucher_code = models.CharField(
        _("voucher code"), max_length=64, blank=True, help_text=_("The code the buyer applied, as the voucher has it.")
    )

    class Meta:
        ordering = ["-last_change"]
        verbose_name = _("checkout")
        verbose_name_plural = _("checkouts")

    def __str__(self) -> str:
        return str(self.token)


class CheckoutLine(models.Model):
    """A variant and quantity in a checkout, with the unit price the buyer was shown when they chose it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    checkout = models.ForeignKey(Checkout, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey("catalogue.ProductVariant", on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField(_("quantity"))
    price_seen_amount = models.PositiveBigIntegerField(
        _("unit price when chosen (đồng)"),
        help_text=_("Completing refuses when today's price differs, until the buyer updates the line."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["checkout", "variant"], name="checkoutline_one_line_per_variant"),
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="checkoutline_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.variant_id} × {self.quantity}"
