"""Payments under faults, scripted: Stripe unreachable, webhooks that never arrive, and processes killed between
the charge and the order. Prints what was lost (must be 0) and how long recovery took.

    .venv/bin/python bench/faults_payments.py [--checkouts 20] [--keep-db]

1. drops and re-creates the database `ocop_payfaults_bench` and migrates it (`manage.py migrate` in a subprocess,
   config.settings.local, DEBUG off); starts its own localstripe (payments/stripe/localstripe_server.py) and
   points this process at it; Celery's broker is a Redis database of the script's own (14: nothing runs the jobs);
2. fills it through the ORM: one listed product per checkout, 1 unit of stock each, at an outlet that collects;
3. **Stripe unreachable**: with STRIPE_API_BASE on a closed port, `transactionInitialize` and `checkoutComplete`
   (after a payment confirmed in the browser) through the storefront API: each answers `{field code message}`
   (PAYMENT_ERROR), places no order, charges nothing; the time each refusal took; and `transactionInitialize`
   against an address that swallows the connection (STRIPE_CONNECT_TIMEOUT_SECONDS ends each of 3 tries);
4. **killed between the charge and the order**: for each of the other checkouts a child process pays by card
   at localstripe and is killed with SIGKILL at one of two points: right after Stripe charged (before the charge
   is recorded), or inside the order's database transaction after the order's rows are written (before COMMIT).
   A third kind pays in the browser and never completes, and its webhook never arrives. For a quarter of the
   checkouts the stock is then sold elsewhere, so the order can no longer be placed;
5. **recovery**: runs `payments.reconciliation.reconcile_payments` as Celery beat would, past its grace period,
   until a run changes nothing; then checks every checkout against localstripe: either exactly one order with
   its charge and stock allocated, or the charge refunded in full and no order. Lost = money at Stripe with no
   order and no refund + orders without their money + checkouts with two orders + refunds given twice.

Recovery in production takes OCOP_PAYMENT_RECONCILE_AFTER_MINUTES (5) plus at most a minute (the beat interval)
plus the run time printed here. Only `ocop_payfaults_bench` is ever dropped or written to.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BENCH_DB = "ocop_payfaults_bench"
SERVER_URL = "postgres://postgres@127.0.0.1:5432"
REDIS_URL = "redis://127.0.0.1:6379/14"
SETTINGS = "config.settings.local"
CLOSED_PORT = "http://127.0.0.1:9"
KEYS = {
    "STRIPE_SECRET_KEY": "sk_test_payfaults",
    "STRIPE_PUBLISHABLE_KEY": "pk_test_payfaults",
    "STRIPE_WEBHOOK_SECRET": "whsec_payfaults",
}
KILL_POINTS = ("after_charge", "inside_order")


def log(message: str = "") -> None:
    print(message, file=sys.stderr, flush=True)


def environment(stripe_base: str) -> dict[str, str]:
    return {
        **os.environ,
        **KEYS,
        "DATABASE_URL": f"{SERVER_URL}/{BENCH_DB}",
        "REDIS_URL": REDIS_URL,
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "DJANGO_DEBUG": "false",
        "DJANGO_ALLOWED_HOSTS": "testserver",  # the storefront API is called in-process (django.test.Client)
        "STRIPE_API_BASE": stripe_base,
        "LOG_LEVEL": "ERROR",
    }


def recreate_database(*, keep: bool) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{SERVER_URL}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB]).fetchone() is not None
        if exists and keep:
            return
        if exists:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(BENCH_DB)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(BENCH_DB)))


def setup_django(stripe_base: str) -> None:
    os.environ.update(environment(stripe_base))
    import django

    django.setup()
    from django.db import connection

    assert connection.settings_dict["NAME"] == BENCH_DB, "the script writes only to its own database"


# --- the child: pays, then dies ---


def child(token: str, kill_point: str) -> None:
    """Pay the checkout by card at Stripe, then SIGKILL this process at `kill_point`."""
    setup_django(os.environ["STRIPE_API_BASE"])
    from marketplace.checkout.models import Checkout
    from payments import services
    from payments.checkout import checkout_complete
    from payments.models import Gateway

    def die(*args: Any, **kwargs: Any) -> None:
        os.kill(os.getpid(), signal.SIGKILL)

    checkout = Checkout.objects.get(pk=token)
    item, _, _ = services.transaction_initialize(checkout=checkout, gateway_id=Gateway.STRIPE)
    if kill_point == "after_charge":
        services._apply_state = die  # type: ignore[assignment]  # Stripe has charged; nothing recorded yet
        services.transaction_process(transaction=item, data={"paymentMethod": "pm_card_visa"})
    else:
        services.transaction_process(transaction=item, data={"paymentMethod": "pm_card_visa"})
        import marketplace.checkout.complete as complete

        complete._save_addresses = die  # the order's rows are written, not committed
        checkout_complete(token=checkout.pk, user=None)
    raise SystemExit("the child was meant to die")


# --- the parent ---


def fill(count: int) -> list[str]:
    from marketplace.catalogue.services import products_refresh_listing
    from marketplace.channel.services import channel_ensure_default
    from marketplace.checkout.services import LineRequest, checkout_create, checkout_delivery_method_update
    from marketplace.outlets.models import CollectionPointOption
    from tests.factories import make_certification, make_outlet, make_product, make_stock, make_variant

    channel = channel_ensure_default()
    outlet = make_outlet(click_and_collect_option=CollectionPointOption.LOCAL_STOCK)
    outlet.channels.add(channel)
    tokens = []
    for index in range(count):
        product = make_product()
        make_certification(product)
        variant = make_variant(product, price=100_000 + 1_000 * index)
        make_stock(variant, outlet, quantity=1)
        products_refresh_listing(product_ids=[product.pk], trigger="staff")
        checkout = checkout_create(
            channel=channel,
            lines=[LineRequest(variant_id=variant.pk, quantity=1)],
            email=f"khach{index}@example.vn",
            language_code="vi",
            user=None,
        )
        tokens.append(str(checkout_delivery_method_update(checkout=checkout, outlet_id=outlet.pk).pk))
    return tokens


def graphql(query: str, variables: dict[str, Any]) -> tuple[dict[str, Any], float]:
    from django.test import Client

    started = time.perf_counter()
    response = Client().post(
        "/graphql/", json.dumps({"query": query, "variables": variables}), content_type="application/json"
    )
    seconds = time.perf_counter() - started
    assert response.status_code == 200, response.content
    body = response.json()
    assert "errors" not in body, body
    return body["data"], seconds


INITIALIZE = """mutation($id: ID!) { transactionInitialize(id: $id, paymentGateway: {id: "saleor.app.payment.stripe"})
  { transaction { id } data errors { field code message } } }"""
COMPLETE = """mutation($id: ID!) { checkoutComplete(id: $id) { order { id } errors { field code message } } }"""


def stripe_view(base: str, path: str) -> dict[str, Any]:
    request = urllib.request.Request(base + path, headers={"Authorization": f"Bearer {KEYS['STRIPE_SECRET_KEY']}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def confirm_in_browser(base: str, client_secret: str) -> None:
    intent_id = client_secret.split("_secret_")[0]
    request = urllib.request.Request(
        f"{base}/v1/payment_intents/{intent_id}/confirm",
        data=b"payment_method=pm_card_visa",
        headers={"Authorization": f"Bearer {KEYS['STRIPE_SECRET_KEY']}"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert json.load(response)["status"] == "succeeded"


def stripe_unreachable(stripe_base: str, tokens: list[str]) -> dict[str, Any]:
    """transactionInitialize, then checkoutComplete after a browser payment, each while Stripe is unreachable (a
    closed port), and transactionInitialize while Stripe is silent (the connection never accepted)."""
    from django.conf import settings
    from graphql_relay import to_global_id

    from marketplace.orders.models import Order
    from payments.models import TransactionItem

    init_token, complete_token, silent_token = tokens
    graphql("{ shop { name } }", {})  # the first request builds the schema: not part of the figures
    settings.STRIPE_API_BASE = CLOSED_PORT
    init, init_seconds = graphql(INITIALIZE, {"id": to_global_id("Checkout", init_token)})
    settings.STRIPE_API_BASE = stripe_base
    opened, _ = graphql(INITIALIZE, {"id": to_global_id("Checkout", complete_token)})
    confirm_in_browser(stripe_base, opened["transactionInitialize"]["data"]["paymentIntent"]["stripeClientSecret"])
    settings.STRIPE_API_BASE = CLOSED_PORT
    complete, complete_seconds = graphql(COMPLETE, {"id": to_global_id("Checkout", complete_token)})
    settings.STRIPE_API_BASE = stripe_base
    result = {
        "initialize_errors": init["transactionInitialize"]["errors"],
        "initialize_seconds": round(init_seconds, 2),
        "initialize_transactions_written": TransactionItem.objects.filter(checkout_id=init_token).count(),
        "complete_errors": complete["checkoutComplete"]["errors"],
        "complete_seconds": round(complete_seconds, 2),
    }
    with silent_address() as silent:  # packets swallowed: only the connect timeout ends each try
        settings.STRIPE_API_BASE = silent
        quiet, quiet_seconds = graphql(INITIALIZE, {"id": to_global_id("Checkout", silent_token)})
        settings.STRIPE_API_BASE = stripe_base
    result["silent_initialize_errors"] = [error["code"] for error in quiet["transactionInitialize"]["errors"]]
    result["silent_initialize_seconds"] = round(quiet_seconds, 2)
    result["silent_connect_timeout_seconds"] = settings.STRIPE_CONNECT_TIMEOUT_SECONDS
    result["orders_placed_while_down"] = Order.objects.filter(checkout_token__in=tokens).count()
    result["initialize_transactions_written"] += TransactionItem.objects.filter(checkout_id=silent_token).count()
    retried, _ = graphql(COMPLETE, {"id": to_global_id("Checkout", complete_token)})
    result["complete_after_stripe_returns"] = retried["checkoutComplete"]["errors"] == [] and bool(
        retried["checkoutComplete"]["order"]
    )
    return result


@contextlib.contextmanager
def silent_address() -> Iterator[str]:
    """An address whose accept queue is full, so the kernel drops the SYNs: a network that swallows packets."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(0)
    port = server.getsockname()[1]
    queued = []
    for _ in range(3):
        client = socket.socket()
        client.setblocking(False)
        client.connect_ex(("127.0.0.1", port))
        queued.append(client)
    time.sleep(0.1)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        for client in queued:
            client.close()
        server.close()


def crash(stripe_base: str, tokens: list[str]) -> dict[str, str]:
    """Each checkout paid and left without an order: a child killed at a kill point, or a browser payment whose
    webhook never arrives. Returns the kind of each."""
    kinds: dict[str, str] = {}
    for index, token in enumerate(tokens):
        kind = ("after_charge", "inside_order", "webhook_lost")[index % 3]
        kinds[token] = kind
        if kind == "webhook_lost":
            from graphql_relay import to_global_id

            opened, _ = graphql(INITIALIZE, {"id": to_global_id("Checkout", token)})
            confirm_in_browser(
                stripe_base, opened["transactionInitialize"]["data"]["paymentIntent"]["stripeClientSecret"]
            )
            continue
        done = subprocess.run(
            [sys.executable, __file__, "--child", token, "--kill-point", kind],
            cwd=ROOT,
            env=environment(stripe_base),
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != -signal.SIGKILL:
            raise SystemExit(f"the child for {token} ended with {done.returncode}:\n{done.stdout}{done.stderr}")
    return kinds


def audit(stripe_base: str, tokens: list[str]) -> dict[str, Any]:
    """Every checkout, from Stripe's side (each intent names its checkout in its metadata): one order holding its
    charge and no refund, or the charge refunded in full (once) and no order."""
    from collections import defaultdict

    from django.db.models import Count, F

    from marketplace.inventory.models import Stock
    from marketplace.orders.models import Order
    from payments.models import TransactionItem

    intents: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for reference in TransactionItem.objects.filter(psp_reference__startswith="pi_").values_list(
        "psp_reference", flat=True
    ):
        intent = stripe_view(stripe_base, f"/v1/payment_intents/{reference}")
        intent["refunds"] = stripe_view(stripe_base, f"/v1/refunds?payment_intent={reference}")["data"]
        intents[intent["metadata"]["checkout_token"]].append(intent)
    placed = refunded = 0
    problems = []
    for token in tokens:
        orders = list(Order.objects.filter(checkout_token=token))
        charged = sum(i["amount_received"] for i in intents[token] if i["status"] == "succeeded")
        refunds = [refund["amount"] for i in intents[token] for refund in i["refunds"]]
        paid_intents = sum(1 for i in intents[token] if i["status"] == "succeeded")
        if len(orders) == 1 and not refunds and charged == orders[0].total_amount == orders[0].total_charged_amount:
            placed += 1
        elif not orders and charged > 0 and sum(refunds) == charged and len(refunds) == paid_intents:
            refunded += 1
        else:
            problems.append({"checkout": token, "orders": len(orders), "charged": charged, "refunds": refunds})
    over_allocated = Stock.objects.filter(quantity_allocated__gt=F("quantity")).count()
    two_orders = Order.objects.values("checkout_token").annotate(n=Count("pk")).filter(n__gt=1).count()
    return {
        "placed": placed,
        "refunded": refunded,
        "lost": len(problems) + over_allocated + two_orders,
        "problems": problems,
    }


def recover(*, max_runs: int = 10) -> tuple[list[dict[str, Any]], float]:
    """Reconciliation runs, as beat would, past the grace period, until one changes nothing."""
    from django.conf import settings
    from django.utils import timezone

    from payments.reconciliation import reconcile_payments

    runs = []
    started = time.perf_counter()
    for index in range(max_runs):
        now = timezone.now() + dt.timedelta(minutes=settings.OCOP_PAYMENT_RECONCILE_AFTER_MINUTES + 1 + index)
        report = reconcile_payments(now=now)
        runs.append(
            {
                "read": report.read,
                "settled": report.settled,
                "orders_placed": len(report.orders_placed),
                "checkouts_refused": report.checkouts_refused,
                "released": report.released,
                "released_amount": report.released_amount,
                "unreachable": report.unreachable,
                "seconds": round(report.seconds, 3),
            }
        )
        if not (report.settled or report.orders_placed or report.released or report.checkouts_refused):
            break
    return runs, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--checkouts", type=int, default=24, help="checkouts paid and left without an order")
    parser.add_argument("--keep-db", action="store_true", help="reuse the database (it is not re-migrated)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--kill-point", choices=KILL_POINTS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.kill_point)
        return

    from payments.stripe.localstripe_server import LocalStripe

    recreate_database(keep=args.keep_db)
    migrate = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--no-input"],
        cwd=ROOT,
        env=environment(CLOSED_PORT),
        capture_output=True,
        text=True,
        check=False,
    )
    if migrate.returncode:
        raise SystemExit(f"migrate failed:\n{migrate.stdout}{migrate.stderr}")
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    with (out / "payfaults-localstripe.log").open("wb") as stripe_log, LocalStripe(log=stripe_log) as stripe:
        setup_django(stripe.base_url)
        tokens = fill(args.checkouts + 3)
        log(f"{len(tokens)} checkouts; localstripe on {stripe.base_url}")
        unreachable = stripe_unreachable(stripe.base_url, tokens[:3])
        log(f"Stripe unreachable: {json.dumps(unreachable)}")
        crashing = tokens[3:]
        kinds = crash(stripe.base_url, crashing)
        from marketplace.inventory.models import Stock

        sold = crashing[::4]  # the stock of a quarter of them is sold at the counter meanwhile
        Stock.objects.filter(variant__in=_variants_of(sold)).update(quantity=0)
        from marketplace.orders.models import Order

        assert not Order.objects.filter(checkout_token__in=crashing).exists(), "a killed process placed an order"
        runs, seconds = recover()
        result = audit(stripe.base_url, crashing)
        unreachable_lost = unreachable["orders_placed_while_down"] + unreachable["initialize_transactions_written"]
        figures = {
            "stripe_unreachable": unreachable,
            "killed_or_webhook_lost": dict(Counter(kinds.values())),
            "stock_sold_meanwhile": len(sold),
            "reconciliation_runs": runs,
            "recovery_seconds": round(seconds, 2),
            "orders_placed": result["placed"],
            "refunded_in_full": result["refunded"],
            "lost": result["lost"] + unreachable_lost,
            "problems": result["problems"],
        }
        (out / "payfaults-last.json").write_text(json.dumps(figures, indent=2))
        print(json.dumps(figures, indent=2))
        if figures["lost"]:
            raise SystemExit(1)


def _variants_of(tokens: list[str]) -> list[int]:
    from marketplace.checkout.models import CheckoutLine

    return list(CheckoutLine.objects.filter(checkout_id__in=tokens).values_list("variant_id", flat=True))


if __name__ == "__main__":
    main()
