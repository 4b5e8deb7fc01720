"""Benchmark of checkout completion: completed checkouts per second with concurrent buyers over HTTP.

    .venv/bin/python bench/checkout.py [--clients 20] [--workers W] [--threads T] [--keep-db] [--quick]

1. drops and re-creates the database `ocop_checkout_bench` (--keep-db: reuses it and tops the stock up)
   and migrates it (`manage.py migrate` in a subprocess, DJANGO_SETTINGS_MODULE=config.settings.local);
2. fills it through the ORM and the listing gate: a few hundred listed products of several producers,
   each under a valid certificate, with 1–3 variants priced in whole đồng in the default channel and
   plenty of stock at four outlets of the channel that collect (two from local stock, two from any
   warehouse) and at the producers' own warehouses, and a shipping zone for Đồng Nai;
3. starts gunicorn over that database with DEBUG off (Celery tasks queued to a Redis database of
   the bench's own, never run; e-mail would go to the console);
4. completion phase: every client prepares its checkouts (checkoutCreate → checkoutDeliveryMethodUpdate →
   transactionInitialize with `ocop.payments.cash`, or for a share of them (--transfer-share, 0.3) with
   `ocop.payments.vietqr`, which draws the order's number and draws its QR code), then all clients start together
   and only call checkoutComplete: completed checkouts/s and its p50/p95;
5. journey phase: every client loops checkoutCreate (1–3 random lines) → checkoutDeliveryMethodUpdate
   (pickup at one of `availableCollectionPoints`, or, for a share of them, a shipping method after
   checkoutShippingAddressUpdate) → transactionInitialize → checkoutComplete: completed checkouts/s and
   p50/p95 of each step;
6. credit phase: the bank's signed notification of each order still awaiting its transfer, posted by the clients
   at once to /payments/bank/webhook/: credits/s, p50/p95, and every one matched to its order and paying it;
7. counts the SQL queries of one checkoutComplete in this process (CaptureQueriesContext), checks the
   database (orders == successful completes, no stock allocated beyond its quantity, allocations ==
   the allocated fulfilment lines), prints the figures and writes bench/out/checkout-last.json.

Only the database `ocop_checkout_bench` is ever dropped or written to; the server is stopped on exit.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import json
import os
import random
import statistics
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import SERVER_URL, add_delivery_zone, log, manage, recreate_database  # noqa: E402
from bench.common import server as common_server  # noqa: E402

BENCH_DB = "ocop_checkout_bench"
DATABASE_URL = f"{SERVER_URL}/{BENCH_DB}"
SETTINGS = "config.settings.local"
# Celery's broker and the cache of the bench's server and of this process: a Redis database of its own, so
# the confirmation e-mails it queues are never picked up by a worker of another database's app.
REDIS_URL = "redis://127.0.0.1:6379/13"
OUT_DIR = ROOT / "bench" / "out"
TARGET_PER_SECOND = 50.0
STOCK = 100_000
CHANNEL = "default-channel"
GATEWAY = "ocop.payments.cash"
TRANSFER_GATEWAY = "ocop.payments.vietqr"
BANK_SECRET = "bench_bank_secret"
# The collection account of the bench's server and of this process (no real one).
TRANSFER_ENV = {
    "OCOP_VIETQR_BANK_BIN": "970436",
    "OCOP_VIETQR_BANK_NAME": "Vietcombank",
    "OCOP_VIETQR_ACCOUNT_NUMBER": "0071000000001",
    "OCOP_VIETQR_ACCOUNT_NAME": "SAN OCOP DONG NAI",
    "OCOP_BANK_WEBHOOK_SECRET": BANK_SECRET,
}

PRODUCT_NAMES = [
    ("Hạt điều rang muối", "Salted roasted cashews"),
    ("Cà phê rang xay", "Ground roasted coffee"),
    ("Tiêu đen", "Black pepper"),
    ("Ca cao nguyên chất", "Pure cocoa"),
    ("Chuối sấy dẻo", "Soft dried banana"),
    ("Khô cá lóc", "Dried snakehead fish"),
    ("Mật ong hoa cà phê", "Coffee blossom honey"),
    ("Trà mãng cầu", "Soursop tea"),
    ("Bưởi Tân Triều", "Tan Trieu pomelo"),
    ("Rượu đế bầu", "Gourd rice wine"),
]
VARIANTS = [("Túi 250 g", 250), ("Hộp 500 g", 500), ("Túi 1 kg", 1000), ("Hộp quà", 800)]
COMMUNES = ["Phường Trấn Biên", "Phường Long Khánh", "Xã Xuân Lộc", "Xã Định Quán", "Phường Bình Phước"]
ADDRESS = {
    "firstName": "An",
    "lastName": "Nguyễn",
    "streetAddress1": "12 Đường 30 Tháng 4",
    "city": "Phường Trấn Biên",
    "countryArea": "Đồng Nai",
    "country": "VN",
    "phone": "0912345678",
}

CREATE = """
mutation Create($input: CheckoutCreateInput!) {
  checkoutCreate(input: $input) {
    checkout { id totalPrice { gross { amount } } availableCollectionPoints { id clickAndCollectOption } }
    errors { field code message }
  }
}"""
SHIPPING_ADDRESS = """
mutation Address($id: ID!, $address: AddressInput!) {
  checkoutShippingAddressUpdate(id: $id, shippingAddress: $address) {
    checkout { shippingMethods { id name price { amount } } }
    errors { field code message }
  }
}"""
DELIVERY = """
mutation Delivery($id: ID!, $method: ID!) {
  checkoutDeliveryMethodUpdate(id: $id, deliveryMethodId: $method) {
    checkout { totalPrice { gross { amount } } }
    errors { field code message }
  }
}"""
INITIALIZE = """
mutation Pay($id: ID!, $gateway: String!) {
  transactionInitialize(id: $id, paymentGateway: {id: $gateway}) {
    transaction { id }
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
STEPS = ("checkoutCreate", "checkoutShippingAddressUpdate", "checkoutDeliveryMethodUpdate", "transactionInitialize")
STEPS += ("checkoutComplete",)


def setup_django() -> None:
    os.environ.update(
        DATABASE_URL=DATABASE_URL,
        DJANGO_SETTINGS_MODULE=SETTINGS,
        DJANGO_DEBUG="false",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        REDIS_URL=REDIS_URL,
        OCOP_SYNC_IMAGES="false",
        **TRANSFER_ENV,
    )
    import django

    django.setup()
    from django.db import connection

    if connection.settings_dict["NAME"] != BENCH_DB:
        raise SystemExit(f"refusing to write: Django points at {connection.settings_dict['NAME']!r}")


# The shop


def fill(*, products: int, producers: int, seed: int) -> dict[str, Any]:
    """Listed products of `producers` producers, priced and in stock at the channel's collection points."""
    from django.utils import timezone

    from marketplace.catalogue.models import Product, ProductVariant, ProductVariantChannelListing
    from marketplace.catalogue.services import products_refresh_listing
    from marketplace.certification.models import Certification, CertificationStatus, CouncilLevel
    from marketplace.channel.services import channel_ensure_default
    from marketplace.core.dates import local_today
    from marketplace.core.text import slugify_vi
    from marketplace.inventory.models import Stock
    from marketplace.outlets.models import CollectionPointOption, Outlet, OutletKind
    from marketplace.producers.models import Producer, ProducerKind

    rng = random.Random(seed)
    started = time.perf_counter()
    now = timezone.now()
    today = local_today()
    channel = channel_ensure_default()
    kinds = list(ProducerKind)
    makers = Producer.objects.bulk_create(
        Producer(
            registry_id=f"CKB-P{i:04d}",
            slug=f"ckb-producer-{i}",
            name=f"HTX Nông sản {COMMUNES[i % len(COMMUNES)].split(' ', 1)[-1]} {i}",
            kind=kinds[i % len(kinds)],
            address_commune=COMMUNES[i % len(COMMUNES)],
            address_province="Tỉnh Đồng Nai",
            commune_today=COMMUNES[i % len(COMMUNES)],
            province_today="Tỉnh Đồng Nai",
        )
        for i in range(producers)
    )
    collecting = [
        ("Khu du lịch Bửu Long", OutletKind.TOURIST_SITE, CollectionPointOption.LOCAL_STOCK),
        ("Điểm bán OCOP Long Khánh", OutletKind.SHOWROOM, CollectionPointOption.LOCAL_STOCK),
        ("Trung tâm OCOP Biên Hòa", OutletKind.SHOWROOM, CollectionPointOption.ALL_WAREHOUSES),
        ("Siêu thị Co.opmart Xuân Lộc, góc OCOP", OutletKind.SHOWROOM, CollectionPointOption.ALL_WAREHOUSES),
    ]
    outlets = [
        Outlet.objects.create(
            name=name,
            slug=slugify_vi(name)[:60],
            kind=kind,
            click_and_collect_option=option,
            commune=COMMUNES[n % len(COMMUNES)],
            province="Tỉnh Đồng Nai",
            hold_days=3,
        )
        for n, (name, kind, option) in enumerate(collecting)
    ]
    warehouses = {
        maker.pk: Outlet.objects.create(
            name=f"Kho {maker.name}",
            slug=f"kho-{maker.slug}",
            kind=OutletKind.PRODUCER_WAREHOUSE,
            producer=maker,
            click_and_collect_option=CollectionPointOption.DISABLED,
            province="Tỉnh Đồng Nai",
        )
        for maker in makers[: max(1, producers // 2)]
    }
    for outlet in [*outlets, *warehouses.values()]:
        outlet.channels.add(channel)
    items = []
    for i in range(products):
        name, name_en = PRODUCT_NAMES[i % len(PRODUCT_NAMES)]
        maker = makers[rng.randrange(producers)]
        items.append(
            Product(
                registry_id=f"CKB-{i:05d}",
                slug=f"{slugify_vi(name)}-ckb-{i}",
                name=f"{name} {i}",
                name_en=f"{name_en} {i}",
                producer=maker,
                product_set="Rau, củ, quả, hạt chế biến",
                description=f"{name} của {maker.name}.",
            )
        )
    items = Product.objects.bulk_create(items)
    certifications, variants = [], []
    for product in items:
        valid_from = today - dt.timedelta(days=rng.randrange(30, 700))
        stars = rng.choice((3, 4, 4, 5))
        certificate_id = f"{product.registry_id}-C1"
        certifications.append(
            Certification(
                certificate_id=certificate_id,
                revision=1,
                registry_updated_at=now,
                status=CertificationStatus.ACTIVE,
                stars=stars,
                score=Decimal(50 + stars * 10),
                council_level=CouncilLevel.PROVINCE,
                decision_number=f"{rng.randrange(100, 4000)}/QĐ-UBND",
                decision_date=valid_from,
                issuer="UBND tỉnh Đồng Nai",
                valid_from=valid_from,
                valid_until=valid_from + dt.timedelta(days=3 * 365),
                product=product,
                producer_id=product.producer_id,
                raw={"certificate_id": certificate_id, "stars": stars},
            )
        )
        for order, (variant_name, grams) in enumerate(rng.sample(VARIANTS, rng.randint(1, 3))):
            variants.append(
                ProductVariant(
                    product=product,
                    sku=f"{product.registry_id}-{order}",
                    name=variant_name,
                    weight_grams=grams,
                    sort_order=order,
                )
            )
    Certification.objects.bulk_create(certifications)
    variants = ProductVariant.objects.bulk_create(variants)
    ProductVariantChannelListing.objects.bulk_create(
        ProductVariantChannelListing(variant=variant, channel=channel, price_amount=rng.randrange(20, 600) * 1000)
        for variant in variants
    )
    producer_of = {product.pk: product.producer_id for product in items}
    stocks = []
    for variant in variants:
        # Every variant at both local-stock outlets and one of the others, and at its producer's warehouse.
        places = [outlets[0], outlets[1], rng.choice(outlets[2:])]
        warehouse = warehouses.get(producer_of[variant.product_id])
        if warehouse is not None:
            places.append(warehouse)
        stocks.extend(Stock(variant=variant, outlet=outlet, quantity=STOCK) for outlet in places)
    Stock.objects.bulk_create(stocks)
    changes = products_refresh_listing(product_ids=[product.pk for product in items], trigger="staff")
    add_delivery_zone(channel)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # PostgreSQL here runs without autovacuum: no dead rows left
    return {
        "products": len(items),
        "listed": changes.listed,
        "variants": len(variants),
        "stock_rows": len(stocks),
        "producers": producers,
        "seconds": round(time.perf_counter() - started, 1),
    }


def refill() -> int:
    """Plenty of stock again on every row (`--keep-db`): allocations stay as the orders hold them."""
    from django.db.models import F

    from marketplace.inventory.models import Stock

    return Stock.objects.update(quantity=F("quantity_allocated") + STOCK)


def shop_variants() -> list[str]:
    from marketplace.catalogue.models import ProductVariant
    from storefront_api.core.ids import global_id

    ids = ProductVariant.objects.filter(product__listing_state="listed", channel_listings__isnull=False)
    return [global_id("ProductVariant", pk) for pk in ids.order_by("pk").values_list("pk", flat=True)]


# The server


@contextmanager
def server(*, workers: int, threads: int) -> Iterator[str]:
    """gunicorn over the checkout benchmark's database, its Celery queue in a Redis database of its own."""
    extra_env = {"REDIS_URL": REDIS_URL, **TRANSFER_ENV}
    with common_server(database=BENCH_DB, workers=workers, threads=threads, extra_env=extra_env) as base:
        yield base


# The buyers


class Failed(Exception):
    """A step answered with GraphQL errors or mutation errors."""


class Buyer:
    """One client: its own HTTP connection, random generator and timings per step."""

    def __init__(
        self, *, base: str, variants: list[str], seed: int, delivery_share: float, transfer_share: float
    ) -> None:
        import httpx

        self.http = httpx.Client(base_url=base, timeout=120)
        self.rng = random.Random(seed)
        self.variants = variants
        self.delivery_share = delivery_share
        self.transfer_share = transfer_share
        self.credit_timings: list[float] = []
        self.timings: dict[str, list[float]] = {step: [] for step in STEPS}
        self.errors: list[str] = []
        self.orders: list[str] = []

    def call(self, step: str, query: str, variables: dict[str, Any], *, timed: bool = True) -> dict[str, Any]:
        started = time.perf_counter()
        response = self.http.post("/graphql/", json={"query": query, "variables": variables})
        elapsed = (time.perf_counter() - started) * 1000
        if timed:
            self.timings[step].append(elapsed)
        body = response.json() if response.headers.get("content-type", "").startswith("application/json") else {}
        if response.status_code != 200 or body.get("errors"):
            raise Failed(f"{step}: HTTP {response.status_code} {json.dumps(body, ensure_ascii=False)[:300]}")
        data = body["data"][step]
        if data.get("errors"):
            raise Failed(f"{step}: {json.dumps(data['errors'], ensure_ascii=False)[:300]}")
        return data

    def prepare(self, timed: bool = True) -> str:
        """A checkout ready to complete: lines, a delivery method and cash chosen; its id."""
        lines = [
            {"variantId": variant, "quantity": self.rng.randint(1, 3)}
            for variant in self.rng.sample(self.variants, self.rng.randint(1, 3))
        ]
        payload = {"channel": CHANNEL, "email": f"buyer{self.rng.randrange(10**6)}@example.test", "lines": lines}
        checkout = self.call("checkoutCreate", CREATE, {"input": payload}, timed=timed)["checkout"]
        points = checkout["availableCollectionPoints"]
        if self.rng.random() < self.delivery_share or not points:
            variables = {"id": checkout["id"], "address": ADDRESS}
            address = self.call("checkoutShippingAddressUpdate", SHIPPING_ADDRESS, variables, timed=timed)
            method = self.rng.choice(address["checkout"]["shippingMethods"])["id"]
        else:
            method = self.rng.choice(points)["id"]
        self.call("checkoutDeliveryMethodUpdate", DELIVERY, {"id": checkout["id"], "method": method}, timed=timed)
        gateway = TRANSFER_GATEWAY if self.rng.random() < self.transfer_share else GATEWAY
        self.call("transactionInitialize", INITIALIZE, {"id": checkout["id"], "gateway": gateway}, timed=timed)
        return checkout["id"]

    def notify(self, credit: bytes) -> None:
        """The bank-notification service posts one signed credit."""
        from payments.vietqr.notifications import SIGNATURE_HEADER, sign

        headers = {
            "Content-Type": "application/json",
            SIGNATURE_HEADER: sign(credit, secret=BANK_SECRET, timestamp=int(time.time())),
        }
        started = time.perf_counter()
        response = self.http.post("/payments/bank/webhook/", content=credit, headers=headers)
        self.credit_timings.append((time.perf_counter() - started) * 1000)
        answer = response.json() if response.status_code == 200 else {}
        statuses = [entry["status"] for entry in answer.get("credits", [])]
        if statuses != ["matched"]:
            raise Failed(f"bank credit: HTTP {response.status_code} {response.text[:300]}")

    def complete(self, checkout_id: str) -> None:
        order = self.call("checkoutComplete", COMPLETE, {"id": checkout_id})["order"]
        self.orders.append(order["id"])

    def attempt(self, action, *args) -> Any:
        try:
            return action(*args)
        except Failed as error:
            self.errors.append(str(error))
            if len(self.errors) == 1:
                log(f"  error: {error}")
            return None


def run_together(buyers: list[Buyer], work) -> float:
    """Run `work(buyer)` in one thread per buyer, all starting at once; the wall seconds until the last ends."""
    start = threading.Barrier(len(buyers) + 1)
    threads = [threading.Thread(target=lambda b=buyer: (start.wait(), work(b))) for buyer in buyers]
    for thread in threads:
        thread.start()
    start.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def latency(values: list[float]) -> dict[str, Any]:
    if not values:
        return {"requests": 0}
    return {
        "requests": len(values),
        "p50_ms": round(statistics.median(values), 1),
        "p95_ms": round(percentile(values, 0.95), 1),
        "max_ms": round(max(values), 1),
    }


def completion_phase(buyers: list[Buyer], *, per_client: int) -> dict[str, Any]:
    log(f"completion phase: {len(buyers)} clients prepare {per_client} checkouts each …")
    prepared: dict[int, list[str]] = {}
    run_together(
        buyers, lambda b: prepared.__setitem__(id(b), [b.attempt(b.prepare, False) for _ in range(per_client)])
    )
    for buyer in buyers:
        buyer.timings["checkoutComplete"].clear()
        buyer.orders.clear()
        buyer.errors.clear()
    log("  … and complete them, all at once")
    seconds = run_together(
        buyers, lambda b: [b.attempt(b.complete, checkout) for checkout in prepared[id(b)] if checkout]
    )
    completed = sum(len(buyer.orders) for buyer in buyers)
    timings = [ms for buyer in buyers for ms in buyer.timings["checkoutComplete"]]
    return {
        "clients": len(buyers),
        "completed": completed,
        "errors": sum(len(buyer.errors) for buyer in buyers),
        "seconds": round(seconds, 2),
        "per_second": round(completed / seconds, 1),
        "checkoutComplete": latency(timings),
    }


def journey_phase(buyers: list[Buyer], *, per_client: int) -> dict[str, Any]:
    log(f"journey phase: {len(buyers)} clients, {per_client} journeys each …")
    for buyer in buyers:
        for values in buyer.timings.values():
            values.clear()
        buyer.orders.clear()
        buyer.errors.clear()

    def journeys(buyer: Buyer) -> None:
        for _ in range(per_client):
            checkout = buyer.attempt(buyer.prepare, True)
            if checkout:
                buyer.attempt(buyer.complete, checkout)

    seconds = run_together(buyers, journeys)
    completed = sum(len(buyer.orders) for buyer in buyers)
    return {
        "clients": len(buyers),
        "completed": completed,
        "errors": sum(len(buyer.errors) for buyer in buyers),
        "seconds": round(seconds, 2),
        "per_second": round(completed / seconds, 1),
        "steps": {step: latency([ms for buyer in buyers for ms in buyer.timings[step]]) for step in STEPS},
    }


def awaiting_transfer() -> list[tuple[int, int]]:
    """(number, amount due) of the orders placed for a transfer and not paid yet."""
    from marketplace.orders.models import Order, OrderStatus, PaymentMethod

    orders = Order.objects.filter(payment_method=PaymentMethod.TRANSFER, status=OrderStatus.UNCONFIRMED)
    return [
        (order.number, order.amount_due)
        for order in orders.only("number", "total_amount", "total_charged_amount", "total_refunded_amount")
    ]


def credit_phase(buyers: list[Buyer]) -> dict[str, Any]:
    """Each order awaiting its transfer gets the bank's signed notification of it, the clients posting at once."""
    owed = awaiting_transfer()
    log(f"credit phase: {len(owed)} transfers notified by {len(buyers)} clients …")
    bodies = [
        json.dumps(
            {
                "id": index,
                "gateway": "Vietcombank",
                "transactionDate": dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S"),
                "accountNumber": TRANSFER_ENV["OCOP_VIETQR_ACCOUNT_NUMBER"],
                "content": f"NGUYEN VAN AN chuyen tien OCOP {number}",
                "transferType": "in",
                "transferAmount": amount,
                "referenceCode": f"BENCH{number}",
            }
        ).encode()
        for index, (number, amount) in enumerate(owed)
    ]
    for buyer in buyers:
        buyer.errors.clear()
    share = {id(buyer): bodies[index :: len(buyers)] for index, buyer in enumerate(buyers)}
    seconds = run_together(buyers, lambda b: [b.attempt(b.notify, body) for body in share[id(b)]])
    still_owed = len(awaiting_transfer())
    return {
        "credits": len(bodies),
        "errors": sum(len(buyer.errors) for buyer in buyers),
        "seconds": round(seconds, 2),
        "per_second": round(len(bodies) / seconds, 1) if seconds and bodies else 0.0,
        "webhook": latency([ms for buyer in buyers for ms in buyer.credit_timings]),
        "orders_still_awaiting": still_owed,
    }


# In this process: the SQL of one completion, a profile, the checks


def _in_process_checkout(client: Any, variants: list[str], *, rng: random.Random, delivery: bool) -> str:
    def call(step: str, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        response = client.post("/graphql/", {"query": query, "variables": variables}, content_type="application/json")
        data = response.json()["data"][step]
        assert not data.get("errors"), data
        return data

    lines = [{"variantId": variant, "quantity": rng.randint(1, 3)} for variant in rng.sample(variants, 2)]
    payload = {"channel": CHANNEL, "email": "sql@example.test", "lines": lines}
    checkout = call("checkoutCreate", CREATE, {"input": payload})["checkout"]
    if delivery:
        methods = call("checkoutShippingAddressUpdate", SHIPPING_ADDRESS, {"id": checkout["id"], "address": ADDRESS})
        method = methods["checkout"]["shippingMethods"][0]["id"]
    else:
        method = checkout["availableCollectionPoints"][0]["id"]
    call("checkoutDeliveryMethodUpdate", DELIVERY, {"id": checkout["id"], "method": method})
    call("transactionInitialize", INITIALIZE, {"id": checkout["id"], "gateway": GATEWAY})
    return checkout["id"]


def _complete_in_process(client: Any, checkout_id: str) -> None:
    response = client.post(
        "/graphql/", {"query": COMPLETE, "variables": {"id": checkout_id}}, content_type="application/json"
    )
    data = response.json()["data"]["checkoutComplete"]
    assert not data["errors"] and data["order"], data


def count_queries(variants: list[str], *, seed: int) -> dict[str, Any]:
    """The SQL of one checkoutComplete (two lines), pickup and home delivery, in this process."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    rng = random.Random(seed)
    counts: dict[str, Any] = {}
    for name, delivery in (("pickup", False), ("delivery", True)):
        checkout = _in_process_checkout(client, variants, rng=rng, delivery=delivery)
        with CaptureQueriesContext(connection) as queries:
            _complete_in_process(client, checkout)
        counts[name] = len(queries)
        counts[f"{name}_sql"] = [query["sql"][:240] for query in queries]
    return counts


def profile(variants: list[str], *, seed: int, runs: int) -> str:
    """cProfile `runs` in-process completions (checkouts prepared beforehand) into bench/out/."""
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    rng = random.Random(seed)
    checkouts = [_in_process_checkout(client, variants, rng=rng, delivery=n % 4 == 0) for n in range(runs)]
    profiler = cProfile.Profile()
    profiler.enable()
    for checkout in checkouts:
        _complete_in_process(client, checkout)
    profiler.disable()
    path = OUT_DIR / "checkout-complete.prof"
    profiler.dump_stats(path)
    return str(path.relative_to(ROOT))


def database_state() -> dict[str, int]:
    from marketplace.orders.models import Order

    return {"orders": Order.objects.count()}


def verify(*, before: dict[str, int], completes: int) -> dict[str, Any]:
    """Orders made == completes answered; no stock allocated beyond its quantity; allocations add up."""
    from django.db import connection

    from marketplace.orders.models import Order

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM inventory_stock WHERE quantity_allocated > quantity")
        overallocated = cursor.fetchone()[0]
        cursor.execute(
            """
            SELECT count(*) FROM inventory_stock AS s
            LEFT JOIN (
                SELECT l.stock_id, sum(l.quantity) AS allocated
                FROM orders_fulfillmentline AS l WHERE l.is_allocated AND l.stock_id IS NOT NULL GROUP BY l.stock_id
            ) AS a ON a.stock_id = s.id
            WHERE s.quantity_allocated <> coalesce(a.allocated, 0)
            """
        )
        mismatched = cursor.fetchone()[0]
        cursor.execute("SELECT coalesce(sum(quantity_allocated), 0) FROM inventory_stock")
        allocated = cursor.fetchone()[0]
        cursor.execute("SELECT coalesce(sum(quantity), 0) FROM orders_fulfillmentline WHERE is_allocated")
        lines = cursor.fetchone()[0]
        cursor.execute(
            "SELECT count(*) FROM orders_order AS o WHERE NOT EXISTS "
            "(SELECT 1 FROM orders_fulfillment AS f WHERE f.order_id = o.id)"
        )
        without_fulfilment = cursor.fetchone()[0]
    made = Order.objects.count() - before["orders"]
    checks = {
        "orders_made": made,
        "completes_answered": completes,
        "orders_match_completes": made == completes,
        "stock_rows_overallocated": overallocated,
        "stock_rows_allocation_mismatch": mismatched,
        "units_allocated": allocated,
        "units_on_allocated_fulfilment_lines": lines,
        "orders_without_fulfilment": without_fulfilment,
    }
    checks["ok"] = (
        checks["orders_match_completes"]
        and overallocated == 0
        and mismatched == 0
        and allocated == lines
        and without_fulfilment == 0
    )
    return checks


def forget_queued_tasks() -> int:
    """Drop what the run queued for Celery (confirmation e-mails) in the bench's Redis database."""
    import redis

    connection = redis.Redis.from_url(REDIS_URL)
    dropped = connection.llen("celery")
    connection.delete("celery")
    return dropped


def run(args: argparse.Namespace) -> dict[str, Any]:
    result: dict[str, Any] = {
        "cpus": os.cpu_count(),
        "clients": args.clients,
        "workers": args.workers,
        "threads": args.threads,
        "quick": args.quick,
        "transfer_share": args.transfer_share,
    }
    state = recreate_database(BENCH_DB, keep=args.keep_db)
    log(f"database {BENCH_DB}: {state}")
    result["migrate_seconds"] = round(
        manage("migrate", "--noinput", "-v", "0", database=BENCH_DB, settings=SETTINGS), 1
    )
    setup_django()
    from marketplace.catalogue.models import Product

    if not Product.objects.exists():
        log(f"filling {args.products} products of {args.producers} producers …")
        result["fill"] = fill(products=args.products, producers=args.producers, seed=args.seed)
        log(f"filled in {result['fill']['seconds']} s")
    else:
        result["refilled_stock_rows"] = refill()
    variants = shop_variants()
    result["variants"] = len(variants)
    before = database_state()
    completes = 0
    with server(workers=args.workers, threads=args.threads) as base:
        buyers = [
            Buyer(
                base=base,
                variants=variants,
                seed=args.seed * 1000 + n,
                delivery_share=args.delivery_share,
                transfer_share=args.transfer_share,
            )
            for n in range(args.clients)
        ]
        log("warming up: one journey per client …")
        run_together(buyers, lambda b: b.attempt(b.complete, b.attempt(b.prepare, False) or ""))
        completes += sum(len(buyer.orders) for buyer in buyers)
        result["completion"] = completion_phase(buyers, per_client=args.checkouts)
        completes += result["completion"]["completed"]
        result["journey"] = journey_phase(buyers, per_client=args.journeys)
        completes += result["journey"]["completed"]
        result["credits"] = credit_phase(buyers)
        result["sample_errors"] = sorted({error for buyer in buyers for error in buyer.errors})[:5]
        for buyer in buyers:
            buyer.http.close()
    result["load_average"] = [round(load, 2) for load in os.getloadavg()]
    log("counting the SQL of one checkoutComplete in this process …")
    result["sql"] = count_queries(variants, seed=args.seed)
    completes += 2
    if args.profile:
        result["profile"] = profile(variants, seed=args.seed, runs=args.profile)
        completes += args.profile
    result["checks"] = verify(before=before, completes=completes)
    result["celery_tasks_dropped"] = forget_queued_tasks()
    return result


def report(result: dict[str, Any]) -> None:
    print(
        f"\ncheckout completion, {result['clients']} clients over HTTP, gunicorn {result['workers']} workers × "
        f"{result['threads']} threads, {result['variants']} variants ({result['cpus']} CPUs)"
    )
    if "fill" in result:
        fill = result["fill"]
        print(
            f"fill: {fill['products']} products ({fill['listed']} listed), {fill['variants']} variants, "
            f"{fill['stock_rows']} stock rows, {fill['producers']} producers in {fill['seconds']} s"
        )
    completion = result["completion"]
    met = "met" if completion["per_second"] >= TARGET_PER_SECOND else "MISSED"
    latency_ = completion["checkoutComplete"]
    errors = f", {completion['errors']} errors" if completion["errors"] else ""
    print(
        f"completion phase: {completion['completed']} completed in {completion['seconds']} s = "
        f"{completion['per_second']}/s (target ≥ {TARGET_PER_SECOND:.0f}/s: {met}); checkoutComplete "
        f"p50 {latency_['p50_ms']} ms, p95 {latency_['p95_ms']} ms{errors}"
    )
    journey = result["journey"]
    errors = f", {journey['errors']} errors" if journey["errors"] else ""
    print(
        f"whole journey:    {journey['completed']} completed in {journey['seconds']} s = "
        f"{journey['per_second']}/s{errors}"
    )
    print(f"  {'step':<30} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8}")
    for step, figures in journey["steps"].items():
        if figures["requests"]:
            print(f"  {step:<30} {figures['requests']:>8} {figures['p50_ms']:>8} {figures['p95_ms']:>8}")
    credits = result["credits"]
    print(
        f"transfers ({result['transfer_share']:.0%} of checkouts): {credits['credits']} bank notifications in "
        f"{credits['seconds']} s = {credits['per_second']}/s, webhook p50 {credits['webhook'].get('p50_ms')} ms, "
        f"p95 {credits['webhook'].get('p95_ms')} ms, {credits['errors']} errors; orders still awaiting a transfer: "
        f"{credits['orders_still_awaiting']}"
    )
    sql = result["sql"]
    print(f"SQL queries of one checkoutComplete (2 lines): pickup {sql['pickup']}, home delivery {sql['delivery']}")
    for error in result["sample_errors"]:
        print(f"  error: {error}")
    checks = result["checks"]
    print(
        f"checks: {'ok' if checks['ok'] else 'FAILED'} — orders made {checks['orders_made']}, completes answered "
        f"{checks['completes_answered']}; stock rows over-allocated {checks['stock_rows_overallocated']}, "
        f"allocation ≠ fulfilment lines {checks['stock_rows_allocation_mismatch']}; units allocated "
        f"{checks['units_allocated']} = on fulfilment lines {checks['units_on_allocated_fulfilment_lines']}"
    )
    print(f"load average after the run: {result['load_average']}")
    if "profile" in result:
        print(f"profile: {result['profile']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=int, default=300)
    parser.add_argument("--producers", type=int, default=12)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--clients", type=int, default=20, help="concurrent buyers (threads)")
    parser.add_argument("--checkouts", type=int, default=None, help="checkouts per client, completion phase (25)")
    parser.add_argument("--journeys", type=int, default=None, help="journeys per client, journey phase (10)")
    parser.add_argument("--delivery-share", type=float, default=0.25, help="share of home deliveries")
    parser.add_argument("--transfer-share", type=float, default=0.3, help="share paid by VietQR transfer, not cash")
    parser.add_argument(
        "--workers",
        type=int,
        default=2 * (os.cpu_count() or 1) + 1,
        help="gunicorn workers (default: gunicorn's advice, 2 × CPUs + 1; a completion waits on PostgreSQL "
        "about half its time)",
    )
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker")
    parser.add_argument("--keep-db", action="store_true", help="reuse ocop_checkout_bench, stock topped up")
    parser.add_argument("--quick", action="store_true", help="5 checkouts and 3 journeys per client")
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="also cProfile N in-process completes")
    args = parser.parse_args(argv)
    if args.checkouts is None:
        args.checkouts = 5 if args.quick else 25
    if args.journeys is None:
        args.journeys = 3 if args.quick else 10
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    result = run(args)
    report(result)
    (OUT_DIR / "checkout-last.json").write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str))
    return 0 if result["checks"]["ok"] and not result["credits"]["orders_still_awaiting"] else 1


if __name__ == "__main__":
    sys.exit(main())
