"""The role matrix over the storefront API: each role against objects of its own and of others.

Roles: a visitor, consumers A and B, the staff of producer A (coffee) and of producer B (cashews), the staff
of outlet A (the tourist site, where every order here is collected) and of outlet B (the showroom), trade
staff and an operator (`tests/storefront_api/fuzzing.py`'s world). Each table says who may read or change
what; everyone else must get nothing (null, an empty list, or a refusal) and leave the rows as they were.
Guessed ids (sequential numbers, other types' ids, random UUIDs) and tokens that must not authenticate
(expired, `alg: none`, another key, issued before a password change) are tried too.

An order's id is its receipt (`marketplace.orders.privacy`, tests/storefront_api/test_order_receipt.py):
whoever holds it reads the order with its buyer masked; the matrix checks who reads it in full.
"""

from __future__ import annotations

import base64
import datetime
import json
import uuid
from typing import Any

import jwt as pyjwt
import pytest
from django.db import transaction
from django.test import Client
from graphql_relay import to_global_id

from marketplace.accounts.models import Address
from marketplace.checkout.models import Checkout
from marketplace.orders.models import Fulfillment, Order
from marketplace.orders.services import order_mark_ready_for_pickup
from payments.models import TransactionItem
from tests.factories import DEFAULT_PASSWORD
from tests.storefront_api.fuzzing import World, access_token, build_world

ROLES = (
    "anonymous",
    "consumer",
    "consumer_b",
    "producer_staff",
    "producer_staff_b",
    "outlet_staff",
    "outlet_staff_b",
    "trade_staff",
    "operator",
)
OWNED = ("consumer", "consumer_b", "guest")


@pytest.fixture
def world(shop) -> World:
    return build_world(shop)


def ask(world: World, role: str, query: str, variables: dict | None = None, *, token: str | None = None) -> dict:
    token = token if token is not None else world.tokens.get(role)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    response = Client().post(
        "/graphql/",
        json.dumps({"query": query, "variables": variables or {}}),
        content_type="application/json",
        **headers,
    )
    assert response.status_code < 500, response.content
    return response.json()


def as_role(world: World, role: str, query: str, variables: dict | None = None) -> dict:
    """Sends in a savepoint rolled back afterwards: every role meets the same rows."""
    with transaction.atomic():
        body = ask(world, role, query, variables)
        transaction.set_rollback(True)
    return body


def gid(type_name: str, pk: Any) -> str:
    return to_global_id(type_name, str(pk))


def mismatches(found: dict[str, Any], expected: dict[str, Any]) -> list[str]:
    return [
        f"{role}: got {found[role]!r}, expected {expected[role]!r}" for role in ROLES if found[role] != expected[role]
    ]


# --- reading orders -------------------------------------------------------------------------------------------

ALL_ORDERS = frozenset(OWNED)
ORDER_READERS: dict[str, frozenset[str]] = {
    "anonymous": frozenset(),
    "consumer": frozenset({"consumer"}),
    "consumer_b": frozenset({"consumer_b"}),
    "producer_staff": ALL_ORDERS,  # every order holds a line of producer A's coffee
    "producer_staff_b": frozenset(),
    "outlet_staff": ALL_ORDERS,  # every order is collected at outlet A
    "outlet_staff_b": frozenset(),
    "trade_staff": frozenset(),
    "operator": ALL_ORDERS,
}
ORDER = "query($id: ID!) { order(id: $id) { number userEmail lines { productName } } }"
ORDERS = "{ orders(first: 50) { totalCount edges { node { number userEmail } } } }"


def _order_read(body: dict, order: Order) -> str:
    found = (body.get("data") or {}).get("order")
    if found is None:
        return "none"
    return "full" if found["userEmail"] == order.user_email else "masked"


def test_order_by_id_is_a_receipt_in_full_only_for_its_buyer_and_the_staff_it_concerns(world):
    """The id is the receipt (`marketplace.orders.privacy`): anyone holding it reads the order with its buyer
    masked; in full the buyer and the staff who may see the order; other staff nothing."""
    found, expected = {}, {}
    for role in ROLES:
        for owner, order in world.orders.items():
            body = as_role(world, role, ORDER, {"id": gid("Order", order.pk)})
            found[f"{role}/{owner}"] = _order_read(body, order)
            if owner in ORDER_READERS[role]:
                expected[f"{role}/{owner}"] = "full"
            elif role in ("anonymous", "consumer", "consumer_b"):
                expected[f"{role}/{owner}"] = "masked"
            else:
                expected[f"{role}/{owner}"] = "none"
    wrong = [f"{key}: {found[key]}, expected {expected[key]}" for key in found if found[key] != expected[key]]
    assert not wrong, wrong


def test_orders_lists_only_the_orders_each_role_may_see(world):
    numbers = {owner: order.number for owner, order in world.orders.items()}
    found = {}
    for role in ROLES:
        body = as_role(world, role, ORDERS)
        edges = ((body.get("data") or {}).get("orders") or {}).get("edges") or []
        found[role] = {edge["node"]["number"] for edge in edges}
    expected = {role: {str(numbers[owner]) for owner in ORDER_READERS[role]} for role in ROLES}
    assert not mismatches(found, expected), mismatches(found, expected)


# --- reading checkouts and accounts ---------------------------------------------------------------------------

CHECKOUT = "query($id: ID) { checkout(id: $id) { email lines { quantity } shippingAddress { streetAddress1 } } }"
CHECKOUT_BY_TOKEN = "query($token: UUID) { checkout(token: $token) { email } }"


def test_a_buyers_checkout_is_read_by_that_buyer_and_operators_a_guests_by_whoever_holds_its_id(world):
    found, expected = {}, {}
    for role in ROLES:
        for owner, checkout in world.checkouts.items():
            for query, variables in (
                (CHECKOUT, {"id": gid("Checkout", checkout.pk)}),
                (CHECKOUT_BY_TOKEN, {"token": str(checkout.pk)}),
            ):
                body = as_role(world, role, query, variables)
                key = f"{role}/{owner}/{next(iter(variables))}"
                found[key] = (body.get("data") or {}).get("checkout") is not None
                expected[key] = owner == "guest" or owner == role or role == "operator"
    wrong = [key for key in found if found[key] != expected[key]]
    assert not wrong, wrong


ME = "{ me { email addresses { id streetAddress1 } orders(first: 20) { edges { node { number } } } } }"


def test_me_shows_only_the_signed_in_users_own_addresses_orders_and_checkouts(world):
    for role in ROLES:
        me = (as_role(world, role, ME).get("data") or {}).get("me")
        if role == "anonymous":
            assert me is None
            continue
        user = world.users[role]
        assert me["email"] == user.email
        assert {a["id"] for a in me["addresses"]} == {gid("Address", a.pk) for a in user.addresses.all()}
        assert {e["node"]["number"] for e in me["orders"]["edges"]} == {
            str(order.number) for owner, order in world.orders.items() if owner == role
        }


# --- changing a buyer's checkout ------------------------------------------------------------------------------

ADDRESS_INPUT = {
    "firstName": "Kẻ",
    "lastName": "Lạ",
    "streetAddress1": "99 Đường Lạ",
    "city": "Phường Trấn Biên",
    "countryArea": "Đồng Nai",
    "country": "VN",
    "phone": "0912 345 678",
}
CHECKOUT_WRITES: dict[str, tuple[str, Any]] = {
    "checkoutEmailUpdate": (
        'mutation($id: ID) { checkoutEmailUpdate(id: $id, email: "ke-la@example.test") { errors { code } } }',
        None,
    ),
    "checkoutLinesAdd": (
        "mutation($id: ID, $v: ID!) { checkoutLinesAdd(id: $id, lines: [{variantId: $v, quantity: 1}]) "
        "{ errors { code } } }",
        "variant",
    ),
    "checkoutLinesUpdate": (
        "mutation($id: ID, $line: ID!) { checkoutLinesUpdate(id: $id, lines: [{lineId: $line, quantity: 5}]) "
        "{ errors { code } } }",
        "line",
    ),
    "checkoutLinesDelete": (
        "mutation($id: ID, $line: ID!) { checkoutLinesDelete(id: $id, linesIds: [$line]) { errors { code } } }",
        "line",
    ),
    "checkoutShippingAddressUpdate": (
        "mutation($id: ID, $a: AddressInput!) { checkoutShippingAddressUpdate(id: $id, shippingAddress: $a) "
        "{ errors { code } } }",
        "address",
    ),
    "checkoutBillingAddressUpdate": (
        "mutation($id: ID, $a: AddressInput!) { checkoutBillingAddressUpdate(id: $id, billingAddress: $a) "
        "{ errors { code } } }",
        "address",
    ),
    "checkoutLanguageCodeUpdate": (
        "mutation($id: ID) { checkoutLanguageCodeUpdate(id: $id, languageCode: EN) { errors { code } } }",
        None,
    ),
    "checkoutDeliveryMethodUpdate": (
        "mutation($id: ID, $m: ID) { checkoutDeliveryMethodUpdate(id: $id, deliveryMethodId: $m) { errors { code } } }",
        "outlet",
    ),
    "checkoutAddPromoCode": (
        'mutation($id: ID) { checkoutAddPromoCode(id: $id, promoCode: "TET2027") { errors { code } } }',
        None,
    ),
    "checkoutCustomerAttach": ("mutation($id: ID) { checkoutCustomerAttach(id: $id) { errors { code } } }", None),
    "checkoutCustomerDetach": ("mutation($id: ID) { checkoutCustomerDetach(id: $id) { errors { code } } }", None),
    "updateMetadata": (
        'mutation($id: ID!) { updateMetadata(id: $id, input: [{key: "k", value: "v"}]) { errors { code } } }',
        None,
    ),
    "transactionInitialize": (
        'mutation($id: ID!) { transactionInitialize(id: $id, paymentGateway: {id: "ocop.payments.cash"}) '
        "{ errors { code } } }",
        None,
    ),
    "checkoutComplete": ("mutation($id: ID) { checkoutComplete(id: $id) { errors { code } } }", None),
}
CHECKOUT_READS_AS_MUTATIONS: dict[str, str] = {
    "deliveryOptionsCalculate": "mutation($id: ID!) { deliveryOptionsCalculate(id: $id) { errors { code } "
    "deliveries { id } } }",
    "paymentGatewayInitialize": "mutation($id: ID!) { paymentGatewayInitialize(id: $id) { errors { code } "
    "gatewayConfigs { id } } }",
}


def _checkout_state(checkout: Checkout) -> tuple:
    checkout = Checkout.objects.filter(pk=checkout.pk).first()
    if checkout is None:
        return ("gone",)
    return (
        checkout.email,
        checkout.language_code,
        checkout.user_id,
        checkout.shipping_address_id,
        checkout.billing_address_id,
        checkout.collection_point_id,
        checkout.shipping_method_id,
        checkout.metadata if hasattr(checkout, "metadata") else None,
        getattr(checkout, "voucher_code", None),
        tuple(checkout.lines.order_by("pk").values_list("variant_id", "quantity")),
        TransactionItem.objects.filter(checkout_id=checkout.pk).count(),
        Order.objects.count(),
    )


def _variables(world: World, checkout: Checkout, needs: str | None) -> dict:
    variables: dict[str, Any] = {"id": gid("Checkout", checkout.pk)}
    if needs == "variant":
        variables["v"] = gid("ProductVariant", world.shop.cashew_variant.pk)
    elif needs == "line":
        variables["line"] = gid("CheckoutLine", checkout.lines.order_by("pk").first().pk)
    elif needs == "address":
        variables["a"] = ADDRESS_INPUT
    elif needs == "outlet":
        variables["m"] = gid("Warehouse", world.shop.tourist_site.pk)
    return variables


def _refused(body: dict, name: str) -> bool:
    payload = (body.get("data") or {}).get(name)
    return bool(body.get("errors")) or payload is None or bool(payload.get("errors"))


@pytest.mark.parametrize("name", sorted(CHECKOUT_WRITES))
def test_only_the_buyer_changes_their_own_checkout(world, name):
    query, needs = CHECKOUT_WRITES[name]
    checkout = world.checkouts["consumer"]
    variables = _variables(world, checkout, needs)
    before = _checkout_state(checkout)
    wrong = []
    for role in ROLES:
        if role == "consumer":
            continue
        with transaction.atomic():
            body = ask(world, role, query, variables)
            state = _checkout_state(checkout)
            transaction.set_rollback(True)
        if not _refused(body, name) or state != before:
            wrong.append(f"{role}: {body} {state}")
    owner = as_role(world, "consumer", query, variables)
    assert not wrong, wrong
    if name not in ("checkoutComplete", "transactionInitialize", "checkoutCustomerAttach"):
        assert not _refused(owner, name), owner


@pytest.mark.parametrize("name", sorted(CHECKOUT_READS_AS_MUTATIONS))
def test_only_the_buyer_asks_for_their_checkouts_delivery_and_payment_options(world, name):
    variables = {"id": gid("Checkout", world.checkouts["consumer"].pk)}
    refused = {
        role: _refused(as_role(world, role, CHECKOUT_READS_AS_MUTATIONS[name], variables), name) for role in ROLES
    }
    assert refused == {role: role != "consumer" for role in ROLES}


def test_a_guests_checkout_is_changed_by_whoever_holds_its_id(world):
    query, _ = CHECKOUT_WRITES["checkoutLanguageCodeUpdate"]
    variables = {"id": gid("Checkout", world.checkouts["guest"].pk)}
    assert all(not _refused(as_role(world, role, query, variables), "checkoutLanguageCodeUpdate") for role in ROLES)


def test_a_transaction_of_a_buyers_checkout_is_processed_only_by_that_buyer(world):
    checkout = world.checkouts["consumer"]
    item = TransactionItem.objects.create(gateway="ocop.payments.cash", checkout=checkout, amount_requested=0)
    query = "mutation($id: ID) { transactionProcess(id: $id) { errors { code } } }"
    refused = {
        role: _refused(as_role(world, role, query, {"id": gid("TransactionItem", item.pk)}), "transactionProcess")
        for role in ROLES
        if role != "consumer"
    }
    assert all(refused.values()), refused


# --- changing orders --------------------------------------------------------------------------------------------

ORDER_WRITES: dict[str, tuple[str, frozenset[str]]] = {
    # mutation, the roles that may do it to consumer A's order (placed, unfulfilled, collected at outlet A)
    "orderCancel": (
        "mutation($id: ID!) { orderCancel(id: $id) { errors { code } order { stage } } }",
        frozenset({"consumer", "outlet_staff", "operator"}),
    ),
    "orderMarkReadyForPickup": (
        "mutation($id: ID!) { orderMarkReadyForPickup(id: $id) { errors { code } order { stage } } }",
        frozenset({"outlet_staff", "operator"}),
    ),
    "orderMarkDelivered": (
        "mutation($id: ID!) { orderMarkDelivered(id: $id) { errors { code } order { stage } } }",
        frozenset(),  # a pickup order is never delivered; only operators could confirm a delivery
    ),
}


def _order_state(order: Order) -> tuple:
    order.refresh_from_db()
    return (
        order.status,
        order.pickup_code,
        tuple(Fulfillment.objects.filter(order=order).order_by("pk").values_list("status", flat=True)),
    )


@pytest.mark.parametrize("name", sorted(ORDER_WRITES))
def test_order_mutations_act_only_for_the_roles_the_order_concerns(world, name):
    query, allowed = ORDER_WRITES[name]
    order = world.orders["consumer"]
    before = _order_state(order)
    found = {}
    for role in ROLES:
        with transaction.atomic():
            body = ask(world, role, query, {"id": gid("Order", order.pk)})
            changed = _order_state(order) != before
            transaction.set_rollback(True)
        found[role] = (not _refused(body, name), changed)
    assert found == {role: (role in allowed, role in allowed) for role in ROLES}


def test_a_pickup_code_is_handed_over_only_by_the_outlets_staff(world):
    order = world.orders["consumer"]
    order_mark_ready_for_pickup(order=order, by_user=world.users["operator"])
    order.refresh_from_db()
    query = (
        "mutation($code: String!, $outlet: ID) { orderPickUp(pickupCode: $code, outletId: $outlet, cashAmount: 150000) "
        "{ errors { code } order { stage } } }"
    )
    found = {}
    for role in ROLES:
        for outlet in (world.shop.tourist_site, world.shop.showroom):
            with transaction.atomic():
                body = ask(world, role, query, {"code": order.pickup_code, "outlet": gid("Warehouse", outlet.pk)})
                order.refresh_from_db()
                found[(role, outlet.name)] = (not _refused(body, "orderPickUp"), order.status)
                transaction.set_rollback(True)
            order.refresh_from_db()
    handed = {key for key, (done, status) in found.items() if done or status != "ready_for_pickup"}
    assert handed <= {("outlet_staff", world.shop.tourist_site.name), ("operator", world.shop.tourist_site.name)}
    assert ("outlet_staff", world.shop.tourist_site.name) in handed


def test_a_fulfillment_is_marked_shipped_only_by_its_producers_staff_or_an_operator(world):
    fulfillment = Fulfillment.objects.filter(order=world.orders["consumer"]).first()
    query = "mutation($id: ID!) { fulfillmentMarkShipped(id: $id) { errors { code } } }"
    for role in ROLES:
        if role in ("producer_staff", "operator"):
            continue
        with transaction.atomic():
            body = ask(world, role, query, {"id": gid("Fulfillment", fulfillment.pk)})
            status = Fulfillment.objects.get(pk=fulfillment.pk).status
            transaction.set_rollback(True)
        assert _refused(body, "fulfillmentMarkShipped") and status == fulfillment.status, (role, body)


# --- addresses and accounts -------------------------------------------------------------------------------------

ADDRESS_WRITES = {
    "accountAddressUpdate": (
        "mutation($id: ID!, $a: AddressInput!) { accountAddressUpdate(id: $id, input: $a) { errors { code } } }"
    ),
    "accountAddressDelete": "mutation($id: ID!) { accountAddressDelete(id: $id) { errors { code } } }",
    "accountSetDefaultAddress": (
        "mutation($id: ID!) { accountSetDefaultAddress(id: $id, type: BILLING) { errors { code } } }"
    ),
}


def _address_state(address: Address) -> tuple:
    row = Address.objects.filter(pk=address.pk).values_list("street_address_1", "first_name").first()
    owners = tuple(address.user_addresses.order_by("pk").values_list("pk", "default_billing_address_id"))
    return row, owners


@pytest.mark.parametrize("name", sorted(ADDRESS_WRITES))
def test_an_address_is_changed_only_by_its_owner(world, name):
    address = world.addresses["consumer_b"]
    variables = {"id": gid("Address", address.pk), "a": ADDRESS_INPUT}
    before = _address_state(address)
    query = ADDRESS_WRITES[name]
    for role in ROLES:
        if role == "consumer_b":
            continue
        with transaction.atomic():
            body = ask(world, role, query, {k: v for k, v in variables.items() if k != "a" or "$a" in query})
            after = _address_state(address)
            transaction.set_rollback(True)
        assert _refused(body, name) and after == before, (role, body)
    owner = as_role(world, "consumer_b", query, {k: v for k, v in variables.items() if k != "a" or "$a" in query})
    assert not _refused(owner, name), owner


def test_account_update_names_only_the_signed_in_users_own_id(world):
    query = (
        'mutation($c: ID) { accountUpdate(customerId: $c, input: {firstName: "Kẻ lạ"}) '
        "{ errors { code } user { email } } }"
    )
    victim = world.users["consumer_b"]
    for role in ROLES:
        if role == "consumer_b":
            continue
        with transaction.atomic():
            body = ask(world, role, query, {"c": gid("User", victim.pk)})
            victim.refresh_from_db()
            transaction.set_rollback(True)
        assert _refused(body, "accountUpdate") and victim.first_name == "Bình", (role, body)


# --- guessed ids and tokens -------------------------------------------------------------------------------------

GUESSES = [
    ("order", "Order", "1"),
    ("order", "Order", "2"),
    ("order", "Order", str(uuid.UUID(int=1))),
    ("order", "User", "1"),
    ("checkout", "Checkout", "1"),
    ("checkout", "Checkout", str(uuid.uuid4())),
    ("checkout", "Order", None),  # an order's id where a checkout's is asked for
]


def test_guessed_ids_find_nothing_for_anyone(world):
    for role in ROLES:
        for field_name, type_name, pk in GUESSES:
            pk = pk if pk is not None else world.orders["consumer"].pk
            kind = "ID!" if field_name == "order" else "ID"
            body = as_role(
                world, role, f"query($id: {kind}) {{ {field_name}(id: $id) {{ id }} }}", {"id": gid(type_name, pk)}
            )
            assert (body.get("data") or {}).get(field_name) is None, (role, field_name, type_name, pk, body)


def _alg_none(token: str) -> str:
    payload = pyjwt.decode(token, options={"verify_signature": False})
    header = base64.urlsafe_b64encode(b'{"alg":"none","typ":"JWT"}').rstrip(b"=").decode()
    body = base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode()
    return f"{header}.{body}."


def _resigned(token: str, *, key: str, **changes: Any) -> str:
    payload = pyjwt.decode(token, options={"verify_signature": False})
    payload.update(changes)
    return pyjwt.encode(payload, key, algorithm="HS256")


def test_tokens_that_must_not_authenticate_read_and_change_nothing(world, settings):
    from storefront_api.account.jwt import _secret

    user = world.users["consumer"]
    good = world.tokens["consumer"]
    past = int((datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=1)).timestamp())
    before_change = access_token(user)
    user.set_password("a-new-password-2026")
    user.save()
    bad_tokens = {
        "expired": _resigned(good, key=_secret(), exp=past),
        "alg none": _alg_none(good),
        "another key": _resigned(good, key="not-the-shops-key-at-all-0123456789"),
        "before a password change": before_change,
        "garbled": good[:-4] + "AAAA",
    }
    order_id = gid("Order", world.orders["consumer"].pk)
    checkout_id = gid("Checkout", world.checkouts["consumer"].pk)
    for label, token in bad_tokens.items():
        me = ask(world, "anonymous", "{ me { email } }", token=token)
        assert (me.get("data") or {}).get("me") is None, (label, me)
        order = ask(world, "anonymous", ORDER, {"id": order_id}, token=token)
        assert (order.get("data") or {}).get("order") is None, (label, order)
        checkout = ask(world, "anonymous", CHECKOUT, {"id": checkout_id}, token=token)
        assert (checkout.get("data") or {}).get("checkout") is None, (label, checkout)
        with transaction.atomic():
            email = ask(world, "anonymous", CHECKOUT_WRITES["checkoutEmailUpdate"][0], {"id": checkout_id}, token=token)
            assert Checkout.objects.get(pk=world.checkouts["consumer"].pk).email == user.email, (label, email)
            transaction.set_rollback(True)
    assert DEFAULT_PASSWORD  # the other users still sign in with it
