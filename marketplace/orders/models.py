"""Orders, their lines, the fulfilments by producer and outlet, and what happened to them.

An order's stage is `Order.status`; what the storefront API calls `status` and `stage` is explained
once, on `Order`.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from marketplace.discounts.models import DiscountPayer


class OrderStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("Unconfirmed")
    UNFULFILLED = "unfulfilled", _("Unfulfilled")
    READY_FOR_PICKUP = "ready_for_pickup", _("Ready for pickup")
    SHIPPED = "shipped", _("Shipped")
    PICKED_UP = "picked_up", _("Picked up")
    DELIVERED = "delivered", _("Delivered")
    CANCELED = "canceled", _("Canceled")


class PaymentMethod(models.TextChoices):
    CARD = "card", _("Card (Stripe)")
    CASH = "cash", _("Cash at pickup or on delivery")
    TRANSFER = "transfer", _("Bank transfer (VietQR)")


class ChargeStatus(models.TextChoices):
    """Saleor's `OrderChargeStatusEnum`."""

    NONE = "none", _("Not charged")
    PARTIAL = "partial", _("Partially charged")
    FULL = "full", _("Fully charged")
    OVERCHARGED = "overcharged", _("Overcharged")


class Order(models.Model):
    """A placed order: what was bought, from whom, how it is paid, and where it stands.

    `status` (`OrderStatus`) is the domain's stage of the order, the one every service reads and writes:

        unconfirmed (a card payment not yet confirmed) → unfulfilled (confirmed: cash promised or card charged)
          → ready_for_pickup (collection; staff made it ready) → picked_up
          → shipped (home delivery) → delivered
        or canceled while unconfirmed, unfulfilled or ready for pickup (`services.CANCELABLE`; also when not
        collected in time).

    The storefront API shows it twice, under Saleor's names:
    - `stage` (`OrderStageEnum`) is `status` itself, value for value; `statusDisplay` is its label.
    - `status` (Saleor's `OrderStatus`) is coarser and derived from it for Saleor's clients: unconfirmed →
      UNCONFIRMED; unfulfilled and ready_for_pickup → UNFULFILLED; shipped, picked_up and delivered →
      FULFILLED; canceled → CANCELED (never PARTIALLY_FULFILLED: an order is shipped only once every part is;
      never DRAFT, EXPIRED, RETURNED or PARTIALLY_RETURNED, which Saleor's enum has and ours carries: there are
      no draft orders, unconfirmed orders do not expire (an order not collected in time is canceled, its event
      saying EXPIRED), and goods are not taken back: a refund leaves the order's stage as it was).
    A fulfilment's `Fulfillment.status` (`FulfillmentStatus`) is shown the same way: `stage` as it is, and
    Saleor's `status`: shipped and fulfilled → FULFILLED, canceled → CANCELED, the rest WAITING_FOR_APPROVAL
    (never REFUNDED, RETURNED, REPLACED or REFUNDED_AND_RETURNED, which the enum carries for Saleor's clients).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    number = models.PositiveBigIntegerField(_("number"), unique=True, editable=False)
    created_at = models.DateTimeField(_("placed"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    status = models.CharField(_("status"), max_length=32, choices=OrderStatus.choices, db_index=True)
    channel = models.ForeignKey("channel.Channel", on_delete=models.PROTECT, related_name="orders")
    checkout_token = models.UUIDField(_("checkout"), unique=True, null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="orders"
    )
    user_email = models.EmailField(_("e-mail"))
    language_code = models.CharField(_("language"), max_length=8, default="vi")
    currency = models.CharField(_("currency"), max_length=3, default="VND")
    billing_address = models.ForeignKey(
        "accounts.Address", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    shipping_address = models.ForeignKey(
        "accounts.Address", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    shipping_method = models.ForeignKey(
        "shipping.ShippingMethod", null=True, blank=True, on_delete=models.SET_NULL, related_name="orders"
    )
    shipping_method_name = models.CharField(_("shipping method"), max_length=255, blank=True)
    collection_point = models.ForeignKey(
        "outlets.Outlet", null=True, blank=True, on_delete=models.PROTECT, related_name="pickup_orders"
    )
    collection_point_name = models.CharField(_("collection point"), max_length=255, blank=True)
    subtotal_amount = models.PositiveBigIntegerField(_("subtotal (đồng)"))
    shipping_amount = models.PositiveBigIntegerField(_("shipping (đồng)"), default=0)
    discount_amount = models.PositiveBigIntegerField(
        _("discount (đồng)"), default=0, help_text=_("Taken off the lines by the voucher (see the order's discounts).")
    )
    total_amount = models.PositiveBigIntegerField(_("total (đồng)"), help_text=_("Subtotal − discount + shipping."))
    voucher = models.ForeignKey(
        "discounts.Voucher", null=True, blank=True, on_delete=models.SET_NULL, related_name="orders"
    )
    voucher_code = models.CharField(_("voucher code"), max_length=64, blank=True)
    commission_percent = models.DecimalField(_("platform commission (%)"), max_digits=5, decimal_places=2)
    payment_method = models.CharField(_("payment"), max_length=16, choices=PaymentMethod.choices)
    charge_status = models.CharField(
        _("charge status"), max_length=16, choices=ChargeStatus.choices, default=ChargeStatus.NONE
    )
    total_authorized_amount = models.PositiveBigIntegerField(_("authorized (đồng)"), default=0)
    total_charged_amount = models.PositiveBigIntegerField(_("charged (đồng)"), default=0)
    total_refunded_amount = models.PositiveBigIntegerField(_("refunded (đồng)"), default=0)
    pickup_code = models.CharField(_("pickup code"), max_length=6, unique=True, null=True, blank=True)
    ready_estimate = models.DateField(_("expected ready / delivered by"), null=True, blank=True)
    ready_at = models.DateTimeField(_("ready for pickup at"), null=True, blank=True)
    collect_by = models.DateField(_("last day to collect"), null=True, blank=True, db_index=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    handed_over_at = models.DateTimeField(_("picked up / delivered at"), null=True, blank=True)
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    canceled_at = models.DateTimeField(_("canceled at"), null=True, blank=True)
    customer_note = models.TextField(_("note from the buyer"), blank=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        indexes = [models.Index(fields=["collection_point", "status"], name="order_outlet_status_idx")]

    def __str__(self) -> str:
        return f"#{self.number}"

    @property
    def is_pickup(self) -> bool:
        return self.collection_point_id is not None

    @property
    def amount_due(self) -> int:
        return max(self.total_amount - self.total_charged_amount + self.total_refunded_amount, 0)


class OrderLine(models.Model):
    """A product as it was sold: names, SKU and price are copied so the order never changes afterwards."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey(
        "catalogue.ProductVariant", null=True, blank=True, on_delete=models.SET_NULL, related_name="order_lines"
    )
    producer = models.ForeignKey("producers.Producer", on_delete=models.PROTECT, related_name="order_lines")
    product_name = models.CharField(_("product"), max_length=500)
    product_name_en = models.CharField(_("product (English)"), max_length=500, blank=True)
    variant_name = models.CharField(_("variant"), max_length=255, blank=True)
    product_sku = models.CharField(_("SKU"), max_length=64)
    certificate_id = models.CharField(_("certificate"), max_length=64, blank=True)
    certificate_stars = models.PositiveSmallIntegerField(_("stars when sold"), null=True, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"))
    quantity_fulfilled = models.PositiveIntegerField(_("quantity fulfilled"), default=0)
    unit_price_amount = models.PositiveBigIntegerField(_("unit price (đồng)"))
    total_price_amount = models.PositiveBigIntegerField(_("total (đồng)"))
    discount_amount = models.PositiveBigIntegerField(
        _("voucher discount (đồng)"), default=0, help_text=_("The line's share of the order's voucher discount.")
    )
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")

    def __str__(self) -> str:
        return f"{self.product_name} × {self.quantity}"


class FulfillmentStatus(models.TextChoices):
    PENDING = "pending", _("Being prepared")
    READY = "ready", _("Ready")
    SHIPPED = "shipped", _("Shipped")
    FULFILLED = "fulfilled", _("Handed over")
    CANCELED = "canceled", _("Canceled")


class Fulfillment(models.Model):
    """What one producer supplies to an order from one outlet's stock, with its share for payouts.

    `subtotal_amount` is the producer's lines; the platform keeps `commission_amount` of it and the
    producer is paid `payout_amount`. Shipping stays with the platform. `discount_amount` is the share of the
    order's voucher discount on these lines; when the producer bears it (`discount_paid_by`), it comes off the
    payout; when the platform does, the payout is what it would be without the voucher.
    """

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="fulfillments")
    fulfillment_order = models.PositiveIntegerField(_("number within the order"))
    producer = models.ForeignKey("producers.Producer", on_delete=models.PROTECT, related_name="fulfillments")
    outlet = models.ForeignKey(
        "outlets.Outlet",
        on_delete=models.PROTECT,
        related_name="fulfillments",
        help_text=_("Where the goods are taken from."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=FulfillmentStatus.choices, default=FulfillmentStatus.PENDING
    )
    subtotal_amount = models.PositiveBigIntegerField(_("producer's lines (đồng)"))
    commission_amount = models.PositiveBigIntegerField(_("platform commission (đồng)"))
    payout_amount = models.PositiveBigIntegerField(_("payout to the producer (đồng)"))
    discount_amount = models.PositiveBigIntegerField(_("voucher discount on these lines (đồng)"), default=0)
    discount_paid_by = models.CharField(
        _("discount paid by"),
        max_length=16,
        blank=True,
        choices=DiscountPayer.choices,
        help_text=_("Empty without a discount."),
    )
    tracking_number = models.CharField(_("tracking number"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["order", "fulfillment_order"]
        verbose_name = _("fulfilment")
        verbose_name_plural = _("fulfilments")
        constraints = [
            models.UniqueConstraint(fields=["order", "fulfillment_order"], name="fulfillment_unique_number"),
            models.UniqueConstraint(fields=["order", "producer", "outlet"], name="fulfillment_one_per_producer_outlet"),
        ]

    def __str__(self) -> str:
        return f"{self.order}-{self.fulfillment_order}"


class FulfillmentLine(models.Model):
    """A quantity of an order line promised from one stock row (Saleor's allocation and fulfilment line)."""

    fulfillment = models.ForeignKey(Fulfillment, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(OrderLine, on_delete=models.CASCADE, related_name="fulfillment_lines")
    stock = models.ForeignKey("inventory.Stock", null=True, on_delete=models.SET_NULL, related_name="allocations")
    quantity = models.PositiveIntegerField(_("quantity"))
    is_allocated = models.BooleanField(
        _("holds stock"),
        default=True,
        help_text=_("True while the quantity is counted in the stock's allocated quantity."),
    )

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.order_line_id} × {self.quantity}"


class OrderEventType(models.TextChoices):
    PLACED = "placed", _("Placed")
    CONFIRMED = "confirmed", _("Confirmed")
    PAYMENT_AUTHORIZED = "payment_authorized", _("Payment authorized")
    PAYMENT_CHARGED = "payment_charged", _("Payment charged")
    PAYMENT_FAILED = "payment_failed", _("Payment failed")
    PAYMENT_REFUNDED = "payment_refunded", _("Payment refunded")
    CASH_RECEIVED = "cash_received", _("Cash received")
    READY_FOR_PICKUP = "ready_for_pickup", _("Ready for pickup")
    SHIPPED = "shipped", _("Shipped")
    PICKED_UP = "picked_up", _("Picked up")
    DELIVERED = "delivered", _("Delivered")
    CANCELED = "canceled", _("Canceled")
    EXPIRED = "expired", _("Not collected in time")
    EMAIL_SENT = "email_sent", _("E-mail sent")
    PICKUP_REFUSED = "pickup_refused", _("Pickup code refused")
    NOTE = "note", _("Note")


class OrderEvent(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    date = models.DateTimeField(auto_now_add=True, db_index=True)
    type = models.CharField(max_length=32, choices=OrderEventType.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    parameters = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("order event")
        verbose_name_plural = _("order events")

    def __str__(self) -> str:
        return f"{self.get_type_display()} ({self.date:%Y-%m-%d %H:%M})"
