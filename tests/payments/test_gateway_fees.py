"""The gateways' fees in the payout ledger: recorded by payments on each charge, once, as the platform's cost."""

from __future__ import annotations

import pytest
from django.db.models import Sum

from marketplace.ledger.models import AccountKind, Posting
from payments.checkout import checkout_complete, gateway_fees_post, order_totals_refresh
from payments.models import CreditSource, Gateway
from payments.services import transaction_initialize
from payments.transfers import credit_receive
from tests.payments.test_payments import PRICE, make_checkout, pay_by_card
from tests.payments.test_payments import graphql as graphql  # the API client of those tests (a fixture)
from tests.payments.test_transfers import credit

pytestmark = pytest.mark.usefixtures("stripe_settings")


def fees() -> int:
    return Posting.objects.filter(account__kind=AccountKind.GATEWAY_FEES).aggregate(total=Sum("amount"))["total"] or 0


@pytest.mark.django_db
def test_a_card_charge_records_stripes_fee_once(graphql, settings):
    settings.OCOP_GATEWAY_FEES = {Gateway.STRIPE.value: ("3.0", 0)}
    checkout = make_checkout()
    pay_by_card(graphql, checkout)

    order = checkout_complete(token=checkout.token, user=None)
    order_totals_refresh(order=order)
    gateway_fees_post(order=order)

    assert fees() == 4_500  # 3 % of 150.000 ₫


@pytest.mark.django_db
def test_a_transfer_or_cash_costs_no_fee_unless_the_schedule_says_so(settings):
    settings.OCOP_GATEWAY_FEES = {Gateway.STRIPE.value: ("3.0", 0)}
    cash = make_checkout()
    transaction_initialize(checkout=cash, gateway_id=Gateway.CASH.value)
    checkout_complete(token=cash.token, user=None)
    transfer = make_checkout()
    transaction_initialize(checkout=transfer, gateway_id=Gateway.VIETQR.value)
    order = checkout_complete(token=transfer.token, user=None)
    credit_receive(credit(PRICE, f"OCOP {order.number}"), source=CreditSource.NOTIFICATION)
    assert fees() == 0

    settings.OCOP_GATEWAY_FEES = {Gateway.VIETQR.value: ("0", 1_100)}  # a bank that charges per credit
    second = make_checkout()
    transaction_initialize(checkout=second, gateway_id=Gateway.VIETQR.value)
    order = checkout_complete(token=second.token, user=None)
    credit_receive(credit(PRICE, f"OCOP {order.number}"), source=CreditSource.NOTIFICATION)
    assert fees() == 1_100
