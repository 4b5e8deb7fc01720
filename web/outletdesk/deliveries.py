"""Deliveries in the outlet console (issue 15): what cooperatives announced for this outlet, and the receipt of what
actually came, announced or not.

The receipt page is one form: a row per announced line (the quantity received, and the lot and best-before date,
prefilled from the announcement), rows for goods nobody announced (found by name or SKU and added with the page's
own buttons, which send the whole form back so nothing typed is lost; "Find" is the form's first button, so
Enter in any field searches rather than records the receipt), a note, and the form's idempotency key, drawn
with the page: a receipt sent twice is made once. The receipt itself is
`marketplace.deliveries.services.delivery_receive` (or `delivery_receive_unannounced` for a walk-in delivery).
"""

from __future__ import annotations

import dataclasses
import re
import uuid

from django.contrib import messages
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from marketplace.accounts.models import Role
from marketplace.catalogue.models import ProductVariant
from marketplace.core.dates import local_today
from marketplace.core.errors import DomainError
from marketplace.deliveries import selectors
from marketplace.deliveries.error_codes import DeliveryErrorCode
from marketplace.deliveries.models import Delivery, DeliveryLine, DeliveryStatus
from marketplace.deliveries.services import ReceivedLine, delivery_receive, delivery_receive_unannounced
from web.access import SignedInRequest, own_outlet, own_outlet_id, role_required
from web.delivery_refusals import delivery_refusal
from web.outletdesk.forms import DeliveryReceiptForm, ReceivedLineForm, UnannouncedLineForm

RECEIVED_SHOWN = 20
MAX_ADDED_ROWS = 50  # rows for goods nobody announced on one receipt
_EXTRA = re.compile(r"^extra-([0-9]+)-variant$")


@role_required(Role.OUTLET_STAFF)
@require_GET
def deliveries(request: SignedInRequest) -> HttpResponse:
    """Deliveries announced for this outlet (by the day expected) and the latest received."""
    outlet_id = own_outlet_id(request)
    context = {
        "outlet": own_outlet(request),
        "today": local_today(),
        "expected": list(selectors.outlet_deliveries(outlet_id=outlet_id, status=DeliveryStatus.ANNOUNCED)),
        "received": list(
            selectors.outlet_deliveries(outlet_id=outlet_id, status=DeliveryStatus.RECEIVED)[:RECEIVED_SHOWN]
        ),
    }
    return render(request, "outletdesk/deliveries.html", context)


@dataclasses.dataclass
class ExtraRow:
    form: UnannouncedLineForm
    variant: ProductVariant
    index: int


@dataclasses.dataclass
class Receipt:
    """The receipt form as sent (or first drawn): its own fields, a form per announced line, the added rows."""

    form: DeliveryReceiptForm
    announced: list[tuple[DeliveryLine, ReceivedLineForm]]
    extras: list[ExtraRow]

    def is_valid(self) -> bool:
        forms = [self.form, *(form for _, form in self.announced), *(row.form for row in self.extras)]
        return all([form.is_valid() for form in forms])

    def lines(self) -> list[ReceivedLine]:
        return [
            *(
                ReceivedLine(
                    line_id=line.pk,
                    quantity=form.cleaned_data["quantity"],
                    lot=form.cleaned_data["lot"],
                    best_before=form.cleaned_data["best_before"],
                )
                for line, form in self.announced
            ),
            *(
                ReceivedLine(
                    variant_id=row.variant.pk,
                    quantity=row.form.cleaned_data["quantity"],
                    lot=row.form.cleaned_data["lot"],
                    best_before=row.form.cleaned_data["best_before"],
                )
                for row in self.extras
            ),
        ]


def _id(text: str) -> int | None:
    """A row's number or a database id as the form sends it (ASCII digits, within a bigint), else None."""
    if not text.isascii() or not text.isdecimal() or len(text) > 18:
        return None
    return int(text)


def _announced_lines(delivery: Delivery | None) -> list[DeliveryLine]:
    return [line for line in delivery.lines.all() if line.was_announced] if delivery is not None else []


def _first_receipt(delivery: Delivery | None) -> Receipt:
    """The form as first drawn: every announced line prefilled from the announcement."""
    announced = []
    for line in _announced_lines(delivery):
        initial = {
            "quantity": line.quantity_announced,
            "lot": line.lot_announced,
            "best_before": line.best_before_announced,
        }
        announced.append((line, ReceivedLineForm(initial=initial, prefix=f"line-{line.pk}")))
    return Receipt(DeliveryReceiptForm(initial={"key": uuid.uuid4().hex}), announced, [])


def _sent_receipt(delivery: Delivery | None, data: QueryDict) -> Receipt:
    """The form as sent back, with the row a button added or removed."""
    data = data.copy()
    action = str(data.get("action", ""))
    indices = sorted(index for name in data if (match := _EXTRA.match(name)) and (index := _id(match[1])) is not None)
    removed = _id(action.removeprefix("remove-")) if action.startswith("remove-") else None
    indices = [index for index in indices if index != removed][:MAX_ADDED_ROWS]
    added = _id(str(data.get("add", ""))) if action != "receive" else None  # "Add" is a button of its own
    if added is not None and len(indices) < MAX_ADDED_ROWS:
        index = max(indices, default=-1) + 1
        data[f"extra-{index}-variant"], data[f"extra-{index}-quantity"] = str(added), ""
        indices.append(index)
    variant_ids = {}
    for index in indices:
        variant_id = _id(str(data.get(f"extra-{index}-variant", "")))
        if variant_id is not None:
            variant_ids[index] = variant_id
    variants = selectors.variants_by_id(variant_ids=list(variant_ids.values()))
    extras = [
        ExtraRow(UnannouncedLineForm(data, prefix=f"extra-{index}"), variants[variant_id], index)
        for index, variant_id in variant_ids.items()
        if variant_id in variants
    ]
    announced = [(line, ReceivedLineForm(data, prefix=f"line-{line.pk}")) for line in _announced_lines(delivery)]
    return Receipt(DeliveryReceiptForm(data), announced, extras)


def _receipt_page(
    request: SignedInRequest,
    delivery: Delivery | None,
    receipt: Receipt,
    *,
    refusals: list[str] | None = None,
    show_errors: bool = False,
    status: int = 200,
) -> HttpResponse:
    added = "add" in request.POST  # a row was just added: the search is done
    query = request.POST.get("q", "").strip() if request.method == "POST" and not added else ""
    results = (
        selectors.deliverable_variants(
            query=query, today=local_today(), producer_id=delivery.producer_id if delivery is not None else None
        )
        if query
        else []
    )
    context = {
        "outlet": own_outlet(request),
        "delivery": delivery,
        "receipt": receipt,
        "query": query,
        "results": results,
        "refusals": refusals or [],
        "show_errors": show_errors,
    }
    return render(request, "outletdesk/delivery_receive.html", context, status=status)


def _receive(request: SignedInRequest, delivery: Delivery | None) -> HttpResponse:
    """GET: the form; POST: a button's change to the form, or the receipt."""
    if request.method == "GET":
        return _receipt_page(request, delivery, _first_receipt(delivery))
    receipt = _sent_receipt(delivery, request.POST)
    if request.POST.get("action") != "receive":
        return _receipt_page(request, delivery, receipt)
    if not receipt.is_valid():
        return _receipt_page(request, delivery, receipt, show_errors=True, status=400)
    key, note = receipt.form.cleaned_data["key"], receipt.form.cleaned_data["note"]
    try:
        if delivery is None:
            delivery = delivery_receive_unannounced(
                outlet=own_outlet(request), by_user=request.user, lines=receipt.lines(), idempotency_key=key, note=note
            )
        else:
            delivery = delivery_receive(
                delivery=delivery, by_user=request.user, lines=receipt.lines(), idempotency_key=key, note=note
            )
    except DomainError as error:
        codes = {str(detail.code) for detail in error.details}
        if delivery is not None and codes & {DeliveryErrorCode.ALREADY_RECEIVED, DeliveryErrorCode.CANCELED}:
            for detail in error.details:
                messages.error(request, delivery_refusal(detail))
            return redirect("outlet:delivery", delivery_id=delivery.pk)
        refusals = [delivery_refusal(detail) for detail in error.details]
        return _receipt_page(request, delivery, receipt, refusals=refusals, show_errors=True, status=400)
    messages.success(request, _("Delivery %(number)s is received; the stock is updated.") % {"number": delivery.number})
    return redirect("outlet:delivery", delivery_id=delivery.pk)


@role_required(Role.OUTLET_STAFF)
@require_http_methods(["GET", "POST"])
def delivery(request: SignedInRequest, delivery_id: int) -> HttpResponse:
    """One of this outlet's deliveries: its receipt form while announced; what came and the discrepancy after."""
    found = selectors.outlet_delivery(outlet_id=own_outlet_id(request), delivery_id=delivery_id)
    if found is None:
        raise Http404
    if found.status == DeliveryStatus.ANNOUNCED or request.POST.get("action") == "receive":
        return _receive(request, found)  # a receipt sent again is answered by the service: made once
    if request.method == "POST":
        return redirect("outlet:delivery", delivery_id=found.pk)
    return render(request, "outletdesk/delivery.html", {"outlet": own_outlet(request), "delivery": found})


@role_required(Role.OUTLET_STAFF)
@require_http_methods(["GET", "POST"])
def delivery_new(request: SignedInRequest) -> HttpResponse:
    """Goods a cooperative brought without announcing them."""
    return _receive(request, None)
