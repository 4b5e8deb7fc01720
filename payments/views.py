"""The webhook endpoints: Stripe's, and the bank-notification service's. Each raw body and its signature go to
the services untouched."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from payments import stripe as stripe_gateway
from payments.models import CreditSource
from payments.services import handle_stripe_webhook
from payments.transfers import credit_receive
from payments.vietqr import notifications

logger = logging.getLogger(__name__)


@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    """200 when the event is applied or known already; 400 for a bad signature or body (Stripe does not
    retry those); 503 when Stripe could not be asked for the payment's state (Stripe delivers again later)."""
    try:
        outcome = handle_stripe_webhook(
            payload=request.body, signature_header=request.headers.get("Stripe-Signature", "")
        )
    except (stripe_gateway.InvalidWebhookSignature, stripe_gateway.InvalidWebhookPayload) as error:
        logger.warning("Stripe webhook refused: %s", error)
        return HttpResponseBadRequest("Invalid signature or payload.")
    except stripe_gateway.StripeGatewayError as error:
        logger.warning("Stripe webhook not applied, Stripe will retry: %s", error)
        return HttpResponse("Stripe unavailable; deliver again later.", status=503)
    return JsonResponse({"received": True, "outcome": outcome.value})


@csrf_exempt
@require_POST
def bank_webhook(request: HttpRequest) -> HttpResponse:
    """A credit to the collection account, from the bank-notification service (`payments.vietqr.notifications`).

    200 with what became of each credit (a repeated notification is answered the same, and applied once); 401 for
    a missing, wrong or stale signature; 400 for a body that is not a notification (the service should not retry
    either). The service retries anything else, so an error inside leaves nothing half-written."""
    try:
        notifications.verify(request.body, request.headers.get(notifications.SIGNATURE_HEADER, ""))
    except notifications.SignatureInvalid as error:
        logger.warning("Bank notification refused: %s", error)
        return JsonResponse({"success": False, "error": str(error)}, status=401)
    try:
        credits, skipped = notifications.credits_of(request.body)
    except notifications.NotificationInvalid as error:
        logger.warning("Bank notification unreadable: %s", error)
        return JsonResponse({"success": False, "error": str(error)}, status=400)
    results = []
    for credit in credits:
        row, created = credit_receive(credit, source=CreditSource.NOTIFICATION)
        results.append({"reference": row.bank_reference, "status": row.status, "new": created})
    return JsonResponse({"success": True, "credits": results, "skipped": skipped})
