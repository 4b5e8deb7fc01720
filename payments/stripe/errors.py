"""What can go wrong at the Stripe edge, in the marketplace's words. Nothing outside payments/stripe/ sees stripe's."""

from __future__ import annotations


class StripeGatewayError(Exception):
    """Stripe refused or failed a request. `code` is Stripe's error code when it sent one."""

    def __init__(self, message: str, *, code: str | None = None, http_status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.http_status = http_status


class CardDeclined(StripeGatewayError):
    """The card was refused. `message` may be shown to the buyer; `decline_code` is the bank's reason when known."""

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        decline_code: str | None = None,
        payment_intent_id: str | None = None,
        http_status: int | None = 402,
    ) -> None:
        super().__init__(message, code=code, http_status=http_status)
        self.decline_code = decline_code
        self.payment_intent_id = payment_intent_id


class StripeUnavailable(StripeGatewayError):
    """Stripe could not be reached, timed out, rate-limited us or answered 5xx: try again later, same key."""


class IdempotencyKeyReused(StripeGatewayError):
    """An idempotency key was sent again with different parameters: a bug in the caller, not a transient failure."""


class InvalidWebhookSignature(StripeGatewayError):
    """A webhook whose Stripe-Signature does not match the body under our secret, or is older than the tolerance."""


class InvalidWebhookPayload(StripeGatewayError):
    """A correctly signed webhook whose body is not a Stripe event (not JSON, or no id/type/data.object)."""
