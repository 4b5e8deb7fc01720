"""Ledger test helpers: orders of the checkout tests' shop placed through the real checkout, then paid, handed
over, shipped, refunded and paid out through the domain's own services."""

from __future__ import annotations

from django.db import connection
from django.db.models import Sum

from marketplace.accounts.address_validation import validate_address
from marketplace.accounts.models import Role, User
from marketplace.checkout.services import (
    checkout_add_promo_code,
    checkout_delivery_method_update,
    checkout_shipping_address_update,
)
from marketplace.ledger.models import AccountKind, JournalEntry, PayoutDetails, Posting
from marketplace.ledger.payouts import payout_details_update
from marketplace.orders.models import Fulfillment, Order
from marketplace.orders.services import (
    fulfillment_mark_shipped,
    order_hand_over,
    order_mark_ready_for_pickup,
    order_payment_update,
)
from marketplace.producers.models import Producer
from tests.factories import make_user
from tests.marketplace.checkout.helpers import Shop
from tests.marketplace.discounts.helpers import pay_cash_and_complete, shop_checkout

ADDRESS = {
    "first_name": "Lan",
    "last_name": "Trần",
    "street_address_1": "25 Đường Võ Thị Sáu",
    "city": "26041",  # Phường Trấn Biên
    "country_area": "75",  # Đồng Nai, where the shop's delivery zone is
    "phone": "0912345678",
}


def operator() -> User:
    return User.objects.filter(role=Role.OPERATOR).first() or make_user(Role.OPERATOR)


def place(shop: Shop, *, coffee: int = 1, cashew: int = 1, code: str = "", delivery: bool = False) -> Order:
    """A cash order of the shop's coffee (producer A) and cashew (producer B): pickup at the tourist site, or
    delivered home; with the voucher of `code` if given."""
    checkout = shop_checkout(shop, coffee=coffee, cashew=cashew)
    if delivery:
        checkout.collection_point = None
        checkout.save()
        checkout = checkout_shipping_address_update(checkout=checkout, address_values=validate_address(ADDRESS))
        checkout = checkout_delivery_method_update(checkout=checkout, shipping_method_id=shop.standard.pk)
    if code:
        checkout = checkout_add_promo_code(checkout=checkout, promo_code=code)
    return Order.objects.get(pk=pay_cash_and_complete(checkout).pk)


def pay(order: Order) -> Order:
    """The buyer pays whatever is due (after a refund, the refunded part again)."""
    order.refresh_from_db()
    charged = max(order.total_charged_amount, order.total_amount + order.total_refunded_amount)
    return order_payment_update(order=order, authorized=0, charged=charged, refunded=order.total_refunded_amount)


def refund(order: Order, amount: int) -> Order:
    order.refresh_from_db()
    return order_payment_update(
        order=order,
        authorized=0,
        charged=order.total_charged_amount,
        refunded=order.total_refunded_amount + amount,
    )


def hand_over(order: Order) -> Order:
    """Pay, make ready and hand over a pickup order."""
    order = pay(order)
    order = order_mark_ready_for_pickup(order=order, by_user=operator())
    return order_hand_over(order=order, by_user=operator())


def ship(fulfillment: Fulfillment) -> Order:
    return fulfillment_mark_shipped(fulfillment=fulfillment, by_user=operator(), tracking_number="VN123")


def give_bank_details(producer: Producer) -> PayoutDetails:
    return payout_details_update(
        producer=producer,
        by_user=operator(),
        bank_bin="970436",
        bank_name="Vietcombank",
        account_number="0071 0012 34567",
        account_holder="Hợp tác xã Đồng Tiến",
    )


def payable_sum(producer_id: int) -> int:
    """The sum of the postings on the producer's payable (sales credit it: negative while the producer is owed)."""
    return (
        Posting.objects.filter(account__kind=AccountKind.PRODUCER_PAYABLE, account__producer_id=producer_id).aggregate(
            total=Sum("amount")
        )["total"]
        or 0
    )


def check_balanced() -> None:
    """Every entry adds up to zero (asked of the database: its deferred trigger too) and so does the ledger."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ledger_posting_balanced IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ledger_posting_balanced DEFERRED")
    assert (Posting.objects.aggregate(total=Sum("amount"))["total"] or 0) == 0
    unbalanced = JournalEntry.objects.annotate(total=Sum("postings__amount")).exclude(total=0)
    assert list(unbalanced.values_list("key", "total")) == []
