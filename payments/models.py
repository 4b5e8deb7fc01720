"""Payments as Saleor's transactions: one `TransactionItem` per payment attempt, with its events.

A transaction belongs to a checkout while the buyer pays, then to the order the checkout became.
Amounts are whole đồng. The gateway says what moved (`authorized`, `charged`, `refunded`); the
order's payment status is computed from its transactions.
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class Gateway(models.TextChoices):
    """The gateways' ids, as the storefront API shows them and transactions store them.

    A client written for Saleor knows a gateway by its app's id: Stripe is Saleor's Stripe app
    (`saleor.app.payment.stripe`), the test gateway is Saleor's Dummy Payment app. Cash is ours alone.
    """

    STRIPE = "saleor.app.payment.stripe", _("Card (Stripe)")
    CASH = "ocop.payments.cash", _("Cash at pickup or on delivery")
    DUMMY = "saleor.io.dummy-payment-app", _("Test payment (no money moves)")

    @classmethod
    def moving_money(cls) -> tuple["Gateway", ...]:
        """The gateways that take the money when the buyer pays (cash is taken later, at the counter)."""
        return (cls.STRIPE, cls.DUMMY)


class TransactionItem(models.Model):
    token = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)
    gateway = models.CharField(_("gateway"), max_length=64, choices=Gateway.choices)
    checkout = models.ForeignKey(
        "checkout.Checkout", null=True, blank=True, on_delete=models.SET_NULL, related_name="transactions"
    )
    order = models.ForeignKey(
        "orders.Order", null=True, blank=True, on_delete=models.PROTECT, related_name="transactions"
    )
    psp_reference = models.CharField(_("PSP reference"), max_length=255, blank=True, db_index=True)
    currency = models.CharField(max_length=3, default="VND")
    amount_requested = models.PositiveBigIntegerField(_("requested (đồng)"))
    authorized_amount = models.PositiveBigIntegerField(_("authorized (đồng)"), default=0)
    charged_amount = models.PositiveBigIntegerField(_("charged (đồng)"), default=0)
    refunded_amount = models.PositiveBigIntegerField(_("refunded (đồng)"), default=0)
    canceled_amount = models.PositiveBigIntegerField(_("canceled (đồng)"), default=0)
    status = models.CharField(_("PSP status"), max_length=64, blank=True)
    message = models.CharField(_("message"), max_length=512, blank=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=255, blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("transaction")
        verbose_name_plural = _("transactions")
        constraints = [
            models.UniqueConstraint(
                fields=["checkout", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="transaction_unique_idempotency_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_gateway_display()} {self.psp_reference or self.token}"


class TransactionEventType(models.TextChoices):
    """Saleor's `TransactionEventTypeEnum` (the ones this shop records)."""

    AUTHORIZATION_SUCCESS = "authorization_success"
    AUTHORIZATION_FAILURE = "authorization_failure"
    AUTHORIZATION_ACTION_REQUIRED = "authorization_action_required"
    CHARGE_ACTION_REQUIRED = "charge_action_required"
    CHARGE_REQUEST = "charge_request"
    CHARGE_SUCCESS = "charge_success"
    CHARGE_FAILURE = "charge_failure"
    REFUND_REQUEST = "refund_request"
    REFUND_SUCCESS = "refund_success"
    REFUND_FAILURE = "refund_failure"
    CANCEL_SUCCESS = "cancel_success"
    INFO = "info"


class TransactionEvent(models.Model):
    transaction = models.ForeignKey(TransactionItem, on_delete=models.CASCADE, related_name="events")
    created_at = models.DateTimeField(auto_now_add=True)
    type = models.CharField(max_length=64, choices=TransactionEventType.choices)
    amount = models.PositiveBigIntegerField(default=0)
    psp_reference = models.CharField(max_length=255, blank=True)
    message = models.CharField(max_length=512, blank=True)
    idempotency_key = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.type} {self.amount}"


class StripeWebhookEvent(models.Model):
    """Each Stripe event applied once: a redelivered event id changes nothing."""

    event_id = models.CharField(max_length=255, primary_key=True)
    type = models.CharField(max_length=128)
    received_at = models.DateTimeField(auto_now_add=True)
    payload = models.JSONField()

    def __str__(self) -> str:
        return f"{self.type} {self.event_id}"
