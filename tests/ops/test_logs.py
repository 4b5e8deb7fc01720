"""Logs: every line of a request carries its request id (from a valid `X-Request-ID`, else a new one, echoed back),
and so does every line of the Celery tasks the request queues; no password, token, card data or address reaches
a log line, whatever the flow (a test captures the logs of a sign-in, tokenCreate, a delivery checkout paid by
card, and greps them for what was typed)."""

from __future__ import annotations

import io
import json
import logging
import re
import uuid
from collections.abc import Iterator

import pytest
import redis
from celery import current_app, shared_task
from django.conf import settings as django_settings
from django.http import HttpResponse
from django.test import Client, RequestFactory

from ops import request_id
from ops.logs import JSONFormatter, RequestIdFilter, ScrubFilter, scrub
from tests.factories import DEFAULT_PASSWORD, make_user
from tests.marketplace.checkout.helpers import CREATE

task_logger = logging.getLogger("tests.ops.task")


@shared_task(name="tests.ops.log_request_id")
def log_request_id_task() -> None:
    task_logger.info("task ran")


class Captured:
    """Every record at DEBUG and above, as the JSON lines production writes: raw (no scrub filter, so that a leak
    in our code is seen, not hidden) and as configured (scrubbed)."""

    def __init__(self) -> None:
        self.raw = io.StringIO()
        self.configured = io.StringIO()

    def lines(self) -> list[dict]:
        return [json.loads(line) for line in self.raw.getvalue().splitlines()]


@pytest.fixture
def captured_logs() -> Iterator[Captured]:
    captured = Captured()
    raw = logging.StreamHandler(captured.raw)
    raw.addFilter(RequestIdFilter())
    raw.setFormatter(JSONFormatter())
    configured = logging.StreamHandler(captured.configured)
    configured.addFilter(RequestIdFilter())
    configured.addFilter(ScrubFilter())
    configured.setFormatter(JSONFormatter())
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.DEBUG)
    # The raw handler goes first: the scrub filter rewrites the record it sees.
    root.addHandler(raw)
    root.addHandler(configured)
    yield captured
    root.removeHandler(raw)
    root.removeHandler(configured)
    root.setLevel(level)


# --- request ids ---


def test_a_valid_incoming_request_id_is_kept_and_echoed():
    response = Client().get("/health/", HTTP_X_REQUEST_ID="edge-4f1c2a9e-0001")
    assert response["X-Request-ID"] == "edge-4f1c2a9e-0001"


@pytest.mark.parametrize(
    "incoming",
    [None, "", "short", "has space inside it", "line\nbreak-1234567", "<script>alert(1)</script>", "x" * 200],
)
def test_a_missing_or_unfit_request_id_is_replaced_by_a_new_one(incoming):
    headers = {} if incoming is None else {"HTTP_X_REQUEST_ID": incoming}
    first = Client().get("/health/", **headers)["X-Request-ID"]
    second = Client().get("/health/", **headers)["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert first != second


@pytest.mark.django_db
def test_every_line_of_a_request_carries_its_id(captured_logs):
    Client().get("/no-such-page-at-all/", HTTP_X_REQUEST_ID="trace-0000-aaaa-1111")
    not_found = [line for line in captured_logs.lines() if line["logger"] == "django.request"]
    assert not_found, captured_logs.raw.getvalue()
    assert {line["request_id"] for line in not_found} == {"trace-0000-aaaa-1111"}
    assert request_id.current_request_id() is None  # nothing left bound after the response


@pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored")
def test_a_task_queued_by_a_request_carries_its_id_to_the_worker(captured_logs):
    """Published for real (send_task publishes even with eager tasks) to a queue of our own: the message's
    header holds the id; run as the worker runs it, the task's log lines carry it."""
    queue = f"ops-test-{uuid.uuid4().hex}"

    def view(request):
        current_app.send_task("tests.ops.log_request_id", queue=queue)
        return HttpResponse("queued")

    broker = redis.Redis.from_url(django_settings.CELERY_BROKER_URL)
    try:
        response = request_id.RequestIdMiddleware(view)(
            RequestFactory().get("/", HTTP_X_REQUEST_ID="queued-by-req-0042")
        )
        response.close()  # as the WSGI server does: request_finished
        raw_message = broker.lpop(queue)
    finally:
        broker.delete(queue, f"_kombu.binding.{queue}")
        broker.close()
    assert raw_message is not None
    headers = json.loads(raw_message)["headers"]
    assert headers["request_id"] == "queued-by-req-0042"
    assert request_id.current_request_id() is None

    # A worker's request holds the message's headers as attributes; `apply` keeps them under `headers`.
    log_request_id_task.apply(headers={"request_id": headers["request_id"]}, task_id=headers["id"])

    ran = [line for line in captured_logs.lines() if line["message"] == "task ran"]
    assert [(line["request_id"], line["task"]["id"]) for line in ran] == [("queued-by-req-0042", headers["id"])]
    assert request_id.current_request_id() is None


def test_a_task_with_an_unfit_request_id_header_logs_none(captured_logs):
    log_request_id_task.apply(headers={"request_id": "bad id\nwith a line break"})
    ran = [line for line in captured_logs.lines() if line["message"] == "task ran"]
    assert [line["request_id"] for line in ran] == [None]


# --- the scrub filter, the last guard ---


def test_scrub_blanks_tokens_passwords_and_card_numbers():
    jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"
    text = scrub(f"auth Bearer abcdefgh12345678 jwt {jwt} password=hunter2 card 4242 4242 4242 4242 order 1042")
    assert "abcdefgh12345678" not in text
    assert jwt not in text
    assert "hunter2" not in text
    assert "4242" not in text
    assert "order 1042" in text


def test_the_json_formatter_leaves_out_extras_named_like_secrets():
    record = logging.makeLogRecord(
        {"name": "x", "levelno": 20, "levelname": "INFO", "msg": "hi", "password": "p", "order_number": 7}
    )
    line = json.loads(JSONFormatter().format(record))
    assert line["order_number"] == 7
    assert "password" not in line


# --- no secrets in the logs of the flows that handle them ---

TOKEN_CREATE = """
mutation Login($email: String!, $password: String!) {
  tokenCreate(email: $email, password: $password) { token refreshToken errors { code } }
}"""
ADDRESS_UPDATE = """
mutation Address($id: ID!, $address: AddressInput!) {
  checkoutShippingAddressUpdate(id: $id, shippingAddress: $address) {
    checkout { shippingMethods { id } } errors { code }
  }
}"""
DELIVERY = """
mutation Delivery($id: ID!, $method: ID!) {
  checkoutDeliveryMethodUpdate(id: $id, deliveryMethodId: $method) { errors { code } }
}"""
INITIALIZE = """
mutation Pay($id: ID!) {
  transactionInitialize(id: $id, paymentGateway: {id: "saleor.app.payment.stripe"}) {
    transaction { id } data errors { code }
  }
}"""
PROCESS = """
mutation Process($id: ID!, $data: JSON) {
  transactionProcess(id: $id, data: $data) { transactionEvent { type } errors { code } }
}"""
COMPLETE = "mutation Complete($id: ID!) { checkoutComplete(id: $id) { order { number } errors { code } } }"

STREET = "77 Hẻm Bảo Mật Kiểm Thử"
PHONE = "0987654321"
WRONG_PASSWORD = "wrong-Password-0815"


@pytest.mark.django_db(transaction=True)
def test_no_password_token_card_or_address_in_any_log_line(captured_logs, api, shop, stripe_settings, mailoutbox):
    buyer = make_user(email="nguoi.mua@example.test")
    web = Client()
    web.post("/accounts/login/", {"username": buyer.email, "password": WRONG_PASSWORD})
    web.post("/accounts/login/", {"username": buyer.email, "password": DEFAULT_PASSWORD})

    assert api(TOKEN_CREATE, {"email": buyer.email, "password": WRONG_PASSWORD})["tokenCreate"]["errors"]
    signed_in = api(TOKEN_CREATE, {"email": buyer.email, "password": DEFAULT_PASSWORD})["tokenCreate"]
    token, refresh = signed_in["token"], signed_in["refreshToken"]
    assert token and refresh

    lines = [{"variantId": shop.variant_id(shop.coffee_variant), "quantity": 1}]
    created = api(CREATE, {"input": {"channel": shop.channel.slug, "lines": lines}}, token=token)["checkoutCreate"]
    checkout_id = created["checkout"]["id"]
    address = {
        "firstName": "Bình",
        "lastName": "Trần",
        "streetAddress1": STREET,
        "city": "Phường Trấn Biên",
        "countryArea": "Đồng Nai",
        "country": "VN",
        "phone": PHONE,
    }
    methods = api(ADDRESS_UPDATE, {"id": checkout_id, "address": address}, token=token)
    method = methods["checkoutShippingAddressUpdate"]["checkout"]["shippingMethods"][0]["id"]
    assert (
        api(DELIVERY, {"id": checkout_id, "method": method}, token=token)["checkoutDeliveryMethodUpdate"]["errors"]
        == []
    )
    started = api(INITIALIZE, {"id": checkout_id}, token=token)["transactionInitialize"]
    client_secret = started["data"]["paymentIntent"]["stripeClientSecret"]
    declined = api(
        PROCESS,
        {"id": started["transaction"]["id"], "data": {"paymentMethod": "pm_card_chargeCustomerFail"}},
        token=token,
    )["transactionProcess"]
    assert declined["transactionEvent"]["type"] == "CHARGE_FAILURE"
    started = api(INITIALIZE, {"id": checkout_id}, token=token)["transactionInitialize"]
    paid = api(PROCESS, {"id": started["transaction"]["id"], "data": {"paymentMethod": "pm_card_visa"}}, token=token)
    assert paid["transactionProcess"]["transactionEvent"]["type"] == "CHARGE_SUCCESS"
    assert api(COMPLETE, {"id": checkout_id}, token=token)["checkoutComplete"]["order"]["number"]
    assert mailoutbox  # the confirmation went out, and its task's logs are in the capture

    secrets = {
        "the password": DEFAULT_PASSWORD,
        "the wrong password": WRONG_PASSWORD,
        "the access token": token,
        "the refresh token": refresh,
        "the JWT's signature": token.rsplit(".", 1)[-1],
        "Stripe's client secret": client_secret,
        "the card": "pm_card_visa",
        "the declined card": "pm_card_chargeCustomerFail",
        "the street": STREET,
        "the phone number": PHONE,
    }
    raw = captured_logs.raw.getvalue()
    assert captured_logs.lines(), "nothing was captured: the test would prove nothing"
    for what, secret in secrets.items():
        assert secret not in raw, f"{what} is in the logs:\n{raw}"
        assert secret not in captured_logs.configured.getvalue()
