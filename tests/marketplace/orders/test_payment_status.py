"""Saleor's legacy payment status of an order, read from what the order records."""

import pytest

from marketplace.orders.models import ChargeStatus, Order, OrderStatus, PaymentMethod
from marketplace.orders.payment_status import PaymentStatus, order_payment_status


def _order(**kw) -> Order:
    values = {
        "status": OrderStatus.UNFULFILLED,
        "payment_method": PaymentMethod.CARD,
        "charge_status": ChargeStatus.NONE,
        "total_amount": 300_000,
        "total_charged_amount": 0,
        "total_refunded_amount": 0,
        **kw,
    }
    return Order(**values)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"payment_method": PaymentMethod.CASH}, PaymentStatus.NOT_CHARGED),
        ({"status": OrderStatus.UNCONFIRMED}, PaymentStatus.PENDING),
        ({"status": OrderStatus.CANCELED}, PaymentStatus.CANCELLED),
        ({"charge_status": ChargeStatus.PARTIAL, "total_charged_amount": 100_000}, PaymentStatus.PARTIALLY_CHARGED),
        ({"charge_status": ChargeStatus.FULL, "total_charged_amount": 300_000}, PaymentStatus.FULLY_CHARGED),
        ({"charge_status": ChargeStatus.OVERCHARGED, "total_charged_amount": 310_000}, PaymentStatus.FULLY_CHARGED),
        (
            {"charge_status": ChargeStatus.FULL, "total_charged_amount": 300_000, "total_refunded_amount": 50_000},
            PaymentStatus.PARTIALLY_REFUNDED,
        ),
        (
            {
                "status": OrderStatus.CANCELED,
                "charge_status": ChargeStatus.FULL,
                "total_charged_amount": 300_000,
                "total_refunded_amount": 300_000,
            },
            PaymentStatus.FULLY_REFUNDED,
        ),
    ],
)
def test_payment_status(fields, expected):
    assert order_payment_status(_order(**fields)) == expected


def test_the_values_are_saleors():
    assert [status.value for status in PaymentStatus] == [
        "not-charged",
        "pending",
        "partially-charged",
        "fully-charged",
        "partially-refunded",
        "fully-refunded",
        "refused",
        "cancelled",
    ]
