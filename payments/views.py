"""Stripe's webhook endpoint: the raw body and its Stripe-Signature go to the service untouched."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from payments import stripe as stripe_gateway
from payments.services import handle_stripe_webhook

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
