"""The counter of the outlet console (issue 15): walk-in sales, their receipts, and the close of the day.

The basket lives in the session, by variant, until the sale is made; the payment form carries an idempotency key
drawn with the page, so a sale sent twice (a double tap, a dropped connection retried) is made once and both
answers lead to its receipt. The sale itself is `marketplace.counter.services.counter_sale_create`.
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from marketplace.accounts.models import Role
from marketplace.core.dates import local_today
from marketplace.core.errors import DomainError
from marketplace.counter.day import day_close, day_figures
from marketplace.counter.emails import counter_receipt_email
from marketplace.counter.models import (
    CounterPaymentMethod,
    CounterRefundMethod,
    CounterSale,
    CounterSaleStatus,
    DayClose,
)
from marketplace.counter.services import (
    CounterPayment,
    ReturnItem,
    SaleItem,
    counter_return_create,
    counter_sale_cancel,
    counter_sale_create,
)
from payments.vietqr.instructions import configured as transfers_configured
from payments.vietqr.instructions import instructions_for
from web.access import SignedInRequest, own_outlet, own_outlet_id, role_required
from web.outletdesk import selectors
from web.outletdesk.forms import CounterPaymentForm, DayCloseForm, ReceiptEmailForm
from web.outletdesk.refusals import counter_refusal

BASKET = "counter_basket"


def _basket(request: SignedInRequest) -> dict[int, int]:
    stored = request.session.get(BASKET, {})
    if stored.get("outlet") != own_outlet_id(request):
        return {}
    return {int(variant_id): quantity for variant_id, quantity in stored.get("lines", [])}


def _keep(request: SignedInRequest, basket: dict[int, int]) -> None:
    request.session[BASKET] = {"outlet": own_outlet_id(request), "lines": [[k, v] for k, v in basket.items() if v > 0]}


def _change_basket(request: SignedInRequest) -> None:
    """Add one of a variant, set a line's quantity, or empty the basket, from the page's buttons."""
    basket = _basket(request)
    try:
        variant_id = int(request.POST.get("variant", ""))
    except ValueError:
        variant_id = 0
    action = request.POST.get("action")
    if action == "add" and variant_id:
        basket[variant_id] = basket.get(variant_id, 0) + 1
    elif action == "set" and variant_id:
        try:
            basket[variant_id] = max(int(request.POST.get("quantity", "0")), 0)
        except ValueError:
            messages.error(request, _("A quantity is a whole number."))
    elif action == "clear":
        basket = {}
    _keep(request, basket)


def _payment_form(data: QueryDict | None = None, **kwargs: Any) -> CounterPaymentForm:
    return CounterPaymentForm(data, vietqr=transfers_configured(), **kwargs)


def _page(request: SignedInRequest, form: CounterPaymentForm, *, status: int = 200) -> HttpResponse:
    today = local_today()
    query = request.GET.get("q", "")
    outlet_id = own_outlet_id(request)
    basket = selectors.counter_basket(outlet_id=outlet_id, wanted=_basket(request), today=today)
    lines = [(offer, quantity, offer.price * quantity) for offer, quantity in basket]
    context = {
        "outlet": own_outlet(request),
        "query": query,
        "offers": selectors.counter_offers(outlet_id=outlet_id, query=query, today=today),
        "lines": lines,
        "total": sum(line[2] for line in lines),
        "form": form,
    }
    return render(request, "outletdesk/sell.html", context, status=status)


@role_required(Role.OUTLET_STAFF)
@require_http_methods(["GET", "POST"])
def sell(request: SignedInRequest) -> HttpResponse:
    """The basket: find goods by name, SKU or a scanned label; add, change, empty; then the payment form."""
    if request.method == "POST":
        _change_basket(request)
        query = request.POST.get("q", "")
        return redirect(f"{request.path}?{urlencode({'q': query})}" if query else request.path)
    return _page(request, _payment_form(initial={"key": uuid.uuid4().hex}))


@role_required(Role.OUTLET_STAFF)
@require_POST
def sell_complete(request: SignedInRequest) -> HttpResponse:
    form = _payment_form(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    data = form.cleaned_data
    items = [SaleItem(variant_id=variant_id, quantity=quantity) for variant_id, quantity in _basket(request).items()]
    try:
        sale = counter_sale_create(
            outlet=own_outlet(request),
            by_user=request.user,
            items=items,
            payment=CounterPayment(
                method=CounterPaymentMethod(data["method"]),
                cash_received=data["cash_received"],
                slip_reference=data["slip_reference"],
            ),
            idempotency_key=data["key"],
            language_code=request.LANGUAGE_CODE,
        )
    except DomainError as error:
        for detail in error.details:
            field = {"cashReceived": "cash_received", "slipReference": "slip_reference"}.get(detail.field or "")
            form.add_error(field, counter_refusal(detail))
        return _page(request, form, status=400)
    _keep(request, {})
    if sale.status == CounterSaleStatus.AWAITING_TRANSFER:
        return redirect("outlet:sale-pay", sale_id=sale.pk)
    return redirect("outlet:receipt", sale_id=sale.pk)


@role_required(Role.OUTLET_STAFF)
@require_GET
def receipt(request: SignedInRequest, sale_id: int) -> HttpResponse:
    """The sale's receipt: the screen, and `?print=80` (80 mm thermal paper) or `?print=a5` to print."""
    sale = _own_sale(request, sale_id)
    if sale.status == CounterSaleStatus.AWAITING_TRANSFER:
        return redirect("outlet:sale-pay", sale_id=sale.pk)
    return _receipt_page(request, sale, ReceiptEmailForm())


def _own_sale(request: SignedInRequest, sale_id: int) -> CounterSale:
    sale = selectors.counter_sale(outlet_id=own_outlet_id(request), sale_id=sale_id)
    if sale is None:
        raise Http404
    return sale


def _receipt_page(request: SignedInRequest, sale: CounterSale, email_form: ReceiptEmailForm) -> HttpResponse:
    paper = request.GET.get("print", "")
    returned = {row["sale_line_id"]: row["total"] for row in selectors.counter_returned(sale_id=sale.pk)}
    lines = [(line, line.quantity - returned.get(line.pk, 0)) for line in sale.lines.all()]
    return render(
        request,
        "outletdesk/receipt.html",
        {
            "outlet": own_outlet(request),
            "sale": sale,
            "lines": lines,
            "returns": list(sale.returns.all()),
            "return_key": uuid.uuid4().hex,
            "paper": paper if paper in ("80", "a5") else "",
            "email_form": email_form,
        },
        status=400 if email_form.errors else 200,
    )


@role_required(Role.OUTLET_STAFF)
@require_POST
def receipt_email(request: SignedInRequest, sale_id: int) -> HttpResponse:
    """The receipt e-mailed to the buyer, in the language they choose; the address is not kept."""
    sale = _own_sale(request, sale_id)
    form = ReceiptEmailForm(request.POST)
    if form.is_valid():
        try:
            counter_receipt_email(
                sale=sale, to=form.cleaned_data["email"], language=form.cleaned_data["language"], by_user=request.user
            )
        except DomainError as error:
            form.add_error("email" if error.details[0].field == "email" else None, counter_refusal(error.details[0]))
        else:
            messages.success(
                request, _("The receipt is on its way to %(email)s.") % {"email": form.cleaned_data["email"]}
            )
            return redirect("outlet:receipt", sale_id=sale.pk)
    return _receipt_page(request, sale, form)


@role_required(Role.OUTLET_STAFF)
@require_GET
def sale_pay(request: SignedInRequest, sale_id: int) -> HttpResponse:
    """A VietQR sale waiting for its transfer: the code for the buyer to scan, the amount and the transfer's
    content; the page looks again every few seconds and moves to the receipt once the bank's credit is in."""
    sale = _own_sale(request, sale_id)
    if sale.status == CounterSaleStatus.PAID:
        messages.success(request, _("The transfer is in: the sale is paid."))
        return redirect("outlet:receipt", sale_id=sale.pk)
    if sale.status == CounterSaleStatus.CANCELED:
        messages.error(
            request, _("This sale was cancelled: the transfer did not come, and the goods are back in stock.")
        )
        return redirect("outlet:receipt", sale_id=sale.pk)
    context = {
        "outlet": own_outlet(request),
        "sale": sale,
        "waiting": True,
        "transfer": instructions_for(
            reference=sale.transfer_reference, amount=sale.total_amount - sale.transfer_received
        ),
        "hold_minutes": settings.OCOP_COUNTER_TRANSFER_HOLD_MINUTES,
    }
    return render(request, "outletdesk/sale_pay.html", context)


@role_required(Role.OUTLET_STAFF)
@require_POST
def sale_cancel(request: SignedInRequest, sale_id: int) -> HttpResponse:
    """The buyer does not pay the VietQR sale: cancelled, the goods back on the shelf."""
    sale = _own_sale(request, sale_id)
    try:
        counter_sale_cancel(sale=sale, by_user=request.user, reason="the buyer did not pay")
    except DomainError as error:
        messages.error(request, counter_refusal(error.details[0]))
        return redirect("outlet:receipt", sale_id=sale.pk)
    messages.success(request, _("The sale is cancelled and its goods are back in stock."))
    return redirect("outlet:sell")


@role_required(Role.OUTLET_STAFF)
@require_http_methods(["GET", "POST"])
def close_of_day(request: SignedInRequest) -> HttpResponse:
    """Today's counter: sales by method, returns, online orders handed over, the cash expected; closing it with the
    cash counted keeps the figures, and the page then shows the close (`?print=a5` to print it)."""
    outlet, today = own_outlet(request), local_today()
    closed = DayClose.objects.filter(outlet=outlet, day=today).first()
    form = DayCloseForm(request.POST or None)
    if closed is None and request.method == "POST" and form.is_valid():
        try:
            day_close(
                outlet=outlet,
                day=today,
                by_user=request.user,
                cash_counted=form.cleaned_data["cash_counted"],
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            form.add_error(None, error.details[0].message)
        else:
            messages.success(request, _("The day is closed."))
            return redirect("outlet:close-of-day")
    paper = request.GET.get("print", "")
    context = {
        "outlet": outlet,
        "today": today,
        "figures": day_figures(outlet=outlet, day=today),
        "closed": closed,
        "form": form,
        "paper": "a5" if paper == "a5" and closed is not None else "",
    }
    return render(request, "outletdesk/close_of_day.html", context, status=400 if form.errors else 200)


@role_required(Role.OUTLET_STAFF)
@require_POST
def sale_return(request: SignedInRequest, sale_id: int) -> HttpResponse:
    """Goods brought back against the receipt: `return-<line id>` quantities, the refund method (and the card slip),
    a reason; the form's key makes a repeated submit one return."""
    sale = _own_sale(request, sale_id)
    items = []
    for line in sale.lines.all():
        raw = request.POST.get(f"return-{line.pk}", "").strip() or "0"
        if not raw.isdigit():
            messages.error(request, _("A quantity is a whole number."))
            return redirect("outlet:receipt", sale_id=sale.pk)
        if int(raw):
            items.append(ReturnItem(sale_line_id=line.pk, quantity=int(raw)))
    method = request.POST.get("refund_method", "")
    refund_method = CounterRefundMethod(method) if method in CounterRefundMethod.values else CounterRefundMethod.CASH
    try:
        counter_return_create(
            sale=sale,
            by_user=request.user,
            items=items,
            refund_method=refund_method,
            idempotency_key=request.POST.get("key", ""),
            slip_reference=request.POST.get("slip_reference", ""),
            reason=request.POST.get("reason", ""),
        )
    except DomainError as error:
        for detail in error.details:
            messages.error(request, counter_refusal(detail))
    else:
        messages.success(request, _("The return is recorded and the goods are back in stock."))
    return redirect("outlet:receipt", sale_id=sale.pk)
