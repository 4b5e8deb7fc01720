"""Redis goes away (cache and broker): pages, the API, sign-in and `checkoutComplete` keep working.

Found on 2026-12-04: with Redis down, `/`, `/products/` and the sign-in POST answered 500, `totalCount` and
`productSearch` came back null with a `ConnectionError`, and `checkoutComplete` answered `data: null` with an
`OperationalError` while the order was saved, its confirmation e-mail never sent. Now the cache degrades to
the database (`marketplace.core.cache`) and the e-mail waits in the outbox until the broker is back.
"""

from __future__ import annotations

import json
import logging

import pytest
from django.test import Client

from marketplace.orders.models import Order
from marketplace.outbox.models import OutboxJob
from marketplace.outbox.selectors import outbox_backlog
from marketplace.outbox.services import outbox_drain
from tests.factories import DEFAULT_PASSWORD, make_user
from tests.marketplace.checkout.helpers import CREATE
from tests.outages import broker_away, cache_away

pytestmark = pytest.mark.django_db

COUNTS = """{
  products(first: 5, channel: "default-channel") { totalCount edges { node { name } } }
  productSearch(channel: "default-channel", query: "cà phê", first: 5) { totalCount edges { node { name } } }
}"""
DELIVERY = """
mutation Delivery($id: ID!, $method: ID!) {
  checkoutDeliveryMethodUpdate(id: $id, deliveryMethodId: $method) { errors { field code message } }
}"""
INITIALIZE = """
mutation Pay($id: ID!) {
  transactionInitialize(id: $id, paymentGateway: {id: "ocop.payments.cash"}) { errors { field code message } }
}"""
COMPLETE = """
mutation Complete($id: ID!) {
  checkoutComplete(id: $id) { order { id number } errors { field code message } }
}"""


def _graphql(client: Client, query: str, variables: dict | None = None) -> dict:
    response = client.post(
        "/graphql/", json.dumps({"query": query, "variables": variables or {}}), content_type="application/json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert "errors" not in body, body["errors"]
    return body["data"]


def _cache_records(caplog) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == "marketplace.core.cache"]


def test_pages_the_api_and_sign_in_work_without_the_cache_with_one_warning(shop, settings, caplog):
    user = make_user("outlet_staff", outlet=shop.tourist_site)
    client = Client()
    with cache_away(settings), caplog.at_level(logging.WARNING):
        for _ in range(2):
            assert client.get("/", HTTP_ACCEPT_LANGUAGE="en").status_code == 200
            assert client.get("/products/", HTTP_ACCEPT_LANGUAGE="en").status_code == 200
            data = _graphql(client, COUNTS)
            assert data["products"]["totalCount"] == 2
            assert data["productSearch"]["totalCount"] is not None
        wrong = client.post(
            "/accounts/login/", {"username": user.username, "password": "wrong"}, REMOTE_ADDR="10.0.0.1"
        )
        assert wrong.status_code == 200
        signed_in = client.post(
            "/accounts/login/", {"username": user.username, "password": DEFAULT_PASSWORD}, REMOTE_ADDR="10.0.0.1"
        )
        assert signed_in.status_code == 302

    warnings = _cache_records(caplog)
    assert [record.getMessage().split(" (")[0] for record in warnings] == ["cache unavailable"]
    assert warnings[0].exc_info is None
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]


def test_without_the_cache_reads_miss_writes_are_skipped_and_counters_start_from_nothing(settings):
    from django.core.cache import cache

    with cache_away(settings):
        assert cache.get("probe", "missed") == "missed"
        cache.set("probe", 1)
        assert cache.add("probe", 1) is False
        assert cache.get_many(["probe"]) == {}
        assert cache.incr("probe") == 1  # a sign-in failure counted from nothing: no one is locked out by an outage
        assert cache.delete("probe") is False
    cache.set("probe", 2)  # Redis answers again
    assert cache.get("probe") == 2
    cache.delete("probe")


def test_checkout_completes_with_redis_away_and_its_email_goes_once_when_it_is_back(
    shop, settings, mailoutbox, django_capture_on_commit_callbacks, caplog
):
    client = Client()
    with cache_away(settings), broker_away(), caplog.at_level(logging.WARNING):
        with django_capture_on_commit_callbacks(execute=True):  # each request's commit hands its jobs over
            created = _graphql(
                client,
                CREATE,
                {
                    "input": {
                        "channel": shop.channel.slug,
                        "email": "tourist@example.test",
                        "lines": [{"variantId": shop.variant_id(shop.coffee_variant), "quantity": 1}],
                    }
                },
            )["checkoutCreate"]
            checkout_id = created["checkout"]["id"]
            method = {"id": checkout_id, "method": shop.outlet_id(shop.tourist_site)}
            assert _graphql(client, DELIVERY, method)["checkoutDeliveryMethodUpdate"]["errors"] == []
            assert _graphql(client, INITIALIZE, {"id": checkout_id})["transactionInitialize"]["errors"] == []
            completed = _graphql(client, COMPLETE, {"id": checkout_id})["checkoutComplete"]
        assert completed["errors"] == [] and completed["order"]["number"]

    order = Order.objects.get()
    assert mailoutbox == []  # the broker was away: nothing sent yet, nothing lost
    job = OutboxJob.objects.get(task_name="marketplace.orders.tasks.send_order_confirmation_task")
    assert job.args == [str(order.pk)] and job.done_at is None
    assert outbox_backlog().pending == 1
    broker_warnings = [r for r in caplog.records if r.name == "marketplace.outbox.services"]
    assert len(broker_warnings) == 1 and broker_warnings[0].exc_info is None

    # Redis is back: beat's drain runs the job; a second drain (or a late copy of the job) sends nothing more.
    assert outbox_drain()["done"] == 1
    assert outbox_drain()["done"] == 0
    assert [message.to for message in mailoutbox] == [["tourist@example.test"]]
    assert outbox_backlog().pending == 0
