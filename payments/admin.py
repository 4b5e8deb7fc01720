from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from marketplace.accounts.permissions import RoleScopedAdminMixin, is_operator
from marketplace.core.errors import DomainError
from marketplace.core.money import format_vnd
from payments.error_codes import TransferErrorCode
from payments.models import BankCredit, RefundStatus, StatementImport, TransactionEvent, TransactionItem, TransferRefund
from payments.permissions import PAYMENT, TRANSFER
from payments.transfers import (
    StatementFile,
    credit_assign,
    credit_dismiss,
    credit_settle,
    statement_import,
    transfer_refund_account_give,
    transfer_refund_mark_paid,
)
from payments.vietqr import statement


class TransactionEventInline(RoleScopedAdminMixin, admin.TabularInline):
    resource = PAYMENT
    model = TransactionEvent
    extra = 0
    can_delete = False
    fields = ("created_at", "type", "amount", "psp_reference", "message", "created_by")
    readonly_fields = fields


@admin.register(TransactionItem)
class TransactionItemAdmin(RoleScopedAdminMixin, admin.ModelAdmin):
    """Payments as the gateways reported them (read-only)."""

    resource = PAYMENT
    list_display = (
        "created_at",
        "gateway",
        "psp_reference",
        "order",
        "amount_requested",
        "charged_amount",
        "refunded_amount",
        "status",
    )
    list_filter = ("gateway", "status")
    search_fields = ("psp_reference", "order__number")
    list_select_related = ("order",)
    inlines = [TransactionEventInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        return [field.name for field in TransactionItem._meta.fields]


# --- bank transfers: the operator's screens ---


def _money(amount: int) -> str:
    return format_vnd(amount, "vi")


def _refusal_on(form: forms.Form, error: DomainError) -> None:
    """Each refusal beside the field it names, or above the form."""
    for detail in error.details:
        form.add_error(detail.field if detail.field in form.fields else None, detail.message)


class CreditResolveForm(forms.Form):
    ASSIGN, DISMISS, SETTLE = "assign", "dismiss", "settle"
    action = forms.ChoiceField(
        label=_("What to do"),
        widget=forms.RadioSelect,
        choices=[
            (ASSIGN, _("Give it to an order paid by transfer")),
            (DISMISS, _("Dismiss: not a buyer's payment")),
            (SETTLE, _("Settle the difference (more than due: the excess is owed back to the buyer)")),
        ],
    )
    order_number = forms.IntegerField(label=_("Order number"), required=False, min_value=1)
    note = forms.CharField(label=_("Note"), required=False, max_length=512, widget=forms.Textarea(attrs={"rows": 2}))


class StatementUploadForm(forms.Form):
    file = forms.FileField(label=_("Statement file (CSV or XLSX)"))
    reference_column = forms.CharField(label=_("Heading of the bank reference column"), required=False)
    date_column = forms.CharField(label=_("Heading of the date column"), required=False)
    credit_column = forms.CharField(label=_("Heading of the credit amount column"), required=False)
    description_column = forms.CharField(label=_("Heading of the description column"), required=False)

    def columns(self) -> dict[str, Sequence[str]] | None:
        given = {key: self.cleaned_data.get(f"{key}_column", "").strip() for key in statement.COLUMNS}
        if not any(given.values()):
            return None
        defaults = statement.column_names()
        return {key: [name] if name else list(defaults[key]) for key, name in given.items()}


class RefundPaidForm(forms.Form):
    account_holder = forms.CharField(label=_("Account holder"), required=False, max_length=255)
    bank_name = forms.CharField(label=_("Bank"), required=False, max_length=255)
    account_number = forms.CharField(label=_("Account number"), required=False, max_length=40)
    bank_reference = forms.CharField(label=_("Bank reference of the refund transfer"), max_length=128)


class _TransferAdmin(RoleScopedAdminMixin, admin.ModelAdmin):
    resource = TRANSFER

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        return [field.name for field in self.model._meta.fields]

    def _screen(self, request: HttpRequest, template: str, **context: Any) -> HttpResponse:
        return TemplateResponse(
            request, template, {**self.admin_site.each_context(request), "opts": self.model._meta, **context}
        )

    def _operator(self, request: HttpRequest) -> Any:
        if not is_operator(request.user):
            raise PermissionDenied
        return request.user


@admin.register(BankCredit)
class BankCreditAdmin(_TransferAdmin):
    """Every credit the bank reported; those waiting for an operator first. Each is settled on its own screen."""

    list_display = (
        "transacted_at",
        "amount_shown",
        "description",
        "status",
        "difference_shown",
        "order_number",
        "source",
        "settled",
    )
    list_filter = ("status", "source", ("resolved_at", admin.EmptyFieldListFilter))
    search_fields = ("bank_reference", "description", "transaction__order__number")
    list_select_related = ("transaction__order", "counter_sale")
    change_list_template = "admin/payments/bankcredit/change_list.html"

    @admin.display(description=_("amount"), ordering="amount")
    def amount_shown(self, credit: BankCredit) -> str:
        return _money(credit.amount)

    @admin.display(description=_("difference"))
    def difference_shown(self, credit: BankCredit) -> str:
        return _money(credit.difference) if credit.difference else ""

    @admin.display(description=_("order"))
    def order_number(self, credit: BankCredit) -> str:
        """The order it paid, or the counter sale's receipt."""
        order = credit.transaction.order if credit.transaction else None
        if order is None and credit.counter_sale is not None:
            return str(_("counter receipt %(number)s") % {"number": credit.counter_sale.receipt_number})
        return f"#{order.number}" if order else ""

    @admin.display(description=_("settled"), boolean=True)
    def settled(self, credit: BankCredit) -> bool:
        return not credit.needs_operator

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path("import/", wrap(self.statement_view), name="payments_bankcredit_import"),
            path("<int:pk>/resolve/", wrap(self.resolve_view), name="payments_bankcredit_resolve"),
            *super().get_urls(),
        ]

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict | None = None
    ) -> HttpResponse:
        credit = self.get_object(request, object_id)
        if credit is not None and credit.needs_operator:
            return redirect("admin:payments_bankcredit_resolve", pk=credit.pk)
        return super().change_view(request, object_id, form_url, extra_context)

    def resolve_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = self._operator(request)
        credit = get_object_or_404(BankCredit.objects.select_related("transaction__order"), pk=pk)
        form = CreditResolveForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                if data["action"] == CreditResolveForm.ASSIGN:
                    if not data["order_number"]:
                        raise DomainError(
                            "Enter the order number.", code=TransferErrorCode.REQUIRED, field="order_number"
                        )
                    credit_assign(credit=credit, order_number=data["order_number"], by_user=user)
                elif data["action"] == CreditResolveForm.DISMISS:
                    credit_dismiss(credit=credit, note=data["note"], by_user=user)
                else:
                    credit_settle(credit=credit, note=data["note"], by_user=user)
            except DomainError as error:
                _refusal_on(form, error)
            else:
                messages.success(request, _("The credit is settled."))
                return redirect("admin:payments_bankcredit_changelist")
        return self._screen(
            request,
            "admin/payments/bankcredit/resolve.html",
            title=_("Settle a bank credit"),
            credit=credit,
            amount=_money(credit.amount),
            difference=_money(credit.difference) if credit.difference else "",
            form=form,
        )

    def statement_view(self, request: HttpRequest) -> HttpResponse:
        user = self._operator(request)
        form = StatementUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                record = statement_import(
                    file=StatementFile(name=upload.name, content=upload.read()), by_user=user, columns=form.columns()
                )
            except DomainError as error:
                for detail in error.details:
                    for line in detail.message.splitlines():
                        form.add_error("file", line)
            else:
                messages.success(
                    request,
                    _("%(new)s new credits, %(known)s received before, %(skipped)s rows without a credit skipped.")
                    % {"new": record.credits_new, "known": record.credits_known, "skipped": record.debits_skipped},
                )
                return redirect("admin:payments_bankcredit_changelist")
        return self._screen(
            request,
            "admin/payments/bankcredit/import.html",
            title=_("Import a bank statement"),
            form=form,
            defaults={key: " / ".join(names) for key, names in statement.column_names().items()},
        )


@admin.register(StatementImport)
class StatementImportAdmin(_TransferAdmin):
    list_display = ("created_at", "file_name", "uploaded_by", "rows", "credits_new", "credits_known", "debits_skipped")


@admin.register(TransferRefund)
class TransferRefundAdmin(_TransferAdmin):
    """Money owed back to buyers who paid by transfer, until an operator has sent it."""

    list_display = ("created_at", "order_number", "amount_shown", "reason", "status", "account_given", "paid_at")
    list_filter = ("status",)
    search_fields = ("transaction__order__number", "account_number", "account_holder", "bank_reference")
    list_select_related = ("transaction__order",)

    @admin.display(description=_("amount"), ordering="amount")
    def amount_shown(self, refund: TransferRefund) -> str:
        return _money(refund.amount)

    @admin.display(description=_("order"))
    def order_number(self, refund: TransferRefund) -> str:
        order = refund.transaction.order
        return f"#{order.number}" if order else ""

    @admin.display(description=_("account given"), boolean=True)
    def account_given(self, refund: TransferRefund) -> bool:
        return bool(refund.account_number)

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/paid/", wrap(self.paid_view), name="payments_transferrefund_paid"),
            *super().get_urls(),
        ]

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict | None = None
    ) -> HttpResponse:
        refund = self.get_object(request, object_id)
        if refund is not None and refund.status == RefundStatus.OWED:
            return redirect("admin:payments_transferrefund_paid", pk=refund.pk)
        return super().change_view(request, object_id, form_url, extra_context)

    def paid_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = self._operator(request)
        refund = get_object_or_404(TransferRefund.objects.select_related("transaction__order"), pk=pk)
        initial = {"account_holder": refund.account_holder, "bank_name": refund.bank_name}
        initial["account_number"] = refund.account_number
        form = RefundPaidForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    if data["account_number"] and data["account_number"] != refund.account_number:
                        refund = transfer_refund_account_give(
                            refund=refund,
                            account_holder=data["account_holder"],
                            bank_name=data["bank_name"],
                            account_number=data["account_number"],
                        )
                    transfer_refund_mark_paid(refund=refund, by_user=user, bank_reference=data["bank_reference"])
            except DomainError as error:
                _refusal_on(form, error)
            else:
                messages.success(request, _("The refund is recorded as paid."))
                return redirect("admin:payments_transferrefund_changelist")
        return self._screen(
            request,
            "admin/payments/transferrefund/paid.html",
            title=_("Pay back a transfer"),
            refund=refund,
            amount=_money(refund.amount),
            form=form,
        )
