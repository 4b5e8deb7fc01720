"""What the checkout type (storefront_api/checkout/types.py) asks payments: the gateways it may use, its
transactions, and Saleor's charge and authorize statuses (as enum names: "NONE", "PARTIAL", "FULL",
"OVERCHARGED", which graphene maps onto the enum member of that name). Re-exported by payment/types.py.

The statuses read `checkout.transactions.all()`, so a prefetch of "transactions" serves all of them.
"""

from __future__ import annotations

from marketplace.checkout.models import Checkout
from payments.gateways import PaymentGateway, available_gateways
from payments.models import TransactionItem
from payments.selectors import payment_totals


def resolve_available_payment_gateways(checkout: Checkout) -> list[PaymentGateway]:
    return available_gateways(currency=checkout.currency)


def resolve_checkout_transactions(checkout: Checkout) -> list[TransactionItem]:
    return list(checkout.transactions.all())


def checkout_charge_status(checkout: Checkout, total: int) -> str:
    """Saleor's CheckoutChargeStatusEnum value: NONE, PARTIAL, FULL or OVERCHARGED."""
    _, charged = payment_totals(checkout.transactions.all())
    if charged > total:
        return "OVERCHARGED"
    if charged == total:
        return "FULL"
    return "PARTIAL" if charged > 0 else "NONE"


def checkout_authorize_status(checkout: Checkout, total: int) -> str:
    """Saleor's CheckoutAuthorizeStatusEnum value: what is authorized or charged against the total."""
    authorized, charged = payment_totals(checkout.transactions.all())
    covered = authorized + charged
    if covered >= total:
        return "FULL"
    return "PARTIAL" if covered > 0 else "NONE"
