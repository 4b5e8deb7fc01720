"""The outlet console: what to prepare, what waits for its buyer, the pickup counter, the outlet's stock.

Every view serves outlet staff only and reads through `selectors`, scoped to the user's own outlet:
another outlet's order is a 404 here and its pickup code is refused at this counter.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from marketplace.accounts.models import Role
from marketplace.catalogue.services import delisting_reason
from marketplace.core.dates import local_today
from marketplace.core.errors import DomainError
from marketplace.deliveries.selectors import best_before_warnings
from marketplace.inventory.models import Stock
from marketplace.orders.error_codes import OrderErrorCode
from marketplace.orders.models import Order
from marketplace.orders.services import order_for_pickup_code, order_mark_ready_for_pickup
from marketplace.stockmoves.selectors import order_transfers, transfers_in_transit
from payments.services import cash_change, order_hand_over_with_cash
from web.access import SignedInRequest, own_outlet, own_outlet_id, role_required
from web.domain_labels import listing_reason_label
from web.outletdesk import selectors
from web.outletdesk.forms import HandOverForm, PickupCodeForm
from web.outletdesk.labels import status_label
from web.outletdesk.refusals import cash_refusal, error_code, pickup_refusal
from web.templatetags.web import vnd

STOCK_PAGE_SIZE = 100


def _own_order(request: SignedInRequest, order_id: uuid.UUID) -> Order:
    order = selectors.outlet_order(outlet_id=own_outlet_id(request), order_id=order_id)
    if order is None:
        raise Http404
    return order


@role_required(Role.OUTLET_STAFF)
@require_GET
def home(request: SignedInRequest) -> HttpResponse:
    outlet_id = own_outlet_id(request)
    today = local_today()
    context = {
        "outlet": own_outlet(request),
        "today": today,
        "to_prepare": list(selectors.outlet_orders_to_prepare(outlet_id=outlet_id)),
        "ready": list(selectors.outlet_orders_ready(outlet_id=outlet_id, today=today)),
        "overdue": list(selectors.outlet_orders_overdue(outlet_id=outlet_id, today=today)),
        "best_before": best_before_warnings(
            outlet_id=outlet_id, today=today, days=settings.OCOP_BEST_BEFORE_WARNING_DAYS
        ),
    }
    return render(request, "outletdesk/home.html", context)


@role_required(Role.OUTLET_STAFF)
@require_GET
def order_detail(request: SignedInRequest, order_id: uuid.UUID) -> HttpResponse:
    order = _own_order(request, order_id)
    context = {
        "outlet": own_outlet(request),
        "order": order,
        "today": local_today(),
        "transfers": list(order_transfers(outlet_id=own_outlet_id(request), order_id=order.pk)),
    }
    return render(request, "outletdesk/order.html", context)


@role_required(Role.OUTLET_STAFF)
@require_POST
def mark_ready(request: SignedInRequest, order_id: uuid.UUID) -> HttpResponse:
    order = selectors.outlet_orders(outlet_id=own_outlet_id(request)).filter(pk=order_id).first()
    if order is None:
        raise Http404
    try:
        order = order_mark_ready_for_pickup(order=order, by_user=request.user)
    except DomainError:
        order.refresh_from_db(fields=["status"])
        messages.error(
            request,
            _("Order #%(number)s cannot be made ready: it is %(status)s.")
            % {"number": order.number, "status": status_label(order.status)},
        )
    else:
        messages.success(
            request,
            _("Order #%(number)s is ready for pickup. The buyer has been e-mailed the pickup code.")
            % {"number": order.number},
        )
    if request.POST.get("next") == "order":
        return redirect("outlet:order", order_id=order.pk)
    return redirect("outlet:home")


def _handover_page(request: SignedInRequest, form: PickupCodeForm, *, status: int = 200) -> HttpResponse:
    return render(request, "outletdesk/handover.html", {"outlet": own_outlet(request), "form": form}, status=status)


def _confirmation_page(
    request: SignedInRequest, order: Order, form: HandOverForm, *, status: int = 200
) -> HttpResponse:
    context = {
        "outlet": own_outlet(request),
        "order": selectors.outlet_order(outlet_id=own_outlet_id(request), order_id=order.pk),
        "form": form,
    }
    return render(request, "outletdesk/confirm.html", context, status=status)


@role_required(Role.OUTLET_STAFF)
@require_http_methods(["GET", "POST"])
def handover(request: SignedInRequest) -> HttpResponse:
    """Type or scan the buyer's code; a code that releases an order here leads to its confirmation."""
    if request.method == "GET":
        return _handover_page(request, PickupCodeForm())
    form = PickupCodeForm(request.POST)
    if not form.is_valid():
        return _handover_page(request, form, status=400)
    code = form.cleaned_data["code"]
    try:
        order = order_for_pickup_code(code=code, outlet=own_outlet(request), by_user=request.user)
    except DomainError as error:
        form.add_error("code", pickup_refusal(error, code=code))
        return _handover_page(request, form, status=409)
    return _confirmation_page(request, order, HandOverForm(initial={"code": code}, cash_due=order.amount_due))


@role_required(Role.OUTLET_STAFF)
@require_POST
def handover_confirm(request: SignedInRequest) -> HttpResponse:
    """Hand the order over, taking the cash still due; refusals go back to the code or the cash field."""
    code_form = PickupCodeForm({"code": request.POST.get("code", "")})
    if not code_form.is_valid():
        return _handover_page(request, code_form, status=400)
    code = code_form.cleaned_data["code"]
    try:
        order = order_for_pickup_code(code=code, outlet=own_outlet(request), by_user=request.user)
    except DomainError as error:  # handed over meanwhile (a second tap), or no longer ready
        code_form.add_error("code", pickup_refusal(error, code=code))
        return _handover_page(request, code_form, status=409)
    form = HandOverForm(request.POST, cash_due=order.amount_due)
    if not form.is_valid():
        return _confirmation_page(request, order, form, status=400)
    cash_amount = form.cleaned_data.get("cash_amount")
    due = order.amount_due
    try:
        order = order_hand_over_with_cash(
            outlet=own_outlet(request), code=code, by_user=request.user, cash_amount=cash_amount
        )
    except DomainError as error:
        if error_code(error) == OrderErrorCode.CASH_AMOUNT_MISMATCH and "cash_amount" in form.fields:
            form.add_error("cash_amount", cash_refusal(order=order, entered=cash_amount))
            return _confirmation_page(request, order, form, status=409)
        code_form.add_error("code", pickup_refusal(error, code=code))
        return _handover_page(request, code_form, status=409)
    change = cash_change(due=due, cash_amount=cash_amount)
    if due > 0 and change:
        messages.success(
            request,
            _("Order #%(number)s handed over; %(received)s received for %(amount)s: give %(change)s change.")
            % {"number": order.number, "received": vnd(cash_amount), "amount": vnd(due), "change": vnd(change)},
        )
    elif due > 0:
        messages.success(
            request,
            _("Order #%(number)s handed over; %(amount)s cash received.")
            % {"number": order.number, "amount": vnd(due)},
        )
    else:
        messages.success(request, _("Order #%(number)s handed over.") % {"number": order.number})
    return redirect("outlet:order", order_id=order.pk)


def _not_for_sale_reason(row: Stock, today: datetime.date) -> str:
    """Why the gate does not list this stock row's product today, in the staff's language."""
    return listing_reason_label(delisting_reason(current=row.variant.product.current_certification, today=today))


@role_required(Role.OUTLET_STAFF)
@require_GET
def stock(request: SignedInRequest) -> HttpResponse:
    """The outlet's stock; a product whose certificate no longer lists it is marked, with why and what to do."""
    today, outlet_id = local_today(), own_outlet_id(request)
    page = Paginator(selectors.outlet_stock(outlet_id=outlet_id, today=today), STOCK_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [
        (row, None if row.for_sale else _not_for_sale_reason(row, today))  # type: ignore[attr-defined]  # annotated
        for row in page.object_list
    ]
    in_transit = list(transfers_in_transit(outlet_id=outlet_id))
    context = {
        "outlet": own_outlet(request),
        "page": page,
        "rows": rows,
        "in_transit": in_transit,
        "not_for_sale": selectors.not_for_sale_count(outlet_id=outlet_id, today=today),
    }
    return render(request, "outletdesk/stock.html", context)
