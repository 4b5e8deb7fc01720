"""Deliveries in the producer portal (issue 15): the cooperative announces what it brings to which outlet and when,
follows each announcement, cancels one not yet received, and after the receipt sees what the outlet counted: the
discrepancy line by line. Only the cooperative's own deliveries: another's answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from marketplace.accounts.models import Role
from marketplace.core.dates import local_today
from marketplace.core.errors import DomainError
from marketplace.deliveries import selectors
from marketplace.deliveries.models import Delivery
from marketplace.deliveries.services import delivery_announce, delivery_cancel
from web.access import SignedInRequest, own_producer_id, role_required
from web.delivery_refusals import delivery_refusal
from web.portal.forms import DeliveryAnnouncementForm

DELIVERIES_PER_PAGE = 20


def _own_delivery(request: SignedInRequest, delivery_id: int) -> Delivery:
    delivery = selectors.producer_delivery(producer_id=own_producer_id(request), delivery_id=delivery_id)
    if delivery is None:
        raise Http404
    return delivery


@require_GET
@role_required(Role.PRODUCER_STAFF)
def deliveries(request: SignedInRequest) -> HttpResponse:
    page = Paginator(selectors.producer_deliveries(producer_id=own_producer_id(request)), DELIVERIES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "portal/deliveries.html", {"page": page, "portal_section": "deliveries"})


@require_http_methods(["GET", "POST"])
@role_required(Role.PRODUCER_STAFF)
def delivery_announce_page(request: SignedInRequest) -> HttpResponse:
    """The announcement: an outlet, a day, and the quantities of the cooperative's listed products."""
    producer = request.user.producer
    if producer is None:  # role_required turned staff without a producer away
        raise Http404
    variants = list(selectors.producer_deliverable_variants(producer_id=producer.pk, today=local_today()))
    form = DeliveryAnnouncementForm(request.POST or None, variants=variants, outlets=selectors.receiving_outlets())
    if request.method == "POST" and form.is_valid():
        try:
            delivery = delivery_announce(
                producer=producer,
                outlet=form.cleaned_data["outlet"],
                by_user=request.user,
                expected_on=form.cleaned_data["expected_on"],
                lines=form.lines(),
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                gettext("Delivery %(number)s is announced to %(outlet)s.")
                % {"number": delivery.number, "outlet": delivery.outlet.name},
            )
            return redirect("portal:delivery", delivery_id=delivery.pk)
    status = 400 if form.errors else 200
    context = {"form": form, "portal_section": "deliveries", "today": local_today()}
    return render(request, "portal/delivery_announce.html", context, status=status)


@require_GET
@role_required(Role.PRODUCER_STAFF)
def delivery(request: SignedInRequest, delivery_id: int) -> HttpResponse:
    """One delivery: what was announced, its status, and after the receipt what came and the discrepancy."""
    context = {"delivery": _own_delivery(request, delivery_id), "portal_section": "deliveries"}
    return render(request, "portal/delivery.html", context)


@require_POST
@role_required(Role.PRODUCER_STAFF)
def delivery_cancel_view(request: SignedInRequest, delivery_id: int) -> HttpResponse:
    delivery = _own_delivery(request, delivery_id)
    try:
        delivery_cancel(delivery=delivery, by_user=request.user)
    except DomainError as error:
        for detail in error.details:
            messages.error(request, delivery_refusal(detail))
    else:
        messages.success(request, gettext("Delivery %(number)s is canceled.") % {"number": delivery.number})
    return redirect("portal:delivery", delivery_id=delivery.pk)
