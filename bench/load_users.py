"""The users of bench/load.py: a Locust file (run by bench/load.py; read its docstring).

Three kinds of users, each request named by its kind so the report can hold each kind to its target:

- `Visitor` (weight 6) reads the pages: the home page, the catalogue with a facet ticked, a search, a
  product's provenance page, a certificate's verify page (`page: …`);
- `ApiClient` (weight 3) reads the catalogue as a Saleor storefront does, through /graphql/: a products
  page, a product by slug, a search (`api: …`);
- `Buyer` (one per ten users, one at least: LOAD_BUYERS) buys through /graphql/ as the Saleor storefront
  does: checkoutCreate with 1–3 lines → pickup at one of `availableCollectionPoints`, or a delivery address
  and shipping method → cash
  (`ocop.payments.cash`), or a card through localstripe: `transactionInitialize` with Stripe, the browser's
  confirmation at localstripe (`stripe: confirm`, not our server), `transactionProcess` → `checkoutComplete`
  (`buy: …`). The order id each complete answers is appended to LOAD_ORDERS, for the consistency check.

What the users read (slugs, certificate ids, variant ids, facet ids, searches) comes from the JSON file
named by LOAD_DATA, written by bench/load.py. LOAD_MAX_REQUESTS stops the run after that many requests; every
response time, by request name, is written to LOAD_TIMINGS when Locust quits.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import random
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from locust import FastHttpUser, between, events, task

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.checkout import ADDRESS, CREATE, DELIVERY, SHIPPING_ADDRESS  # noqa: E402

DATA: dict[str, Any] = json.loads(Path(os.environ["LOAD_DATA"]).read_text()) if "LOAD_DATA" in os.environ else {}
ORDERS_FILE = os.environ.get("LOAD_ORDERS", "")
MAX_REQUESTS = int(os.environ.get("LOAD_MAX_REQUESTS", "0"))
CHANNEL = "default-channel"
CASH = "ocop.payments.cash"
STRIPE = "saleor.app.payment.stripe"

PRODUCTS = """
query($first: Int!, $after: String) {
  products(first: $first, after: $after, channel: "default-channel") {
    totalCount
    edges { node { id name slug thumbnail(size: 256) { url alt }
      pricing { priceRange { start { gross { amount currency } } } }
      category { name slug } certification { stars validUntil } } }
    pageInfo { hasNextPage endCursor }
  }
}"""
PRODUCT = """
query($slug: String!) {
  product(slug: $slug, channel: "default-channel") {
    id name slug description seoTitle
    category { id name slug }
    media { url alt }
    isAvailableForPurchase
    pricing { priceRange { start { gross { amount currency } } stop { gross { amount currency } } } }
    variants { id name sku quantityAvailable pricing { price { gross { amount currency } } } }
    attributes { attribute { slug name } values { name slug } }
    certification { certificateId stars validUntil status }
    producer { id name address { commune province } }
    provenanceUrl
  }
}"""
SEARCH = """
query($q: String) {
  productSearch(query: $q, first: 20) {
    totalCount
    edges { node { id name slug thumbnail(size: 256) { url } pricing { priceRange { start { gross { amount } } } } } }
  }
}"""
INITIALIZE = """
mutation Pay($id: ID!, $gateway: PaymentGatewayToInitialize!) {
  transactionInitialize(id: $id, paymentGateway: $gateway) {
    transaction { id }
    data
    errors { field code message }
  }
}"""
PROCESS = """
mutation Process($id: ID!) {
  transactionProcess(id: $id) {
    transaction { id chargedAmount { amount } }
    errors { field code message }
  }
}"""
COMPLETE = """
mutation Complete($id: ID!) {
  checkoutComplete(id: $id) {
    order { id number status paymentMethod total { gross { amount currency } } lines { productName quantity } }
    errors { field code message }
  }
}"""

TIMINGS_FILE = os.environ.get("LOAD_TIMINGS", "")
_requests = 0
_timings: dict[str, list[float]] = {}


@events.request.add_listener
def _count(name: str, response_time: float, exception: Any = None, **_: Any) -> None:
    """Keep every response time by name (bench/load.py computes each kind's percentiles exactly from them), and
    stop the run after LOAD_MAX_REQUESTS requests (the run is bounded in requests as well as in time)."""
    global _requests
    _requests += 1
    _timings.setdefault(name, []).append(round(response_time, 1))
    if MAX_REQUESTS and _requests == MAX_REQUESTS:
        runner = _environment.runner if _environment is not None else None
        if runner is not None:
            runner.quit()


_environment: Any = None


@events.init.add_listener
def _keep(environment: Any, **_: Any) -> None:
    global _environment
    _environment = environment


@events.quitting.add_listener
def _write_timings(**_: Any) -> None:
    if TIMINGS_FILE:
        Path(TIMINGS_FILE).write_text(json.dumps(_timings))


class Refused(Exception):
    """A GraphQL answer with errors, or a mutation's errors: the request counts as failed."""


class GraphQLMixin:
    client: Any

    def graphql(self, name: str, query: str, variables: dict[str, Any], field: str) -> dict[str, Any]:
        with self.client.post(
            "/graphql/", json={"query": query, "variables": variables}, name=name, catch_response=True
        ) as response:
            try:
                body = response.json()
            except Exception:
                response.failure(f"HTTP {response.status_code}, not JSON")
                raise Refused(name) from None
            if response.status_code != 200 or body.get("errors"):
                response.failure(f"HTTP {response.status_code} {json.dumps(body.get('errors'), ensure_ascii=False)}")
                raise Refused(name)
            data = body["data"][field]
            if isinstance(data, dict) and data.get("errors"):
                response.failure(json.dumps(data["errors"], ensure_ascii=False)[:300])
                raise Refused(name)
            response.success()
            return data


class PageMixin:
    client: Any

    def page(self, path: str, name: str) -> None:
        """GET a page; anything but 200 counts as failed."""
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            else:
                response.success()


class Visitor(PageMixin, FastHttpUser):
    weight = 6
    wait_time = between(0.5, 2.0)

    @task(2)
    def home(self) -> None:
        self.page("/", "page: home")

    @task(3)
    def catalogue_facets(self) -> None:
        query = {"stars": random.choice(["3", "4", "5"]), "group": random.choice(DATA["groups"])}
        if random.random() < 0.5:
            query["q"] = random.choice(DATA["searches"])
        self.page(f"/products/?{urlencode(query)}", "page: catalogue with facets")

    @task(3)
    def search(self) -> None:
        self.page(f"/products/?{urlencode({'q': random.choice(DATA['searches'])})}", "page: search")

    @task(4)
    def provenance(self) -> None:
        self.page(f"/p/{random.choice(DATA['slugs'])}/", "page: provenance")

    @task(1)
    def verify(self) -> None:
        self.page(f"/verify/{random.choice(DATA['certificates'])}/", "page: verify")


class ApiClient(GraphQLMixin, FastHttpUser):
    weight = 3
    wait_time = between(0.5, 2.0)

    @task(3)
    def products(self) -> None:
        self.graphql_quietly("api: products", PRODUCTS, {"first": 20}, "products")

    @task(3)
    def product(self) -> None:
        self.graphql_quietly("api: product", PRODUCT, {"slug": random.choice(DATA["slugs"])}, "product")

    @task(2)
    def search(self) -> None:
        self.graphql_quietly("api: productSearch", SEARCH, {"q": random.choice(DATA["searches"])}, "productSearch")

    def graphql_quietly(self, name: str, query: str, variables: dict[str, Any], field: str) -> None:
        with contextlib.suppress(Refused):  # counted as a failure by Locust
            self.graphql(name, query, variables, field)


class Buyer(GraphQLMixin, FastHttpUser):
    weight = 1
    # bench/load.py sets one buyer per ten users, one at least: by weight alone, 3 users would be no buyer.
    fixed_count = int(os.environ.get("LOAD_BUYERS", "0"))
    wait_time = between(1.0, 3.0)

    @task
    def buy(self) -> None:
        with contextlib.suppress(Refused):  # counted as a failure by Locust
            self.journey()

    def journey(self) -> None:
        lines = [
            {"variantId": variant, "quantity": random.randint(1, 2)}
            for variant in random.sample(DATA["variants"], random.randint(1, 3))
        ]
        email = f"buyer{random.randrange(10**9)}@example.test"
        payload = {"channel": CHANNEL, "email": email, "lines": lines}
        checkout = self.graphql("buy: checkoutCreate", CREATE, {"input": payload}, "checkoutCreate")["checkout"]
        points = checkout["availableCollectionPoints"]
        if random.random() < DATA.get("delivery_share", 0.3) or not points:
            address = self.graphql(
                "buy: checkoutShippingAddressUpdate",
                SHIPPING_ADDRESS,
                {"id": checkout["id"], "address": ADDRESS},
                "checkoutShippingAddressUpdate",
            )
            method = random.choice(address["checkout"]["shippingMethods"])["id"]
        else:
            method = random.choice(points)["id"]
        self.graphql(
            "buy: checkoutDeliveryMethodUpdate",
            DELIVERY,
            {"id": checkout["id"], "method": method},
            "checkoutDeliveryMethodUpdate",
        )
        if DATA.get("stripe") and random.random() < DATA.get("card_share", 0.4):
            self.pay_by_card(checkout["id"])
        else:
            self.graphql(
                "buy: transactionInitialize (cash)",
                INITIALIZE,
                {"id": checkout["id"], "gateway": {"id": CASH}},
                "transactionInitialize",
            )
        order = self.graphql("buy: checkoutComplete", COMPLETE, {"id": checkout["id"]}, "checkoutComplete")["order"]
        if ORDERS_FILE:
            order_id = base64.b64decode(order["id"]).decode().split(":", 1)[1]
            with open(ORDERS_FILE, "a") as orders:
                orders.write(order_id + "\n")

    def pay_by_card(self, checkout_id: str) -> None:
        started = self.graphql(
            "buy: transactionInitialize (card)",
            INITIALIZE,
            {"id": checkout_id, "gateway": {"id": STRIPE, "data": {"paymentIntent": {"paymentMethod": "card"}}}},
            "transactionInitialize",
        )
        secret = started["data"]["paymentIntent"]["stripeClientSecret"]
        intent = secret.split("_secret_")[0]
        # What Stripe.js does in the buyer's browser: confirm the intent at Stripe (localstripe, on loopback).
        with self.client.post(
            f"{DATA['stripe']}/v1/payment_intents/{intent}/confirm",
            data=urlencode({"payment_method": "pm_card_visa"}),
            headers={
                "Authorization": f"Bearer {DATA['stripe_key']}",
                "Content-Type": "application/x-www-form-urlencoded",
            },
            name="stripe: confirm (localstripe)",
            catch_response=True,
        ) as response:
            if response.status_code != 200 or response.json().get("status") != "succeeded":
                response.failure(f"HTTP {response.status_code} {response.text[:200]}")
                raise Refused("stripe confirm")
            response.success()
        transaction = {"id": started["transaction"]["id"]}
        self.graphql("buy: transactionProcess (card)", PROCESS, transaction, "transactionProcess")
