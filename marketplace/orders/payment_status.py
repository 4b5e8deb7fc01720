"""An order's payment status as one word (Saleor's `PaymentChargeStatusEnum`), from what the order records.

The order keeps its charge status and the amounts authorized, charged and refunded (`order_payment_update`);
Saleor's legacy payment status reads them as one value: refunds first, then what was charged, then why
nothing was: a card payment still awaited, an order canceled before paying, or cash not yet handed over.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from marketplace.orders.models import ChargeStatus, Order, OrderStatus, PaymentMethod


class PaymentStatus(models.TextChoices):
    """Saleor's `PaymentChargeStatusEnum` (REFUSED is never given: a refused card leaves the order unconfirmed,
    still awaiting payment)."""

    NOT_CHARGED = "not-charged", _("Not charged")
    PENDING = "pending", _("Pending")
    PARTIALLY_CHARGED = "partially-charged", _("Partially charged")
    FULLY_CHARGED = "fully-charged", _("Fully charged")
    PARTIALLY_REFUNDED = "partially-refunded", _("Partially refunded")
    FULLY_REFUNDED = "fully-refunded", _("Fully refunded")
    REFUSED = "refused", _("Refused")
    CANCELLED = "cancelled", _("Cancelled")


def order_payment_status(order: Order) -> PaymentStatus:
    if order.total_refunded_amount > 0:
        if order.total_refunded_amount >= order.total_charged_amount:
            return PaymentStatus.FULLY_REFUNDED
        return PaymentStatus.PARTIALLY_REFUNDED
    if order.charge_status in (ChargeStatus.FULL, ChargeStatus.OVERCHARGED):
        return PaymentStatus.FULLY_CHARGED
    if order.charge_status == ChargeStatus.PARTIAL:
        return PaymentStatus.PARTIALLY_CHARGED
    if order.status == OrderStatus.CANCELED:
        return PaymentStatus.CANCELLED
    if order.payment_method in (PaymentMethod.CARD, PaymentMethod.TRANSFER):
        return PaymentStatus.PENDING  # the card's confirmation, or the bank's credit, is awaited
    return PaymentStatus.NOT_CHARGED
