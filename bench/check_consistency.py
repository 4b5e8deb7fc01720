"""After a load run: every completed checkout is one whole order, and the stock adds up.

    .venv/bin/python bench/check_consistency.py --database ocop_load_bench [--baseline bench/out/load-baseline.json]

As a function (tests, bench/load.py, bench/faults.py), with Django set up on the database to check:

    baseline = stock_baseline()            # before the run
    ...                                    # orders placed, handed over, canceled
    problems = check_consistency(baseline=baseline, completed=[order ids the clients were given])
    assert problems == []

What it proves (each failure is one line of the returned list):

1. every order id a client was given by `checkoutComplete` exists, once, and no other order was placed
   from the run's checkouts (`completed` given: orders placed since the baseline == the completes);
2. every order placed since the baseline has lines; each line's quantity is covered exactly by its
   fulfilment lines (the allocations); it has at least one payment row (`TransactionItem`) whose
   requested amount is the order's total; a card order is charged its total, a cash order is not charged
   before it is handed over;
3. no stock row is allocated beyond its quantity, and each row's `quantity_allocated` is the sum of its
   fulfilment lines that still hold stock;
4. per variant, the units of the baseline == the units on the shelves now (`quantity`, of which
   `quantity_allocated` promised) + the units handed over since (fulfilment lines no longer holding stock
   whose fulfilment was shipped or handed over). Canceled lines gave their units back to the shelf.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

HANDED_OVER = ("shipped", "fulfilled")
CARD_GATEWAYS = ("saleor.app.payment.stripe", "saleor.io.dummy-payment-app")
CASH_GATEWAY = "ocop.payments.cash"


def stock_baseline() -> dict[str, Any]:
    """What the checker compares with afterwards: the time, and the units each variant has or handed over."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT now()")
        now = cursor.fetchone()[0]
    return {"at": now.isoformat(), "variants": {str(k): v for k, v in _units_per_variant().items()}}


def _units_per_variant() -> dict[int, int]:
    """Units on the shelves plus units handed over, per variant (a variant's whole history of stock)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT s.variant_id, SUM(s.quantity) + COALESCE(SUM(gone.quantity), 0)
            FROM inventory_stock AS s
            LEFT JOIN (
                SELECT fl.stock_id, SUM(fl.quantity) AS quantity
                FROM orders_fulfillmentline AS fl
                JOIN orders_fulfillment AS f ON f.id = fl.fulfillment_id
                WHERE NOT fl.is_allocated AND f.status = ANY(%s) AND fl.stock_id IS NOT NULL
                GROUP BY fl.stock_id
            ) AS gone ON gone.stock_id = s.id
            GROUP BY s.variant_id
            """,
            [list(HANDED_OVER)],
        )
        return {variant_id: int(units) for variant_id, units in cursor.fetchall()}


def check_consistency(*, baseline: dict[str, Any], completed: Iterable[str] | None = None) -> list[str]:
    """The problems found (empty when everything holds); see the module's docstring."""
    from django.db import connection

    problems: list[str] = []
    since = baseline["at"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT id::text FROM orders_order WHERE created_at >= %s", [since])
        placed = [row[0] for row in cursor.fetchall()]
        if completed is not None:
            given = list(completed)
            if len(given) != len(set(given)):
                problems.append(f"{len(given) - len(set(given))} order ids were given to two completes")
            missing = set(given) - set(placed)
            extra = set(placed) - set(given)
            if missing:
                problems.append(f"{len(missing)} completed checkouts have no order, e.g. {sorted(missing)[:3]}")
            if extra:
                problems.append(f"{len(extra)} orders no client was told of (half-written?), e.g. {sorted(extra)[:3]}")
        cursor.execute(
            """
            SELECT o.id::text, o.number
            FROM orders_order AS o
            WHERE o.created_at >= %s AND NOT EXISTS (SELECT 1 FROM orders_orderline AS l WHERE l.order_id = o.id)
            """,
            [since],
        )
        for order_id, number in cursor.fetchall():
            problems.append(f"order {number} ({order_id}) has no lines")
        cursor.execute(
            """
            SELECT o.number, l.id::text, l.quantity, COALESCE(SUM(fl.quantity), 0)
            FROM orders_order AS o
            JOIN orders_orderline AS l ON l.order_id = o.id
            LEFT JOIN orders_fulfillmentline AS fl ON fl.order_line_id = l.id
            WHERE o.created_at >= %s
            GROUP BY o.number, l.id, l.quantity
            HAVING COALESCE(SUM(fl.quantity), 0) <> l.quantity
            """,
            [since],
        )
        for number, line_id, quantity, allocated in cursor.fetchall():
            problems.append(f"order {number}: line {line_id} of {quantity} has {allocated} in its allocations")
        cursor.execute(
            """
            SELECT o.number, o.total_amount, o.handed_over_at IS NOT NULL,
                   COUNT(t.token), COALESCE(SUM(t.amount_requested), 0),
                   COALESCE(SUM(t.charged_amount) FILTER (WHERE t.gateway = ANY(%s)), 0),
                   COALESCE(SUM(t.charged_amount) FILTER (WHERE t.gateway = %s), 0),
                   BOOL_OR(t.gateway = ANY(%s))
            FROM orders_order AS o
            LEFT JOIN payments_transactionitem AS t ON t.order_id = o.id
            WHERE o.created_at >= %s
            GROUP BY o.number, o.total_amount, o.handed_over_at
            """,
            [list(CARD_GATEWAYS), CASH_GATEWAY, list(CARD_GATEWAYS), since],
        )
        for number, total, handed_over, rows, requested, card_charged, cash_charged, by_card in cursor.fetchall():
            if not rows:
                problems.append(f"order {number} has no payment row")
            elif requested != total:
                problems.append(f"order {number}: payments request {requested} đồng of a total of {total}")
            elif by_card and card_charged != total:
                problems.append(f"order {number}: the card was charged {card_charged} đồng of {total}")
            elif cash_charged and not handed_over:
                problems.append(f"order {number}: cash marked as taken ({cash_charged} đồng) before the hand-over")
        cursor.execute(
            """
            SELECT s.id, s.variant_id, s.quantity, s.quantity_allocated, COALESCE(held.quantity, 0)
            FROM inventory_stock AS s
            LEFT JOIN (
                SELECT stock_id, SUM(quantity) AS quantity
                FROM orders_fulfillmentline WHERE is_allocated AND stock_id IS NOT NULL GROUP BY stock_id
            ) AS held ON held.stock_id = s.id
            WHERE s.quantity_allocated > s.quantity OR s.quantity_allocated <> COALESCE(held.quantity, 0)
            """
        )
        for stock_id, variant_id, quantity, allocated, held in cursor.fetchall():
            if allocated > quantity:
                problems.append(f"stock {stock_id} (variant {variant_id}): {allocated} allocated of {quantity}")
            if allocated != held:
                problems.append(f"stock {stock_id} (variant {variant_id}): {allocated} allocated, {held} in orders")
    before = {int(k): v for k, v in baseline["variants"].items()}
    now = _units_per_variant()
    for variant_id in sorted(set(before) | set(now)):
        if before.get(variant_id, 0) != now.get(variant_id, 0):
            problems.append(
                f"variant {variant_id}: {before.get(variant_id, 0)} units before, "
                f"{now.get(variant_id, 0)} on the shelves and handed over now"
            )
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", required=True, help="the database to check (a benchmark's own)")
    parser.add_argument("--baseline", type=Path, required=True, help="JSON written by stock_baseline() before the run")
    parser.add_argument("--completed", type=Path, help="a file of the order ids the clients were given, one a line")
    args = parser.parse_args(argv)
    os.environ.update(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{args.database}",
        DJANGO_SETTINGS_MODULE=os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings.local"),
    )
    import django

    django.setup()
    completed = args.completed.read_text().split() if args.completed else None
    problems = check_consistency(baseline=json.loads(args.baseline.read_text()), completed=completed)
    for problem in problems:
        print(problem)
    print(f"consistency: {'holds' if not problems else f'{len(problems)} problems'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
