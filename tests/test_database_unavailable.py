"""While PostgreSQL is away, pages and the storefront API answer a clean 503, and no order is half-written.

The outage is simulated at the connection: an execute wrapper that raises `OperationalError`, as psycopg does
on a connection the server closed ("server closed the connection unexpectedly"), for every statement (or the
ones named) except savepoints, so the transactions still roll back as they would on a real failure.
bench/faults.py restarts a real PostgreSQL under load for the end-to-end figure.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.test import Client, RequestFactory

from config.middleware import CODE, server_error
from marketplace.checkout.models import Checkout
from marketplace.inventory.models import Stock
from marketplace.orders.models import Order
from tests.payments.test_payments import make_checkout

pytestmark = pytest.mark.django_db

PRODUCTS = '{ products(first: 2, channel: "default-channel") { edges { node { id name } } } }'
INITIALIZE = """
mutation($id: ID!) { transactionInitialize(id: $id, paymentGateway: {id: "ocop.payments.cash"}) {
  transaction { id } errors { field code message } } }"""
COMPLETE = "mutation($id: ID!) { checkoutComplete(id: $id) { order { id } errors { field code message } } }"


@contextmanager
def database_away(*, only: str | None = None) -> Iterator[list[str]]:
    """Every statement (or each one containing `only`) fails as on a connection PostgreSQL closed."""
    failed: list[str] = []

    def fail(execute, sql, params, many, context):
        if "SAVEPOINT" not in sql and (only is None or only in sql):
            failed.append(sql)
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(fail):
        yield failed


def graphql(client: Client, query: str, variables: dict | None = None):
    return client.post("/graphql/", json.dumps({"query": query, "variables": variables or {}}), "application/json")


def test_connections_are_kept_and_checked_before_reuse():
    database = settings.DATABASES["default"]

    assert database["CONN_MAX_AGE"] > 0
    assert database["CONN_HEALTH_CHECKS"] is True


@pytest.mark.parametrize("path", ["/", "/products/", "/products/?q=ca+phe", "/verify/OCOP-1/"])
def test_a_page_answers_a_bilingual_503_without_a_traceback(path):
    client = Client()  # raises any exception that reaches Django's handler: none may

    with database_away() as failed:
        response = client.get(path)

    page = response.content.decode()
    assert failed
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Content-Type"].startswith("text/html")
    assert "Cửa hàng tạm thời gián đoạn" in page and "The shop is briefly unavailable" in page
    assert "Traceback" not in page and "OperationalError" not in page


def test_the_api_answers_503_with_a_database_unavailable_code():
    with database_away() as failed:
        response = graphql(Client(), PRODUCTS)

    body = response.json()
    assert failed
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert list(body) == ["errors"]
    assert body["errors"][0]["extensions"]["exception"]["code"] == CODE == "DATABASE_UNAVAILABLE"
    assert "try again" in body["errors"][0]["message"]


def test_a_batch_with_an_operation_that_meets_the_outage_answers_503():
    with database_away():
        response = Client().post(
            "/graphql/", json.dumps([{"query": "{ shop { name } }"}, {"query": PRODUCTS}]), "application/json"
        )

    assert response.status_code == 503
    assert response.json()["errors"][0]["extensions"]["exception"]["code"] == CODE


def test_check_out_during_the_outage_writes_no_order_and_the_retry_places_one():
    checkout = make_checkout()
    client = Client()
    checkout_id = graphql_id(checkout)
    paid = graphql(client, INITIALIZE, {"id": checkout_id}).json()["data"]["transactionInitialize"]
    assert paid["errors"] == []

    # The order row is written, then the connection dies before its lines are.
    with database_away(only='INSERT INTO "orders_orderline"') as failed:
        refused = graphql(client, COMPLETE, {"id": checkout_id})

    assert failed
    assert refused.status_code == 503
    assert refused.json()["errors"][0]["extensions"]["exception"]["code"] == CODE
    assert not Order.objects.exists()
    assert Checkout.objects.filter(pk=checkout.pk).exists()
    assert sum(Stock.objects.values_list("quantity_allocated", flat=True)) == 0

    placed = graphql(client, COMPLETE, {"id": checkout_id}).json()["data"]["checkoutComplete"]
    assert placed["errors"] == [] and placed["order"]["id"]
    order = Order.objects.get()
    assert order.lines.count() == 1 and order.transactions.count() == 1


def test_an_outage_met_outside_a_view_answers_503_and_other_errors_keep_the_500_page():
    request = RequestFactory().get("/products/")
    try:
        raise OperationalError("could not connect to server")
    except OperationalError:
        assert sys.exc_info()[0] is OperationalError
        unavailable = server_error(request)
    try:
        raise ValueError("a bug")
    except ValueError:
        broken = server_error(request)

    assert unavailable.status_code == 503
    assert broken.status_code == 500


def graphql_id(checkout: Checkout) -> str:
    from graphql_relay import to_global_id

    return to_global_id("Checkout", str(checkout.token))
