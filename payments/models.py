"""Payments as Saleor's transactions: one `TransactionItem` per payment attempt, with its events.

A transaction belongs to a checkout while the buyer pays, then to the order the checkout became.
Amounts are whole đồng. The gateway says what moved (`authorized`, `charged`, `refunded`); the
order's payment status is computed from its transactions.
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from marketplace.core.dates import moment_text


class Gateway(models.TextChoices):
    """The gateways' ids, as the storefront API shows them and transactions store them.

    A client written for Saleor knows a gateway by its app's id: Stripe is Saleor's Stripe app
    (`saleor.app.payment.stripe`), the test gateway is Saleor's Dummy Payment app. Cash and VietQR bank transfers
    are ours alone.
    """

    STRIPE = "saleor.app.payment.stripe", _("Card (Stripe)")
    CASH = "ocop.payments.cash", _("Cash at pickup or on delivery")
    VIETQR = "ocop.payments.vietqr", _("Bank transfer (VietQR)")
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
            ),
            # A transfer's reference ("OCOP" + the order's number) is what the bank's credit is matched by.
            models.UniqueConstraint(
                fields=["psp_reference"],
                condition=models.Q(gateway="ocop.payments.vietqr"),
                name="transaction_unique_transfer_reference",
            ),
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


# --- bank transfers: the credits the bank reports, and what is owed back ---


class CreditSource(models.TextChoices):
    NOTIFICATION = "notification", _("Bank notification")
    STATEMENT = "statement", _("Statement file")


class CreditStatus(models.TextChoices):
    """What became of a credit. Matched: paid the order it names, to the đồng. Short and over: it named an order
    but not its amount (the money is recorded on the order; an operator settles the difference). Unmatched: no
    reference we know (the suspense list, assigned by hand). Assigned: an operator gave it to an order. Dismissed:
    an operator says it is no buyer's payment (with a note)."""

    MATCHED = "matched", _("Matched")
    SHORT = "short", _("Less than due")
    OVER = "over", _("More than due")
    UNMATCHED = "unmatched", _("No reference (suspense)")
    ASSIGNED = "assigned", _("Assigned by an operator")
    DISMISSED = "dismissed", _("Dismissed")


class StatementImport(models.Model):
    """A bank statement file an operator uploaded, and what it brought."""

    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    uploaded_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    file_name = models.CharField(_("file"), max_length=255)
    rows = models.PositiveIntegerField(_("rows read"), default=0)
    credits_new = models.PositiveIntegerField(_("new credits"), default=0)
    credits_known = models.PositiveIntegerField(_("credits received before"), default=0)
    debits_skipped = models.PositiveIntegerField(_("debits and empty rows skipped"), default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("bank statement import")
        verbose_name_plural = _("bank statement imports")

    def __str__(self) -> str:
        return f"{self.file_name} ({moment_text(self.created_at)})"


class BankCredit(models.Model):
    """Money credited to the collection account, once per bank transaction (`bank_reference`), however often the
    bank's notification or a statement reports it."""

    bank_reference = models.CharField(_("bank transaction"), max_length=128, unique=True)
    account_number = models.CharField(_("account"), max_length=32, blank=True)
    amount = models.PositiveBigIntegerField(_("amount (đồng)"))
    description = models.CharField(_("description"), max_length=512, blank=True)
    transacted_at = models.DateTimeField(_("credited at"))
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    source = models.CharField(_("source"), max_length=16, choices=CreditSource.choices)
    statement = models.ForeignKey(
        StatementImport, null=True, blank=True, on_delete=models.SET_NULL, related_name="credits"
    )
    status = models.CharField(_("status"), max_length=16, choices=CreditStatus.choices, db_index=True)
    transaction = models.ForeignKey(
        TransactionItem, null=True, blank=True, on_delete=models.PROTECT, related_name="bank_credits"
    )
    counter_sale = models.ForeignKey(
        "counter.CounterSale", null=True, blank=True, on_delete=models.PROTECT, related_name="bank_credits"
    )
    difference = models.BigIntegerField(
        _("difference (đồng)"), default=0, help_text=_("Received minus due: negative when short, positive when over.")
    )
    resolved_at = models.DateTimeField(_("settled at"), null=True, blank=True)
    resolved_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(_("note"), max_length=512, blank=True)

    class Meta:
        ordering = ["-transacted_at", "-id"]
        verbose_name = _("bank credit")
        verbose_name_plural = _("bank credits")

    def __str__(self) -> str:
        return f"{self.bank_reference} {self.amount}"

    @property
    def needs_operator(self) -> bool:
        return self.resolved_at is None and self.status in (
            CreditStatus.SHORT,
            CreditStatus.OVER,
            CreditStatus.UNMATCHED,
        )


class RefundStatus(models.TextChoices):
    OWED = "owed", _("Owed")
    PAID = "paid", _("Paid")


class TransferRefund(models.Model):
    """Money received by transfer that goes back to the buyer (a cancelled order, an overpayment): owed until an
    operator transfers it to the account the buyer gave, and marks it paid with the bank's reference."""

    transaction = models.ForeignKey(TransactionItem, on_delete=models.PROTECT, related_name="transfer_refunds")
    created_at = models.DateTimeField(_("owed since"), auto_now_add=True)
    amount = models.PositiveBigIntegerField(_("amount (đồng)"))
    reason = models.CharField(_("reason"), max_length=255)
    key = models.CharField(max_length=255, unique=True, help_text=_("The same refund is owed once."))
    status = models.CharField(_("status"), max_length=8, choices=RefundStatus.choices, default=RefundStatus.OWED)
    account_holder = models.CharField(_("account holder"), max_length=255, blank=True)
    bank_name = models.CharField(_("bank"), max_length=255, blank=True)
    account_number = models.CharField(_("account number"), max_length=32, blank=True)
    account_given_at = models.DateTimeField(_("account given"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    paid_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    bank_reference = models.CharField(_("bank reference of the refund"), max_length=128, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("transfer refund")
        verbose_name_plural = _("transfer refunds")

    def __str__(self) -> str:
        return f"{self.amount} ({self.get_status_display()})"
