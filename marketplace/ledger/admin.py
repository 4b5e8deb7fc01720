"""The ledger in the back office, for operators: the journal (read-only), every producer's balance and statement,
payout runs (make one, export the bank file, mark it paid or cancel it) and the producers' bank details.

Every write goes through `marketplace.ledger.payouts`; the pages only parse the request and show the refusals.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied as HttpPermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from marketplace.accounts.models import User
from marketplace.accounts.permissions import RoleScopedAdminMixin, is_operator
from marketplace.core.dates import local_today
from marketplace.core.errors import DomainError, PermissionDenied
from marketplace.ledger.bank_file import bank_batch_csv, bank_batch_filename, transfer_description
from marketplace.ledger.models import JournalEntry, PayoutDetails, PayoutRun, PayoutRunStatus, Posting
from marketplace.ledger.payouts import (
    bank_details_clean,
    payout_details_update,
    payout_run_cancel,
    payout_run_create,
    payout_run_export,
    payout_run_mark_paid,
)
from marketplace.ledger.permissions import JOURNAL, PAYOUT_DETAILS, PAYOUT_RUN
from marketplace.ledger.selectors import Period, parse_month, producer_statement, producers_with_balances
from marketplace.producers.models import Producer


def _operator_only(request: HttpRequest) -> User:
    if not is_operator(request.user):
        raise HttpPermissionDenied
    user = request.user
    assert isinstance(user, User)
    return user


def _refusals(request: HttpRequest, error: DomainError) -> None:
    for detail in error.details:
        messages.error(request, detail.message)


# --- the journal and the statements ---------------------------------------------------------------------------


class PostingInline(RoleScopedAdminMixin, admin.TabularInline):
    resource = JOURNAL
    model = Posting
    extra = 0
    can_delete = False
    fields = ("account", "item", "amount")

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        return list(self.fields)


@admin.register(JournalEntry)
class JournalEntryAdmin(RoleScopedAdminMixin, admin.ModelAdmin):
    """Every entry as it was posted, with its lines; nothing here changes them (corrections are new entries).
    The statements of all producers hang off it (`statements/`)."""

    resource = JOURNAL
    list_display = ("posted_at", "kind", "key", "producer", "order", "memo")
    list_filter = ("kind",)
    search_fields = ("key", "memo", "producer__name", "order__number")
    list_select_related = ("producer", "order")
    date_hierarchy = "posted_at"
    inlines = [PostingInline]
    change_list_template = "admin/ledger/journalentry/change_list.html"

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        return [field.name for field in JournalEntry._meta.fields]

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path("statements/", wrap(self.statements_view), name="ledger_statements"),
            path("statements/<int:producer_id>/", wrap(self.statement_view), name="ledger_statement"),
            *super().get_urls(),
        ]

    def _context(self, request: HttpRequest, title: str, **extra: Any) -> dict[str, Any]:
        return {**self.admin_site.each_context(request), "opts": self.model._meta, "title": title, **extra}

    def statements_view(self, request: HttpRequest) -> HttpResponse:
        _operator_only(request)
        period = _month(request)
        context = self._context(request, str(_("Producers' balances")), rows=producers_with_balances(), period=period)
        return TemplateResponse(request, "admin/ledger/statements.html", context)

    def statement_view(self, request: HttpRequest, producer_id: int) -> HttpResponse:
        _operator_only(request)
        producer = get_object_or_404(Producer, pk=producer_id)
        statement = producer_statement(producer=producer, period=_month(request))
        context = self._context(request, f"{producer.name}: {_('statement')}", statement=statement)
        return TemplateResponse(request, "admin/ledger/statement.html", context)


def _month(request: HttpRequest) -> Period:
    try:
        return parse_month(request.GET.get("month"), today=local_today())
    except ValueError:
        messages.error(request, str(_("A month is written YYYY-MM; showing this month.")))
        return parse_month(None, today=local_today())


# --- payout runs ----------------------------------------------------------------------------------------------


class MarkPaidForm(forms.Form):
    bank_reference = forms.CharField(label=_("Bank reference of the batch"), max_length=100)


@admin.register(PayoutRun)
class PayoutRunAdmin(RoleScopedAdminMixin, admin.ModelAdmin):
    """Payout runs: "add" chooses the producers owed money; a run's page exports its bank file, marks it paid
    with the bank's reference, or cancels it."""

    resource = PAYOUT_RUN
    list_display = ("__str__", "created_at", "created_by", "status", "line_count", "total", "bank_reference", "paid_at")
    list_filter = ("status",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[PayoutRun]:
        return super().get_queryset(request).select_related("created_by").prefetch_related("lines")

    @admin.display(description=_("producers"))
    def line_count(self, run: PayoutRun) -> int:
        return len(run.lines.all())

    @admin.display(description=_("total (đồng)"))
    def total(self, run: PayoutRun) -> int:
        return run.total_amount

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path("<int:run_id>/export/", wrap(require_POST(self.export_view)), name="ledger_payoutrun_export"),
            path("<int:run_id>/paid/", wrap(require_POST(self.mark_paid_view)), name="ledger_payoutrun_paid"),
            path("<int:run_id>/cancel/", wrap(require_POST(self.cancel_view)), name="ledger_payoutrun_cancel"),
            *super().get_urls(),
        ]

    def _run_url(self, run_id: int) -> str:
        return reverse("admin:ledger_payoutrun_change", args=[run_id])

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context: dict | None = None) -> HttpResponse:
        user = _operator_only(request)
        if request.method == "POST":
            try:
                ids = [int(value) for value in request.POST.getlist("producers")]
                run = payout_run_create(producer_ids=ids, by_user=user)
            except ValueError:
                messages.error(request, str(_("Choose producers from the list.")))
            except DomainError as error:
                _refusals(request, error)
            else:
                messages.success(request, str(_("Payout run #%(run)s is drafted.")) % {"run": run.pk})
                return HttpResponseRedirect(self._run_url(run.pk))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": str(_("New payout run")),
            "rows": [row for row in producers_with_balances() if row.balance > 0],
        }
        return TemplateResponse(request, "admin/ledger/payoutrun_add.html", context)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict | None = None
    ) -> HttpResponse:
        run = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not self.has_view_permission(request, run):
            raise HttpPermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": str(_("Payout run %(run)s")) % {"run": run},
            "run": run,
            "lines": list(run.lines.select_related("producer")),
            "description": transfer_description(run),
            "paid_form": MarkPaidForm(),
            "is_open": run.status in (PayoutRunStatus.DRAFT, PayoutRunStatus.EXPORTED),
            "can_mark_paid": run.status == PayoutRunStatus.EXPORTED,
        }
        return TemplateResponse(request, "admin/ledger/payoutrun_change.html", context)

    def export_view(self, request: HttpRequest, run_id: int) -> HttpResponse:
        user = _operator_only(request)
        run = get_object_or_404(PayoutRun, pk=run_id)
        try:
            run = payout_run_export(run=run, by_user=user)
        except DomainError as error:
            _refusals(request, error)
            return HttpResponseRedirect(self._run_url(run.pk))
        response = HttpResponse(bank_batch_csv(run), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{bank_batch_filename(run)}"'
        return response

    def mark_paid_view(self, request: HttpRequest, run_id: int) -> HttpResponse:
        user = _operator_only(request)
        run = get_object_or_404(PayoutRun, pk=run_id)
        try:
            payout_run_mark_paid(run=run, bank_reference=request.POST.get("bank_reference", ""), by_user=user)
        except DomainError as error:
            _refusals(request, error)
        else:
            messages.success(
                request, str(_("Payout run #%(run)s is paid; the ledger shows each payout.")) % {"run": run.pk}
            )
        return HttpResponseRedirect(self._run_url(run.pk))

    def cancel_view(self, request: HttpRequest, run_id: int) -> HttpResponse:
        user = _operator_only(request)
        run = get_object_or_404(PayoutRun, pk=run_id)
        try:
            payout_run_cancel(run=run, by_user=user)
        except DomainError as error:
            _refusals(request, error)
        else:
            messages.success(request, str(_("Payout run #%(run)s is canceled.")) % {"run": run.pk})
        return HttpResponseRedirect(self._run_url(run.pk))


# --- bank details ---------------------------------------------------------------------------------------------


class PayoutDetailsForm(forms.ModelForm):
    """Checks the details as the service will (every problem at once, on its field)."""

    class Meta:
        model = PayoutDetails
        fields = ("producer", "bank_bin", "bank_name", "account_number", "account_holder")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _, problems = bank_details_clean(
            bank_bin=data.get("bank_bin", ""),
            bank_name=data.get("bank_name", ""),
            account_number=data.get("account_number", ""),
            account_holder=data.get("account_holder", ""),
        )
        for detail in problems:
            self.add_error(detail.field if detail.field in self.fields else None, detail.message)
        return data


@admin.register(PayoutDetails)
class PayoutDetailsAdmin(RoleScopedAdminMixin, admin.ModelAdmin):
    """Where each producer is paid; producers' staff enter theirs in the portal."""

    resource = PAYOUT_DETAILS
    form = PayoutDetailsForm
    list_display = ("producer", "bank_name", "bank_bin", "account_number", "account_holder", "updated_at")
    search_fields = ("producer__name", "account_number", "account_holder")
    list_select_related = ("producer",)
    raw_id_fields = ("producer",)

    def save_model(self, request: HttpRequest, obj: PayoutDetails, form: forms.ModelForm, change: bool) -> None:
        user = _operator_only(request)
        try:
            saved = payout_details_update(
                producer=obj.producer,
                by_user=user,
                bank_bin=obj.bank_bin,
                bank_name=obj.bank_name,
                account_number=obj.account_number,
                account_holder=obj.account_holder,
            )
        except (DomainError, PermissionDenied) as error:  # the form checked the same: only a race gets here
            raise HttpPermissionDenied(str(error)) from error
        obj.pk = saved.pk
