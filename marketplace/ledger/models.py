"""The payout ledger: what the platform owes each producer, kept by double entry in whole đồng.

An `Account` is a kind and, for a producer's payable, the producer. A `JournalEntry` is one business event (a
fulfilment's sale, a refund's reversal, a gateway's fee, a payout), posted once under its unique `key`; its
`Posting` lines move amounts between accounts and add up to zero. A posting's `amount` is signed: a debit is
positive, a credit negative. A producer's payable is credited by sales, so the platform owes the producer minus
the sum of that account's postings (`marketplace.ledger.selectors.producer_balances`).

Nothing is updated or deleted: database triggers refuse it (migration 0002), and a correction is a new entry.
How the accounts move is told in docs/payouts.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccountKind(models.TextChoices):
    PRODUCER_PAYABLE = "producer_payable", _("Owed to the producer")
    PLATFORM_COMMISSION = "platform_commission", _("Platform commission")
    PLATFORM_DISCOUNTS = "platform_discounts", _("Vouchers paid by the platform")
    GATEWAY_FEES = "gateway_fees", _("Payment gateway fees")
    COLLECTIONS = "collections", _("Collected from buyers")
    PAYOUT_BANK = "payout_bank", _("Paid out from the bank")


class Account(models.Model):
    """One account of the ledger: the platform's accounts once each, a payable for each producer."""

    kind = models.CharField(_("kind"), max_length=32, choices=AccountKind.choices)
    producer = models.ForeignKey(
        "producers.Producer", null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_accounts"
    )

    class Meta:
        ordering = ["kind", "producer_id"]
        verbose_name = _("ledger account")
        verbose_name_plural = _("ledger accounts")
        constraints = [
            models.UniqueConstraint(
                fields=["kind"], condition=models.Q(producer__isnull=True), name="ledger_account_platform_once"
            ),
            models.UniqueConstraint(
                fields=["kind", "producer"],
                condition=models.Q(producer__isnull=False),
                name="ledger_account_producer_once",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="producer_payable", producer__isnull=False)
                | (~models.Q(kind="producer_payable") & models.Q(producer__isnull=True)),
                name="ledger_account_producer_iff_payable",
            ),
        ]

    def __str__(self) -> str:
        label = str(self.get_kind_display())
        return f"{label}: {self.producer}" if self.producer_id else label


class EntryKind(models.TextChoices):
    SALE = "sale", _("Sale")
    REFUND = "refund", _("Refund")
    FEE = "fee", _("Gateway fee")
    PAYOUT = "payout", _("Payout")
    CORRECTION = "correction", _("Correction")


class PostingItem(models.TextChoices):
    """What a posting line stands for, so a statement can show sales, discounts and commission apart."""

    GOODS = "goods", _("Goods")
    DISCOUNT = "discount", _("Voucher discount")
    COMMISSION = "commission", _("Commission")
    COLLECTION = "collection", _("Collected")
    FEE = "fee", _("Fee")
    PAYOUT = "payout", _("Payout")
    ADJUSTMENT = "adjustment", _("Adjustment")


class JournalEntry(models.Model):
    """One business event, posted once (`key`), with the lines that move its money; never changed afterwards."""

    key = models.CharField(_("key"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=EntryKind.choices, db_index=True)
    posted_at = models.DateTimeField(_("posted"), default=timezone.now, db_index=True)
    producer = models.ForeignKey(
        "producers.Producer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="journal_entries",
        help_text=_("The producer the entry concerns, if one."),
    )
    order = models.ForeignKey(
        "orders.Order", null=True, blank=True, on_delete=models.PROTECT, related_name="journal_entries"
    )
    fulfillment = models.ForeignKey(
        "orders.Fulfillment", null=True, blank=True, on_delete=models.PROTECT, related_name="journal_entries"
    )
    counter_sale = models.ForeignKey(
        "counter.CounterSale", null=True, blank=True, on_delete=models.PROTECT, related_name="journal_entries"
    )
    payout_run = models.ForeignKey(
        "ledger.PayoutRun", null=True, blank=True, on_delete=models.PROTECT, related_name="journal_entries"
    )
    gateway = models.CharField(_("gateway"), max_length=32, blank=True)
    memo = models.CharField(_("memo"), max_length=500, blank=True)

    class Meta:
        ordering = ["posted_at", "id"]
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        indexes = [models.Index(fields=["producer", "posted_at"], name="ledger_entry_producer_idx")]

    def __str__(self) -> str:
        return self.key


class Posting(models.Model):
    """A line of an entry: a signed amount on one account (debit positive, credit negative)."""

    entry = models.ForeignKey(JournalEntry, on_delete=models.PROTECT, related_name="postings")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="postings")
    amount = models.BigIntegerField(_("amount (đồng; debit +, credit −)"))
    item = models.CharField(_("stands for"), max_length=16, choices=PostingItem.choices)

    class Meta:
        ordering = ["entry_id", "id"]
        verbose_name = _("posting")
        verbose_name_plural = _("postings")
        constraints = [models.CheckConstraint(condition=~models.Q(amount=0), name="ledger_posting_not_zero")]

    def __str__(self) -> str:
        return f"{self.account}: {self.amount}"


class PayoutDetails(models.Model):
    """Where a producer is paid: its bank (Napas BIN and name), account number and holder as the bank spells it."""

    producer = models.OneToOneField("producers.Producer", on_delete=models.CASCADE, related_name="payout_details")
    bank_bin = models.CharField(_("bank BIN"), max_length=6, help_text=_("The bank's 6-digit Napas code."))
    bank_name = models.CharField(_("bank"), max_length=200)
    account_number = models.CharField(_("account number"), max_length=19)
    account_holder = models.CharField(
        _("account holder"), max_length=100, help_text=_("As the bank has it: capital letters without accents.")
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("payout details")
        verbose_name_plural = _("payout details")

    def __str__(self) -> str:
        return f"{self.producer}: {self.bank_name} {self.account_number}"


class PayoutRunStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    EXPORTED = "exported", _("Bank file exported")
    PAID = "paid", _("Paid")
    CANCELED = "canceled", _("Canceled")


OPEN_RUN_STATUSES = (PayoutRunStatus.DRAFT, PayoutRunStatus.EXPORTED)


class PayoutRun(models.Model):
    """A batch of bank transfers to producers: drafted, exported as the bank's file, then marked paid."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=PayoutRunStatus.choices, default=PayoutRunStatus.DRAFT
    )
    exported_at = models.DateTimeField(_("exported"), null=True, blank=True)
    bank_reference = models.CharField(_("bank reference"), max_length=100, blank=True)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    canceled_at = models.DateTimeField(_("canceled"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("payout run")
        verbose_name_plural = _("payout runs")

    def __str__(self) -> str:
        return f"#{self.pk} ({self.get_status_display()})"

    @property
    def total_amount(self) -> int:
        return sum(line.amount for line in self.lines.all())


class PayoutLine(models.Model):
    """One producer's transfer in a run: the balance owed when the run was made, and the bank details then."""

    run = models.ForeignKey(PayoutRun, on_delete=models.CASCADE, related_name="lines")
    producer = models.ForeignKey("producers.Producer", on_delete=models.PROTECT, related_name="payout_lines")
    amount = models.PositiveBigIntegerField(_("amount (đồng)"))
    bank_bin = models.CharField(_("bank BIN"), max_length=6)
    bank_name = models.CharField(_("bank"), max_length=200)
    account_number = models.CharField(_("account number"), max_length=19)
    account_holder = models.CharField(_("account holder"), max_length=100)
    is_open = models.BooleanField(
        _("open"), default=True, help_text=_("True while the run is neither paid nor canceled.")
    )

    class Meta:
        ordering = ["run", "id"]
        verbose_name = _("payout line")
        verbose_name_plural = _("payout lines")
        constraints = [
            models.UniqueConstraint(fields=["run", "producer"], name="payout_line_once_per_run"),
            models.UniqueConstraint(
                fields=["producer"], condition=models.Q(is_open=True), name="payout_line_one_open_run"
            ),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payout_line_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.producer}: {self.amount}"
