"""Writes of the cart and checkout pages. Each hands over to the domain's services
(`marketplace.checkout.services`, `payments.services`, `payments.checkout`) and only puts them in order.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from django.db import transaction

from marketplace.accounts.address_validation import AddressInvalid, validate_address
from marketplace.accounts.models import User
from marketplace.channel.selectors import default_channel
from marketplace.checkout.error_codes import CheckoutErrorCode
from marketplace.checkout.models import Checkout
from marketplace.checkout.selectors import checkout_info
from marketplace.checkout.services import (
    LineRequest,
    checkout_create,
    checkout_delivery_method_update,
    checkout_email_update,
    checkout_lines_add,
    checkout_shipping_address_update,
)
from marketplace.core.errors import DomainError, ErrorDetail
from marketplace.orders.models import Order
from payments.checkout import checkout_complete
from payments.gateways import StripeGateway
from payments.models import Gateway, TransactionEventType, TransactionItem
from payments.services import transaction_initialize, transaction_process

# validate_address and the address form both name fields as the model does; the form has no country
# (only Vietnam), so a problem with the country is shown on the province.
FORM_FIELD_OF_ADDRESS_FIELD = {"country": "country_area"}


def cart_add_variant(
    *, checkout: Checkout | None, variant_id: int, quantity: int, user: User | None, language_code: str
) -> Checkout:
    """Adds `quantity` of the variant to the cart, opening a checkout in the default channel when there is none."""
    lines = [LineRequest(variant_id=variant_id, quantity=quantity)]
    if checkout is None:
        return checkout_create(
            channel=default_channel(), lines=lines, email=None, language_code=language_code, user=user
        )
    return checkout_lines_add(checkout=checkout, lines=lines)


@dataclasses.dataclass(frozen=True)
class CheckoutChoices:
    """What the buyer filled in on the checkout page."""

    email: str
    outlet_id: int | None  # pickup at this outlet…
    shipping_method_id: int | None  # …or home delivery by this method, to `address`
    address: dict[str, Any]  # the address form's values (model field names); only for home delivery


def checkout_choices_save(*, checkout: Checkout, choices: CheckoutChoices) -> Checkout:
    """Sets the e-mail, and the pickup outlet or the delivery address and method, all or nothing.

    The address and the delivery method are checked together, so that every problem is reported at once;
    each refusal names the form field it belongs to (`email`, `delivery`, `shipping_method` or an address
    field).
    """
    if choices.outlet_id is not None:
        outlet_id = choices.outlet_id
        with transaction.atomic():
            checkout = checkout_email_update(checkout=checkout, email=choices.email)
            return _with_field(
                "delivery", lambda: checkout_delivery_method_update(checkout=checkout, outlet_id=outlet_id)
            )
    address_values = _delivery_address(choices)
    with transaction.atomic():
        checkout = checkout_email_update(checkout=checkout, email=choices.email)
        checkout = checkout_shipping_address_update(checkout=checkout, address_values=address_values)
        return _with_field(
            "shipping_method",
            lambda: checkout_delivery_method_update(checkout=checkout, shipping_method_id=choices.shipping_method_id),
        )


def _delivery_address(choices: CheckoutChoices) -> dict[str, str]:
    """The delivery address's values, validated; its problems and a missing delivery method are refused at once."""
    method_missing = (
        [ErrorDetail("Choose a delivery method.", CheckoutErrorCode.SHIPPING_METHOD_NOT_SET, "shipping_method")]
        if choices.shipping_method_id is None
        else []
    )
    try:
        address_values = validate_address(choices.address)
    except AddressInvalid as invalid:
        raise DomainError(details=[*_address_problems(invalid), *method_missing]) from None
    if method_missing:
        raise DomainError(details=method_missing)
    return address_values


def _address_problems(invalid: AddressInvalid) -> list[ErrorDetail]:
    """The address's problems, each on the checkout form's field."""
    return [
        ErrorDetail(
            problem.message,
            CheckoutErrorCode(problem.code),
            FORM_FIELD_OF_ADDRESS_FIELD.get(problem.field, problem.field),
        )
        for problem in invalid.problems
    ]


def _with_field(field: str, write: Callable[[], Checkout]) -> Checkout:
    """Runs a domain write, reporting its refusal on the page's form field `field`."""
    try:
        return write()
    except DomainError as error:
        raise DomainError(details=[dataclasses.replace(detail, field=field) for detail in error.details]) from None


def checkout_place_with_cash(*, checkout: Checkout, user: User | None) -> Order:
    """Cash at pickup or on delivery: the promise is recorded as a cash transaction, then the order placed
    (neither, when the order is refused)."""
    with transaction.atomic():
        transaction_initialize(checkout=checkout, gateway_id=Gateway.CASH.value, user=user)
        return checkout_complete(token=checkout.token, user=user)


def checkout_place_with_transfer(*, checkout: Checkout, user: User | None) -> Order:
    """A bank transfer: the transfer is opened (its reference carries the order's number) and the order placed
    awaiting it, its stock held (neither, when the order is refused). The order page shows the VietQR code."""
    with transaction.atomic():
        transaction_initialize(checkout=checkout, gateway_id=Gateway.VIETQR.value, user=user)
        return checkout_complete(token=checkout.token, user=user)


@dataclasses.dataclass(frozen=True)
class CardPayment:
    """A started Stripe payment and what the page's Stripe.js needs to confirm it."""

    transaction: TransactionItem
    client_secret: str
    publishable_key: str


def checkout_card_payment_start(*, checkout: Checkout, user: User | None) -> CardPayment:
    """Opens (or opens again) the Stripe payment of the checkout's total, with Stripe.js's keys (read from the
    gateway's answers as the storefront reads them: Saleor's Stripe app's shapes).

    The idempotency key holds the total, so reloading the page reuses the payment while the cart stays the
    same, and a changed cart gets a payment of its new total.
    """
    item, _event, data = transaction_initialize(
        checkout=checkout, gateway_id=Gateway.STRIPE.value, user=user, idempotency_key=_card_key(checkout)
    )
    intent = (data or {}).get("paymentIntent") or {}
    session = StripeGateway().session_data()
    return CardPayment(
        transaction=item,
        client_secret=intent.get("stripeClientSecret", ""),
        publishable_key=session.get("stripePublishableKey", ""),
    )


def checkout_card_payment_finish(*, checkout: Checkout, user: User | None, payment_method: str = "") -> Order:
    """After Stripe.js: the payment's state is read from Stripe (or, given a payment method, the payment is
    confirmed with it, which is what the page does with localstripe's stand-in for Stripe.js), then the
    order is placed. A declined card is refused with Stripe's reason (PAYMENT_ERROR)."""
    item = TransactionItem.objects.filter(
        checkout=checkout, gateway=Gateway.STRIPE, idempotency_key=_card_key(checkout)
    ).first()
    if item is None:
        raise DomainError(
            "The cart changed since the card payment started.", code=CheckoutErrorCode.NOT_FOUND, field="payment"
        )
    item, _event, data = transaction_process(
        transaction=item, data={"paymentMethod": payment_method} if payment_method else None
    )
    refusal = _refusal(data)
    if refusal is not None:
        raise DomainError(refusal, code=CheckoutErrorCode.PAYMENT_ERROR, field="payment")
    return checkout_complete(token=checkout.token, user=user)


def _refusal(data: dict[str, Any] | None) -> str | None:
    """Why Stripe refused the payment (`paymentIntent.errors`, Saleor's Stripe app's shape), if it did."""
    errors = ((data or {}).get("paymentIntent") or {}).get("errors") or []
    return str(errors[0].get("message") or "") if errors else None


def _card_key(checkout: Checkout) -> str:
    """One payment per cart total, and a new one after each declined attempt (localstripe cannot confirm a
    payment again once its charge failed; Stripe could, and a fresh payment does no harm there)."""
    declined = (
        TransactionItem.objects.filter(
            checkout=checkout, gateway=Gateway.STRIPE, events__type=TransactionEventType.CHARGE_FAILURE
        )
        .distinct()
        .count()
    )
    return f"web-card-{checkout_info(checkout=checkout).total}-{declined}"
