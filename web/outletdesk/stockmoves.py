"""Counts, write-offs and transfers in the outlet console (issue 15).

The views parse the forms, call `marketplace.stockmoves` and show its refusals; every read is scoped to the staff's
own outlet (`marketplace.stockmoves.selectors`), and a transfer is acted on only from its own side: the asked outlet
sends or declines, the asking outlet receives or cancels. Anything else is a 404.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from marketplace.accounts.models import Role, User
from marketplace.core.errors import DomainError, ErrorDetail
from marketplace.stockmoves import selectors
from marketplace.stockmoves.error_codes import StockMoveErrorCode
from marketplace.stockmoves.models import StockTransfer, TransferStatus
from marketplace.stockmoves.services import CountedLine, stock_count_confirm, stock_write_off
from marketplace.stockmoves.transfers import (
    transfer_cancel,
    transfer_decline,
    transfer_receive,
    transfer_request,
    transfer_send,
)
from web.access import SignedInRequest, own_outlet, own_outlet_id, role_required
from web.outletdesk.selectors import outlet_order
from web.outletdesk.stockmove_forms import TransferQuantityForm, TransferRequestForm, WriteOffForm, reason_choices

RECENT_TRANSFERS = 20


def _stockmove_sentence(code: str, extra: dict[str, str]) -> str:
    """The refusal as one sentence in the staff's language, from the figures the service gives; "" without them."""
    if code == StockMoveErrorCode.BELOW_ALLOCATED and {"product", "allocated", "counted"} <= extra.keys():
        return (
            _(
                "%(product)s: %(allocated)s are promised to online orders and still on the shelf; the count cannot be "
                "%(counted)s. Look for the goods put aside for those orders, or cancel the orders first."
            )
            % extra
        )
    if code == StockMoveErrorCode.REASON_REQUIRED and {"product", "counted", "system"} <= extra.keys():
        return _("%(product)s: the count (%(counted)s) differs from the system (%(system)s): choose a reason.") % extra
    if code == StockMoveErrorCode.STOCK_MOVED and {"product", "seen", "now"} <= extra.keys():
        return (
            _(
                "%(product)s: the quantity went from %(seen)s to %(now)s while the shelf was counted (a sale, an "
                "order, a transfer): count this line again and confirm."
            )
            % extra
        )
    if code == StockMoveErrorCode.INSUFFICIENT_STOCK and {"product", "held", "outlet", "promised", "free", "asked"} <= (
        extra.keys()
    ):
        return (
            _(
                "%(product)s: %(held)s at %(outlet)s, of which %(promised)s are promised to other online orders; "
                "%(free)s can be sent, %(asked)s asked."
            )
            % extra
        )
    if code == StockMoveErrorCode.ALREADY_REQUESTED and {"order", "product", "transfer", "status"} <= extra.keys():
        return _("Order #%(order)s's %(product)s is already asked for: transfer %(transfer)s, %(status)s.") % {
            **extra,
            "status": _status_label(extra["status"]),
        }
    if code == StockMoveErrorCode.WRONG_STATUS and {"transfer", "status"} <= extra.keys():
        return _("Transfer %(transfer)s is %(status)s: it cannot be changed this way any more.") % {
            **extra,
            "status": _status_label(extra["status"]),
        }
    if code == StockMoveErrorCode.TOO_MANY and {"product", "held", "asked"} <= extra.keys():
        return _("%(product)s: %(held)s on the shelf; %(asked)s cannot be written off.") % extra
    if code == StockMoveErrorCode.TOO_MANY and {"requested", "sending"} <= extra.keys():
        return _("%(requested)s were asked for; %(sending)s cannot be sent.") % extra
    if code == StockMoveErrorCode.TOO_MANY and {"sent", "received"} <= extra.keys():
        return _("%(sent)s were sent; %(received)s cannot have arrived.") % extra
    return ""


def _status_label(status: str) -> str:
    return str(TransferStatus(status).label).lower() if status in TransferStatus.values else status


def stockmove_refusal(detail: ErrorDetail) -> str:
    """Why a count, a write-off or a transfer was refused, in the staff's language, from the product and figures the
    service gives (`detail.extra`)."""
    code = str(detail.code)
    sentence = _stockmove_sentence(code, detail.extra)
    if sentence:
        return sentence
    if code == StockMoveErrorCode.REASON_REQUIRED:  # a write-off's, without a count to compare
        return _("Choose why the goods are written off.")
    if code == StockMoveErrorCode.REQUIRED and detail.field == "lines":
        return _("Enter the quantity counted of at least one line.")
    return detail.message


# --- counts and write-offs ---


def _count_page(
    request: SignedInRequest,
    *,
    entered: dict[int, dict[str, str]] | None = None,
    errors: dict[int, list[str]] | None = None,
    general: list[str] | None = None,
    key: str | None = None,
    status: int = 200,
) -> HttpResponse:
    entered = entered or {}
    errors = errors or {}
    rows = [
        (stock, entered.get(stock.pk, {}), errors.get(stock.pk, []))
        for stock in selectors.count_sheet(outlet_id=own_outlet_id(request))
    ]
    context = {
        "outlet": own_outlet(request),
        "rows": rows,
        "reasons": reason_choices(),
        "general_errors": general or [],
        "key": key or uuid.uuid4().hex,
    }
    return render(request, "outletdesk/count.html", context, status=status)


@role_required(Role.OUTLET_STAFF)
@require_http_methods(["GET", "POST"])
def count(request: SignedInRequest) -> HttpResponse:
    """The count sheet: every variant the outlet holds with the system's quantity; staff enter what they found
    (blank: not counted) and, where it differs, a reason and a note. Confirming sets the stock."""
    if request.method == "GET":
        return _count_page(request)
    entered: dict[int, dict[str, str]] = {}
    errors: dict[int, list[str]] = {}
    lines = []
    for stock in selectors.count_sheet(outlet_id=own_outlet_id(request)):
        raw = request.POST.get(f"counted-{stock.pk}", "").strip()
        values = {
            "counted": raw,
            "reason": request.POST.get(f"reason-{stock.pk}", ""),
            "note": request.POST.get(f"note-{stock.pk}", "")[:255],
        }
        entered[stock.pk] = values
        if not raw:
            continue
        if not raw.isdigit() or len(raw) > 7:
            errors[stock.pk] = [_("A quantity is a whole number from 0.")]
            continue
        seen = request.POST.get(f"seen-{stock.pk}", "")
        lines.append(
            CountedLine(
                stock_id=stock.pk,
                quantity_counted=int(raw),
                reason=values["reason"],
                note=values["note"],
                quantity_seen=int(seen) if seen.isdigit() and len(seen) <= 7 else None,
            )
        )
    key = request.POST.get("key", "")
    if errors:
        return _count_page(request, entered=entered, errors=errors, key=key, status=400)
    try:
        recorded = stock_count_confirm(
            outlet=own_outlet(request), by_user=request.user, lines=lines, idempotency_key=key
        )
    except DomainError as error:
        general = []
        for detail in error.details:
            targets = [int(line) for line in detail.lines if line.isdigit()]
            for stock_id in targets:
                errors.setdefault(stock_id, []).append(stockmove_refusal(detail))
            if not targets:
                general.append(stockmove_refusal(detail))
        return _count_page(request, entered=entered, errors=errors, general=general, key=key, status=400)
    messages.success(request, _("The count is recorded and the stock is set to what was counted."))
    return redirect(f"{_history_url()}#count-{recorded.pk}")


def _history_url() -> str:
    return reverse("outlet:count-history")


@role_required(Role.OUTLET_STAFF)
@require_http_methods(["GET", "POST"])
def write_off(request: SignedInRequest) -> HttpResponse:
    """A quick write-off of one product (a broken jar): the quantity, the reason, a note."""
    stocks = selectors.count_sheet(outlet_id=own_outlet_id(request))
    if request.method == "GET":
        initial = {"key": uuid.uuid4().hex, "variant": request.GET.get("variant", "")}
        form = WriteOffForm(initial=initial, stocks=stocks)
    else:
        form = WriteOffForm(request.POST, stocks=stocks)
        if form.is_valid():
            data = form.cleaned_data
            try:
                recorded = stock_write_off(
                    outlet=own_outlet(request),
                    by_user=request.user,
                    variant_id=data["variant"],
                    quantity=data["quantity"],
                    reason=data["reason"],
                    note=data["note"],
                    idempotency_key=data["key"],
                )
            except DomainError as error:
                for detail in error.details:
                    field = detail.field if detail.field in ("quantity", "reason", "variant") else None
                    form.add_error(field, stockmove_refusal(detail))
            else:
                messages.success(request, _("The write-off is recorded and the goods are off the stock."))
                return redirect(f"{_history_url()}#count-{recorded.pk}")
    return render(
        request,
        "outletdesk/write_off.html",
        {"outlet": own_outlet(request), "form": form},
        status=400 if form.errors else 200,
    )


@role_required(Role.OUTLET_STAFF)
@require_GET
def count_history(request: SignedInRequest) -> HttpResponse:
    """The outlet's counts and write-offs, newest first, with the variances totalled by reason."""
    outlet_id = own_outlet_id(request)
    totals = selectors.variance_totals(outlet_id=outlet_id)
    context = {
        "outlet": own_outlet(request),
        "totals": totals,
        "total_units": sum(total.units for total in totals),
        "total_value": sum(total.value for total in totals),
        "counts": list(selectors.stock_counts(outlet_id=outlet_id)[: selectors.HISTORY_SIZE]),
    }
    return render(request, "outletdesk/count_history.html", context)


# --- transfers ---


@role_required(Role.OUTLET_STAFF)
@require_GET
def transfers(request: SignedInRequest) -> HttpResponse:
    """Requests to send, goods to receive, this outlet's own requests, and the latest finished transfers."""
    outlet_id = own_outlet_id(request)
    every = selectors.outlet_transfers(outlet_id=outlet_id)
    open_ones = list(every.filter(status__in=[TransferStatus.REQUESTED, TransferStatus.IN_TRANSIT]))
    context = {
        "outlet": own_outlet(request),
        "to_send": [t for t in open_ones if t.from_outlet_id == outlet_id and t.status == TransferStatus.REQUESTED],
        "to_receive": [t for t in open_ones if t.to_outlet_id == outlet_id and t.status == TransferStatus.IN_TRANSIT],
        "asked": [t for t in open_ones if t.to_outlet_id == outlet_id and t.status == TransferStatus.REQUESTED],
        "sent": [t for t in open_ones if t.from_outlet_id == outlet_id and t.status == TransferStatus.IN_TRANSIT],
        "finished": list(
            every.exclude(status__in=[TransferStatus.REQUESTED, TransferStatus.IN_TRANSIT])[:RECENT_TRANSFERS]
        ),
    }
    return render(request, "outletdesk/transfers.html", context)


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 10 else None


@role_required(Role.OUTLET_STAFF)
@require_http_methods(["GET", "POST"])
def transfer_request_page(request: SignedInRequest) -> HttpResponse:
    """Ask another outlet for goods: prefilled from an order whose goods sit there (`?stock=&quantity=&order=`)."""
    outlet_id = own_outlet_id(request)
    data = request.POST if request.method == "POST" else request.GET
    sources = list(selectors.transfer_sources(outlet_id=outlet_id, including=_int_or_none(data.get("stock"))))
    if request.method == "GET":
        initial = {
            "key": uuid.uuid4().hex,
            "source": _int_or_none(request.GET.get("stock")),
            "quantity": _int_or_none(request.GET.get("quantity")) or 1,
            "order": request.GET.get("order", ""),
        }
        form = TransferRequestForm(initial=initial, sources=sources)
    else:
        form = TransferRequestForm(request.POST, sources=sources)
        if form.is_valid():
            source = form.source_stock()
            try:
                transfer_request(
                    to_outlet=own_outlet(request),
                    from_outlet=source.outlet,
                    variant_id=source.variant_id,
                    quantity=form.cleaned_data["quantity"],
                    by_user=request.user,
                    idempotency_key=form.cleaned_data["key"],
                    order_id=form.cleaned_data["order"],
                    note=form.cleaned_data["note"],
                )
            except DomainError as error:
                for detail in error.details:
                    form.add_error("quantity" if detail.field == "quantity" else None, stockmove_refusal(detail))
            else:
                messages.success(request, _("The request is sent to the other outlet."))
                return redirect("outlet:transfers")
    order = None
    try:
        order_id = uuid.UUID(str(form["order"].value() or ""))
    except ValueError:
        pass
    else:
        order = outlet_order(outlet_id=outlet_id, order_id=order_id)
    context = {"outlet": own_outlet(request), "form": form, "order": order}
    return render(request, "outletdesk/transfer_request.html", context, status=400 if form.errors else 200)


def _act(
    request: SignedInRequest,
    transfer_id: int,
    *,
    side: str,
    action: Callable[[StockTransfer, User, TransferQuantityForm], StockTransfer],
    done: str,
) -> HttpResponse:
    """Do `action` on a transfer of this outlet's `side` ("from": the asked outlet, "to": the asking one)."""
    outlet_id = own_outlet_id(request)
    transfer = selectors.outlet_transfer(outlet_id=outlet_id, transfer_id=transfer_id)
    if transfer is None or getattr(transfer, f"{side}_outlet_id") != outlet_id:
        raise Http404
    form = TransferQuantityForm(request.POST)
    form.is_valid()
    try:
        action(transfer, request.user, form)
    except DomainError as error:
        for detail in error.details:
            messages.error(request, stockmove_refusal(detail))
    else:
        messages.success(request, done % {"number": transfer.number})
    return redirect("outlet:transfers")


def _quantity(form: TransferQuantityForm) -> int | None:
    quantity: int | None = form.cleaned_data.get("quantity")
    return quantity


def _answer(form: TransferQuantityForm) -> str:
    return str(form.cleaned_data.get("answer") or "")


def _refused_quantity(form: TransferQuantityForm) -> None:
    if form.errors.get("quantity"):
        raise DomainError("A quantity is a whole number.", code=StockMoveErrorCode.INVALID, field="quantity")


@role_required(Role.OUTLET_STAFF)
@require_POST
def transfer_send_view(request: SignedInRequest, transfer_id: int) -> HttpResponse:
    def send(transfer: StockTransfer, user: User, form: TransferQuantityForm) -> StockTransfer:
        _refused_quantity(form)
        return transfer_send(transfer=transfer, by_user=user, quantity=_quantity(form), answer=_answer(form))

    return _act(request, transfer_id, side="from", action=send, done=_("Transfer %(number)s is sent: in transit."))


@role_required(Role.OUTLET_STAFF)
@require_POST
def transfer_decline_view(request: SignedInRequest, transfer_id: int) -> HttpResponse:
    def decline(transfer: StockTransfer, user: User, form: TransferQuantityForm) -> StockTransfer:
        return transfer_decline(transfer=transfer, by_user=user, answer=_answer(form))

    return _act(request, transfer_id, side="from", action=decline, done=_("Transfer %(number)s is declined."))


@role_required(Role.OUTLET_STAFF)
@require_POST
def transfer_receive_view(request: SignedInRequest, transfer_id: int) -> HttpResponse:
    def receive(transfer: StockTransfer, user: User, form: TransferQuantityForm) -> StockTransfer:
        _refused_quantity(form)
        return transfer_receive(transfer=transfer, by_user=user, quantity=_quantity(form))

    return _act(
        request, transfer_id, side="to", action=receive, done=_("Transfer %(number)s is received and in stock.")
    )


@role_required(Role.OUTLET_STAFF)
@require_POST
def transfer_cancel_view(request: SignedInRequest, transfer_id: int) -> HttpResponse:
    def cancel(transfer: StockTransfer, user: User, form: TransferQuantityForm) -> StockTransfer:
        return transfer_cancel(transfer=transfer, by_user=user)

    return _act(request, transfer_id, side="to", action=cancel, done=_("Transfer %(number)s is canceled."))
