"""Fuzzing the storefront API: a shop with rows of every kind, strategies that aim at them, and a checker.

`build_world(shop)` adds to the checkout tests' `shop` (two producers' listed products, outlets, a delivery
zone) everything a resolver of the schema may return: one account per role, consumers A and B with their
addresses, checkouts and orders, a guest's checkout and order, a voucher, a page, a menu, a category and a
collection. `field_documents(world, root, field)` is a Hypothesis strategy of GraphQL documents calling that
one root field (hypothesis-graphql), whose ids, tokens and strings are drawn half from the world's own (so
resolvers find rows) and half at random. `fuzz_field(...)` sends such documents through Django's test client,
each in a savepoint rolled back afterwards (every document meets the same rows), and returns what failed:
a 5xx status, an "Internal Server Error" or "An unknown error occurred." message, or an error logged
(a traceback) while the request ran.

Used by tests/storefront_api/test_fuzz_schema.py (a few examples of every field) and bench/fuzz_graphql.py
(hundreds each).
"""

from __future__ import annotations

import datetime
import json
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import graphql
from django.db import transaction
from django.test import Client
from graphql_relay import to_global_id
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import mutations, nodes, queries

from marketplace.accounts.models import Address, Role, User
from marketplace.catalogue.models import Category, Collection, CollectionProduct
from marketplace.checkout.models import Checkout
from marketplace.checkout.services import LineRequest, checkout_create
from marketplace.content.services import menu_ensure, menu_item_add, page_create, page_type_ensure
from marketplace.orders.models import Order
from storefront_api.account import jwt
from storefront_api.schema import schema as graphene_schema
from tests.factories import DEFAULT_PASSWORD, make_outlet, make_user
from tests.marketplace.checkout.helpers import Shop
from tests.marketplace.discounts.helpers import make_voucher

SCHEMA: graphql.GraphQLSchema = graphene_schema.graphql_schema
QUERY_FIELDS: tuple[str, ...] = tuple(SCHEMA.query_type.fields) if SCHEMA.query_type else ()
MUTATION_FIELDS: tuple[str, ...] = tuple(SCHEMA.mutation_type.fields) if SCHEMA.mutation_type else ()
ROLES = ("anonymous", "consumer", "operator")
UNEXPECTED_MESSAGES = ("Internal Server Error", "An unknown error occurred.")
ISSUER = "http://testserver/graphql/"


@dataclass
class World:
    shop: Shop
    users: dict[str, User]
    tokens: dict[str, str]  # role name -> access token ("anonymous": none)
    ids: list[str]  # global ids of every row made here
    uuids: list[str]  # checkout tokens, order ids
    strings: list[str]  # e-mails, slugs, codes, passwords, URLs the resolvers would recognise
    orders: dict[str, Order]
    checkouts: dict[str, Checkout]
    addresses: dict[str, Address]


def _place_order(shop: Shop, *, user: User | None, email: str) -> Order:
    from payments.checkout import checkout_complete
    from payments.models import Gateway, TransactionItem

    checkout = checkout_create(
        channel=shop.channel,
        lines=[LineRequest(variant_id=shop.coffee_variant.pk, quantity=1)],
        email=email,
        language_code="vi",
        user=user,
    )
    checkout.collection_point = shop.tourist_site
    checkout.save()
    TransactionItem.objects.create(gateway=Gateway.CASH, checkout=checkout, amount_requested=150_000)
    return checkout_complete(token=checkout.pk, user=user)


def _address(user: User, street: str) -> Address:
    address = Address.objects.create(
        first_name=user.first_name or "An",
        last_name="Nguyễn",
        street_address_1=street,
        city="Phường Trấn Biên",
        country_area="Tỉnh Đồng Nai",
        phone="0909 000 111",
    )
    user.addresses.add(address)
    user.default_shipping_address = address
    user.save(update_fields=["default_shipping_address"])
    return address


def _open_checkout(shop: Shop, *, user: User | None, email: str) -> Checkout:
    checkout = checkout_create(
        channel=shop.channel,
        lines=[
            LineRequest(variant_id=shop.coffee_variant.pk, quantity=1),
            LineRequest(variant_id=shop.cashew_variant.pk, quantity=2),
        ],
        email=email,
        language_code="vi",
        user=user,
    )
    return checkout


def access_token(user: User) -> str:
    return jwt.create_access_token(user, issuer=ISSUER)


def build_world(shop: Shop) -> World:
    """Rows of every kind the schema returns, and one signed-in user per role (see the module's docstring)."""
    users = {
        "consumer": make_user(email="an@example.test", first_name="An"),
        "consumer_b": make_user(email="binh@example.test", first_name="Bình"),
        "producer_staff": make_user(Role.PRODUCER_STAFF, producer=shop.coffee.producer),
        "producer_staff_b": make_user(Role.PRODUCER_STAFF, producer=shop.cashew.producer),
        "outlet_staff": make_user(Role.OUTLET_STAFF, outlet=shop.tourist_site),
        "outlet_staff_b": make_user(Role.OUTLET_STAFF, outlet=shop.showroom),
        "trade_staff": make_user(Role.TRADE_STAFF),
        "operator": make_user(Role.OPERATOR),
    }
    addresses = {
        "consumer": _address(users["consumer"], "1 Đường Võ Thị Sáu"),
        "consumer_b": _address(users["consumer_b"], "2 Đường Phạm Văn Thuận"),
    }
    orders = {
        "consumer": _place_order(shop, user=users["consumer"], email=users["consumer"].email),
        "consumer_b": _place_order(shop, user=users["consumer_b"], email=users["consumer_b"].email),
        "guest": _place_order(shop, user=None, email="khach@example.test"),
    }
    checkouts = {
        "consumer": _open_checkout(shop, user=users["consumer"], email=users["consumer"].email),
        "consumer_b": _open_checkout(shop, user=users["consumer_b"], email=users["consumer_b"].email),
        "guest": _open_checkout(shop, user=None, email="khach@example.test"),
    }
    voucher = make_voucher(shop.channel, code="TET2027")
    group = Category.objects.create(
        kind=Category.Kind.GROUP, scheme="2023", code="1", name="Thực phẩm", name_en="Food", slug="thuc-pham"
    )
    collection = Collection.objects.create(name="5 sao", name_en="5 stars", slug="5-sao", is_published=True)
    CollectionProduct.objects.create(collection=collection, product=shop.coffee, sort_order=1)
    page_type = page_type_ensure(slug="thong-tin", name="Thông tin")
    page = page_create(page_type=page_type, title="Giới thiệu", title_en="About", slug="gioi-thieu", slug_en="about")
    menu, _ = menu_ensure(slug="navbar", name="Thanh điều hướng")
    menu_item_add(menu=menu, name="Thực phẩm", category=group)
    menu_item_add(menu=menu, name="5 sao", collection=collection)
    menu_item_add(menu=menu, name="Giới thiệu", page=page)
    make_outlet(name="Điểm bán không nhận hàng")

    from payments.models import TransactionItem

    ids: list[str] = []

    def add(type_name: str, pks: Any) -> None:
        ids.extend(to_global_id(type_name, str(pk)) for pk in pks)

    add("User", [user.pk for user in users.values()])
    add("Address", [address.pk for address in addresses.values()])
    add("Order", [order.pk for order in orders.values()])
    add("Checkout", [checkout.pk for checkout in checkouts.values()])
    add("CheckoutLine", [line.pk for checkout in checkouts.values() for line in checkout.lines.all()])
    add("Product", [shop.coffee.pk, shop.cashew.pk])
    add("ProductVariant", [shop.coffee_variant.pk, shop.cashew_variant.pk])
    add("Producer", [shop.coffee.producer_id, shop.cashew.producer_id])
    add("Warehouse", [shop.tourist_site.pk, shop.showroom.pk, shop.warehouse.pk])
    add("ShippingMethod", [shop.standard.pk, shop.express.pk])
    add("Category", [group.pk])
    add("Collection", [collection.pk])
    add("Page", [page.pk])
    add("PageType", [page_type.pk])
    add("Menu", [menu.pk])
    add("Voucher", [voucher.pk])
    add("Channel", [shop.channel.pk])
    add("TransactionItem", TransactionItem.objects.values_list("pk", flat=True))
    add("Fulfillment", [f.pk for order in orders.values() for f in order.fulfillments.all()])

    uuids = [str(checkout.pk) for checkout in checkouts.values()] + [str(order.pk) for order in orders.values()]
    strings = [
        *(user.email for user in users.values()),
        DEFAULT_PASSWORD,
        "TET2027",
        "tet2027",
        shop.coffee.slug,
        shop.cashew.slug,
        shop.coffee_variant.sku,
        "thuc-pham",
        "5-sao",
        "gioi-thieu",
        "navbar",
        "default-channel",
        shop.channel.slug,
        "VN",
        "Đồng Nai",
        "Tỉnh Đồng Nai",
        "Phường Trấn Biên",
        "cà phê",
        "ca phe",
        "không có gì khớp",
        "zzzz-no-match",
        "http://localhost:3000/reset",
        "https://example.test/",
        "",
        " ",
        "%",
        "_",
        "\\",
        "'",
        '"',
        "\x00",
        "a" * 300,
        "YXJyYXljb25uZWN0aW9uOjA=",  # a relay cursor: "arrayconnection:0"
        "YXJyYXljb25uZWN0aW9uOi0x",  # "arrayconnection:-1"
        *(order.pickup_code for order in orders.values() if order.pickup_code),
        *ids,
        *uuids,
    ]
    tokens = {role: access_token(user) for role, user in users.items()}
    return World(
        shop=shop,
        users=users,
        tokens=tokens,
        ids=ids,
        uuids=uuids,
        strings=strings,
        orders=orders,
        checkouts=checkouts,
        addresses=addresses,
    )


# --- strategies ----------------------------------------------------------------------------------------------

TYPE_NAMES = (
    "User",
    "Address",
    "Order",
    "Checkout",
    "CheckoutLine",
    "Product",
    "ProductVariant",
    "Producer",
    "Warehouse",
    "Category",
    "Collection",
    "Page",
    "Menu",
    "Voucher",
    "Channel",
    "TransactionItem",
    "Fulfillment",
    "Nope",
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=6,
)


def _value_node(value: Any) -> graphql.ValueNode:
    node = graphql.ast_from_value(value, graphql.GraphQLString) if isinstance(value, str) else None
    if node is not None:
        return node
    if value is None:
        return nodes.Null
    if isinstance(value, bool):
        return nodes.Boolean(value)
    if isinstance(value, int):
        return nodes.Int(value)
    if isinstance(value, list):
        return graphql.ListValueNode(values=tuple(_value_node(item) for item in value))
    if isinstance(value, dict):
        return nodes.Object(
            [
                graphql.ObjectFieldNode(name=graphql.NameNode(value=key), value=_value_node(v))
                for key, v in value.items()
            ]
            if all(key.isidentifier() and key.isascii() for key in value)
            else []
        )
    return nodes.String(str(value))


def custom_scalars(world: World) -> dict[str, st.SearchStrategy[graphql.ValueNode]]:
    """Value nodes for every scalar: the world's own ids, tokens and words half of the time."""
    text = st.text(max_size=40)
    guessed_ids = st.builds(
        lambda type_name, pk: to_global_id(type_name, str(pk)),
        st.sampled_from(TYPE_NAMES),
        st.one_of(st.integers(min_value=-2, max_value=2**64), st.uuids(), st.text(max_size=10)),
    )
    ids = st.one_of(st.sampled_from(world.ids), guessed_ids, text, st.integers().map(str)).map(nodes.String)
    uuids = st.one_of(st.sampled_from(world.uuids), st.uuids().map(str)).map(nodes.String)
    strings = st.one_of(st.sampled_from(world.strings), text, st.emails()).map(nodes.String)
    decimal_texts = st.one_of(
        st.decimals(allow_nan=False, allow_infinity=False, places=2).map(str),
        st.sampled_from(["0", "-1", "1e30", "NaN", "Infinity", "-0", "0.5", "150000"]),
    )
    decimals = st.one_of(decimal_texts.map(nodes.String), st.integers(-(2**31), 2**31 - 1).map(nodes.Int))
    json_values = JSON_VALUES.map(_value_node)
    # Page sizes and counts: mostly ones a resolver serves (a page of 1 to 20), sometimes the edges and extremes.
    small = st.integers(min_value=1, max_value=20)
    ints = st.one_of(small, small, st.integers(min_value=-1, max_value=120), st.integers(-(2**31), 2**31 - 1))
    return {
        "Int": ints.map(nodes.Int),
        "ID": ids,
        "String": strings,
        "UUID": uuids,
        "Date": st.dates(min_value=datetime.date(1900, 1, 1)).map(lambda d: nodes.String(d.isoformat())),
        "DateTime": st.datetimes(
            min_value=datetime.datetime(1900, 1, 1), timezones=st.just(datetime.UTC) | st.none()
        ).map(lambda d: nodes.String(d.isoformat())),
        "Decimal": decimals,
        "PositiveDecimal": decimals,
        "PositiveInt": st.integers(-1, 2**31 - 1).map(nodes.Int),
        "JSON": json_values,
        "GenericScalar": json_values,
        "JSONString": JSON_VALUES.map(lambda value: nodes.String(json.dumps(value))),
        "Metadata": json_values,
    }


def _without_arguments(document: graphql.DocumentNode, keep: list[bool]) -> str:
    """The document with the root field's optional arguments left out where `keep` says False."""
    operation = document.definitions[0]
    assert isinstance(operation, graphql.OperationDefinitionNode)
    root_field = operation.selection_set.selections[0]
    assert isinstance(root_field, graphql.FieldNode)
    root_type = SCHEMA.query_type if operation.operation == graphql.OperationType.QUERY else SCHEMA.mutation_type
    assert root_type is not None
    definitions = root_type.fields[root_field.name.value].args
    arguments = tuple(
        argument
        for argument, kept in zip(root_field.arguments, keep, strict=False)
        if kept or graphql.is_required_argument(definitions[argument.name.value])
    )
    root_field.arguments = arguments
    return graphql.print_ast(document)


def field_documents(world: World, root: str, field_name: str) -> st.SearchStrategy[str]:
    """Documents calling `field_name` of the Query (`root="query"`) or Mutation type, selecting random subfields.

    hypothesis-graphql writes every argument of the field; each optional one is then left out half of the time,
    so that documents also reach past the arguments' checks (a search with the default channel and a page size)."""
    make = queries if root == "query" else mutations
    documents = make(
        SCHEMA,
        fields=[field_name],
        custom_scalars=custom_scalars(world),
        allow_x00=True,
        print_ast=lambda document: document,
    )
    return documents.flatmap(
        lambda document: st.lists(st.booleans(), min_size=16, max_size=16).map(
            lambda keep: _without_arguments(document, keep)
        )
    )


# --- sending and checking ------------------------------------------------------------------------------------


class _Captured(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def captured_errors() -> Iterator[list[logging.LogRecord]]:
    """Records at ERROR and above, and any with a traceback, logged anywhere while inside."""
    handler = _Captured()
    root = logging.getLogger()
    root.addHandler(handler)
    # A warning with a traceback counts too.
    tracebacks = _Tracebacks()
    root.addHandler(tracebacks)
    try:
        yield handler.records
    finally:
        root.removeHandler(handler)
        root.removeHandler(tracebacks)
        handler.records.extend(r for r in tracebacks.records if r not in handler.records)


class _Tracebacks(_Captured):
    def __init__(self) -> None:
        logging.Handler.__init__(self, level=logging.DEBUG)
        self.records = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.levelno < logging.ERROR:
            self.records.append(record)


@dataclass
class Failure:
    field: str
    role: str
    document: str
    reason: str

    def __str__(self) -> str:
        return f"{self.field} as {self.role}: {self.reason}\n{self.document}"


@dataclass
class FieldReport:
    root: str
    field: str
    role: str
    documents: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)
    seconds: float = 0.0

    def as_json(self) -> dict[str, Any]:
        return {
            "root": self.root,
            "field": self.field,
            "role": self.role,
            "documents": self.documents,
            "statuses": self.statuses,
            "seconds": round(self.seconds, 2),
            "failures": [{"reason": f.reason, "document": f.document} for f in self.failures],
        }


def send(client: Client, document: str, *, token: str | None) -> tuple[int, Any, list[logging.LogRecord]]:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    with captured_errors() as logged, transaction.atomic():
        response = client.post("/graphql/", json.dumps({"query": document}), content_type="application/json", **headers)
        transaction.set_rollback(True)
    try:
        body = response.json()
    except ValueError:
        body = response.content[:500]
    return response.status_code, body, logged


def problems(status: int, body: Any, logged: list[logging.LogRecord]) -> list[str]:
    found = []
    if status >= 500:
        found.append(f"status {status}")
    if isinstance(body, dict):
        for error in body.get("errors") or []:
            message = error.get("message", "") if isinstance(error, dict) else str(error)
            if any(unexpected in message for unexpected in UNEXPECTED_MESSAGES):
                code = (error.get("extensions") or {}).get("exception", {}).get("code", "")
                found.append(f"{message!r} ({code}) at {error.get('path')}")
    elif status == 200:
        found.append(f"a body that is not JSON: {body!r}")
    for record in logged:
        where = f"{record.name}:{record.levelname}"
        found.append(f"logged {where}: {record.getMessage()[:200]}" + (" with a traceback" if record.exc_info else ""))
    return found


def fuzz_field(
    world: World, *, root: str, field_name: str, role: str, examples: int, derandomize: bool = True
) -> FieldReport:
    """Send up to `examples` generated documents calling `field_name` as `role`; what answered and what failed."""
    report = FieldReport(root=root, field=field_name, role=role)
    client = Client()
    token = world.tokens.get(role)
    seen: set[str] = set()

    @settings(
        max_examples=examples,
        derandomize=derandomize,
        database=None,
        deadline=None,
        phases=[Phase.generate],  # every failure is recorded, none is shrunk
        suppress_health_check=list(HealthCheck),
    )
    @given(document=field_documents(world, root, field_name))
    def run(document: str) -> None:
        if document in seen:
            return
        seen.add(document)
        status, body, logged = send(client, document, token=token)
        report.documents += 1
        report.statuses[status] = report.statuses.get(status, 0) + 1
        report.failures.extend(Failure(field_name, role, document, reason) for reason in problems(status, body, logged))

    started = time.perf_counter()
    run()
    report.seconds = time.perf_counter() - started
    return report
