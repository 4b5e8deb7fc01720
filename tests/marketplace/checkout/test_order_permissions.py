"""Each role against each order operation: deny by default, scoped where allowed."""

from __future__ import annotations

import pytest
from django.test import Client

from marketplace.core.errors import DomainError
from marketplace.orders.error_codes import OrderErrorCode
from marketplace.orders.models import Order, OrderStatus
from marketplace.orders.services import order_mark_ready_for_pickup
from storefront_api.core.ids import global_id
from tests.factories import DEFAULT_PASSWORD, make_producer, make_user
from tests.marketplace.checkout.helpers import place_cash_pickup_order
from tests.marketplace.checkout.test_journey import READY, TOKEN
from tests.order_factories import make_delivery_order

ORDER = """
query Order($id: ID!) {
  order(id: $id) { number pickupCode lines { productName } fulfillments { producerName payout { amount } } }
}"""
ORDERS = "query { orders(first: 10) { totalCount edges { node { number lines { productName } } } } }"
CANCEL = "mutation Cancel($id: ID!) { orderCancel(id: $id) { order { stage } errors { field code message } } }"


@pytest.fixture
def order(shop) -> Order:
    """A cash order of coffee (producer A) and cashews (producer B) for pickup at the tourist site."""
    return place_cash_pickup_order(shop)


def _token(api, user) -> str:
    return api(TOKEN, {"email": user.email, "password": DEFAULT_PASSWORD})["tokenCreate"]["token"]


def _raw(api_client: Client, query: str, variables: dict, token: str | None) -> dict:
    import json

    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    response = api_client.post(
        "/graphql/", json.dumps({"query": query, "variables": variables}), content_type="application/json", **headers
    )
    return response.json()


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("consumer", False),
        ("producer_staff", False),
        ("trade_staff", False),
        ("other_outlet_staff", False),
        ("outlet_staff", True),
        ("operator", True),
    ],
)
def test_who_may_mark_an_order_ready(api, shop, order, who, allowed):
    user = {
        "other_outlet_staff": lambda: make_user("outlet_staff", outlet=shop.showroom),
        "outlet_staff": lambda: make_user("outlet_staff", outlet=shop.tourist_site),
        "producer_staff": lambda: make_user("producer_staff", producer=shop.coffee.producer),
    }.get(who, lambda: make_user(who))()
    body = _raw(Client(), READY, {"id": global_id("Order", order.pk)}, _token(api, user))
    if allowed:
        assert body["data"]["orderMarkReadyForPickup"]["order"]["stage"] == "READY_FOR_PICKUP"
    else:
        assert body["errors"][0]["extensions"]["exception"]["code"] == "PERMISSION_DENIED"
        assert Order.objects.get(pk=order.pk).status == OrderStatus.UNFULFILLED


def test_anonymous_cannot_act_on_orders(shop, order):
    body = _raw(Client(), READY, {"id": global_id("Order", order.pk)}, None)
    assert body["errors"][0]["extensions"]["exception"]["code"] == "PERMISSION_DENIED"


def test_a_producer_sees_only_its_own_lines_and_share(api, shop, order):
    staff = make_user("producer_staff", producer=shop.coffee.producer)
    token = _token(api, staff)
    seen = api(ORDER, {"id": global_id("Order", order.pk)}, token=token)["order"]
    assert [line["productName"] for line in seen["lines"]] == ["Cà phê hạt Robusta"]
    assert [f["producerName"] for f in seen["fulfillments"]] == ["HTX Cà phê Xuân Lộc"]
    assert seen["fulfillments"][0]["payout"]["amount"] == 142_500  # 150,000 less the 5 % commission
    assert seen["pickupCode"] is None
    listed = api(ORDERS, token=token)["orders"]
    assert listed["totalCount"] == 1
    assert [line["productName"] for line in listed["edges"][0]["node"]["lines"]] == ["Cà phê hạt Robusta"]

    other = _token(api, make_user("producer_staff", producer=make_producer()))
    assert api(ORDER, {"id": global_id("Order", order.pk)}, token=other)["order"] is None
    assert api(ORDERS, token=other)["orders"]["totalCount"] == 0


def test_outlet_staff_list_only_their_outlets_orders(api, shop, order):
    here = _token(api, make_user("outlet_staff", outlet=shop.tourist_site))
    there = _token(api, make_user("outlet_staff", outlet=shop.showroom))
    assert api(ORDERS, token=here)["orders"]["totalCount"] == 1
    assert api(ORDERS, token=there)["orders"]["totalCount"] == 0
    assert api(ORDERS)["orders"]["totalCount"] == 0  # anonymous: nothing


def test_buyers_cancel_their_own_orders_until_ready(api, shop, order):
    buyer = make_user("consumer")
    Order.objects.filter(pk=order.pk).update(user=buyer)
    stranger = _token(api, make_user("consumer"))
    body = _raw(Client(), CANCEL, {"id": global_id("Order", order.pk)}, stranger)
    assert body["errors"][0]["extensions"]["exception"]["code"] == "PERMISSION_DENIED"

    order_mark_ready_for_pickup(order=order, by_user=make_user("operator"))
    body = _raw(Client(), CANCEL, {"id": global_id("Order", order.pk)}, _token(api, buyer))
    assert body["errors"][0]["extensions"]["exception"]["code"] == "PERMISSION_DENIED"

    canceled = api(CANCEL, {"id": global_id("Order", order.pk)}, token=_token(api, make_user("operator")))
    assert canceled["orderCancel"]["order"]["stage"] == "CANCELED"


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("operator", True),
        ("outlet_staff", True),
        ("other_outlet_staff", False),
        ("producer_staff", False),
        ("trade_staff", False),
    ],
)
def test_the_back_office_order_pages(shop, order, who, sees):
    user = {
        "other_outlet_staff": lambda: make_user("outlet_staff", outlet=shop.showroom),
        "outlet_staff": lambda: make_user("outlet_staff", outlet=shop.tourist_site),
        "producer_staff": lambda: make_user("producer_staff", producer=shop.coffee.producer),
    }.get(who, lambda: make_user(who))()
    client = Client()
    client.force_login(user)
    response = client.get(f"/admin/orders/order/{order.pk}/change/")
    assert (response.status_code == 200) is sees
    if sees:
        assert "Cà phê hạt Robusta" in response.content.decode()
        assert client.post(f"/admin/orders/order/{order.pk}/delete/").status_code == 403
    shipping = client.get("/admin/shipping/shippingzone/")
    assert (shipping.status_code == 200) is (who == "operator")


def test_a_delivery_order_is_not_made_ready_for_pickup_even_by_an_operator(db):
    order = make_delivery_order(status=OrderStatus.UNFULFILLED)

    with pytest.raises(DomainError) as refused:
        order_mark_ready_for_pickup(order=order, by_user=make_user("operator"))

    assert refused.value.details[0].code == OrderErrorCode.INVALID
    order.refresh_from_db()
    assert order.status == OrderStatus.UNFULFILLED
