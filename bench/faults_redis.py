"""Redis goes away, and the Celery worker is down: what was lost (must be 0) and how long the backlog took.

    .venv/bin/python bench/faults_redis.py [--outage 10] [--worker-away 20] [--drain-every 5] [--workers 3]
    .venv/bin/python bench/faults.py --scenario redis-away      # the same, from the faults script

On servers of its own (bench/faults.py's `small_shop`: its own PostgreSQL cluster and redis-server on free
ports, a small shop, gunicorn), with a Celery worker and beat (`celery -A config worker -B`, the outbox drained
every --drain-every seconds instead of production's 30) and bench/faults.py's light load (visitors on pages and
the API, buyers checking out with cash):

1. **Redis away**: after a warm-up, our redis-server is shut down (`SHUTDOWN NOSAVE`: the cache and the broker
   both gone, with whatever the broker held) for --outage seconds, then started again on the same port.
   Measured: the answers during the outage (any 5xx, traceback or GraphQL error is unclean: must be 0), the
   orders placed while Redis was away, their confirmation e-mails sent after it came back (must be equal),
   and the seconds from Redis back until the outbox is empty.
2. **The worker away**: the worker (and beat) is stopped for --worker-away seconds while buyers go on, then
   started again. Measured: orders placed meanwhile, their e-mails sent after it returned (must be equal), the
   seconds until the outbox is empty.

Over both: e-mails recorded twice for the same order (EMAIL_SENT events per order and kind: duplicates, must
be 0), outbox jobs given up (must be 0), and bench/check_consistency.py over every order. E-mails are counted
from the EMAIL_SENT events the e-mail module records with each message sent (the console backend prints them
to bench/out/faults-worker.log). Figures go to bench/out/faults-redis-last.json; exit status 1 when a target
is missed. Nothing touches the shared PostgreSQL or Redis; everything started is stopped on exit.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import log, start_redis  # noqa: E402
from bench.faults import OUT_DIR, LightLoad, small_shop, tally  # noqa: E402

DRAIN_TARGET_SECONDS = 60.0


@contextmanager
def celery_worker(env: dict[str, str], *, log_path: Path) -> Iterator[subprocess.Popen]:
    """`celery -A config worker -B` (beat inside), its own process group, stopped on exit."""
    schedule = OUT_DIR / "faults-celerybeat-schedule"
    schedule.unlink(missing_ok=True)
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "-B", "--schedule", str(schedule)]
    command += ["--concurrency", "2", "-l", "info", "--without-gossip", "--without-mingle"]
    with log_path.open("ab") as out:
        child = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        yield child
    finally:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGTERM)
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
                child.wait()


def _redis_port(url: str) -> int:
    return int(url.rsplit(":", 1)[1].split("/", 1)[0])


def _redis_shutdown(port: int) -> None:
    import redis

    with contextlib.suppress(redis.ConnectionError):  # the server closes the connection as it goes: expected
        redis.Redis(port=port).shutdown(nosave=True)


@contextmanager
def redis_again(port: int) -> Iterator[subprocess.Popen]:
    """Our redis-server started again on the same port (nothing saved, so the broker comes back empty)."""
    child = start_redis(port)
    try:
        yield child
    finally:
        child.terminate()
        child.wait(timeout=10)


def _emails_by_order() -> dict[tuple[str, str], int]:
    from django.db.models import Count

    from marketplace.orders.models import OrderEvent, OrderEventType

    rows = (
        OrderEvent.objects.filter(type=OrderEventType.EMAIL_SENT)
        .values("order_id", "parameters__email")
        .annotate(n=Count("pk"))
    )
    return {(str(row["order_id"]), row["parameters__email"]): row["n"] for row in rows}


def _wait_until_drained(*, orders: list[str], since: float, timeout: float) -> float | None:
    """Seconds from `since` until every order has its confirmation and the outbox is empty; None on timeout."""
    from django.db import connection

    from marketplace.outbox.selectors import outbox_backlog

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        sent = _emails_by_order()
        backlog = outbox_backlog()
        connection.close()
        if backlog.pending == 0 and all((order, "order_confirmation") in sent for order in orders):
            return time.monotonic() - since
        time.sleep(0.25)
    return None


def _orders_between(load: LightLoad, start: float, end: float) -> list[str]:
    """Orders whose `checkoutComplete` answered between two moments (the load's own clock)."""
    ids = []
    for outcome, order in zip(load.completions, load.completion_ids, strict=True):
        if start <= outcome <= end:
            ids.append(order)
    return ids


class TimedLoad(LightLoad):
    """bench/faults.py's light load, remembering when each order was answered."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.completions: list[float] = []
        self.completion_ids: list[str] = []
        self._seen = 0

    def _journey(self, client: Any, rng: Any) -> None:
        super()._journey(client, rng)
        with self.lock:
            while self._seen < len(self.orders):
                self.completions.append(time.monotonic())
                self.completion_ids.append(self.orders[self._seen])
                self._seen += 1


def redis_away(args: argparse.Namespace) -> dict[str, Any]:
    from bench.check_consistency import check_consistency, stock_baseline

    with ExitStack() as stack:
        shop = stack.enter_context(small_shop(stack, workers=args.workers))
        env = {**shop["env"], "OCOP_OUTBOX_DRAIN_SECONDS": str(args.drain_every)}
        port = _redis_port(shop["redis"])
        from django.db import connection

        baseline = stock_baseline()
        connection.close()
        worker_log = OUT_DIR / "faults-worker.log"
        worker = stack.enter_context(celery_worker(env, log_path=worker_log))
        load = stack.enter_context(TimedLoad(shop["base"], variants=shop["variants"], slugs=shop["slugs"]))

        log(f"warm-up {args.before} s with Redis and the worker …")
        time.sleep(args.before)
        warm = _wait_until_drained(orders=list(load.orders), since=time.monotonic(), timeout=60)
        log(f"  warm-up orders confirmed (drained after {warm} s); Redis goes away for {args.redis_outage} s")

        down = time.monotonic()
        _redis_shutdown(port)
        time.sleep(args.redis_outage)
        stack.enter_context(redis_again(port))
        up = time.monotonic()
        log("  Redis is back; load goes on …")
        time.sleep(args.after)
        window = [o for o in load.outcomes if o.ended >= down and o.started <= up]
        redis_orders = _orders_between(load, down, up)
        redis_drain = _wait_until_drained(orders=redis_orders, since=up, timeout=DRAIN_TARGET_SECONDS * 2)
        log(f"  {len(redis_orders)} orders while Redis was away; drained after {redis_drain} s")

        log(f"the worker stops for {args.worker_away} s …")
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=60)
        away = time.monotonic()
        time.sleep(args.worker_away)
        back_started = time.monotonic()
        worker_orders = _orders_between(load, away, back_started)
        stack.enter_context(celery_worker(env, log_path=worker_log))
        worker_drain = _wait_until_drained(orders=worker_orders, since=back_started, timeout=DRAIN_TARGET_SECONDS * 2)
        log(f"  {len(worker_orders)} orders with the worker away; drained after {worker_drain} s")
        load.__exit__(None, None, None)

        from marketplace.outbox.models import OutboxJob
        from marketplace.outbox.selectors import outbox_backlog

        emails = _emails_by_order()
        duplicates = {key: n for key, n in emails.items() if n > 1}
        confirmed_after_redis = sum((order, "order_confirmation") in emails for order in redis_orders)
        confirmed_after_worker = sum((order, "order_confirmation") in emails for order in worker_orders)
        backlog = outbox_backlog()
        retried = OutboxJob.objects.filter(attempts__gt=1).count()
        jobs = OutboxJob.objects.count()
        connection.close()
        problems = check_consistency(baseline=baseline, completed=load.orders)
        unclean = [o for o in load.outcomes if o.verdict != "ok"]
        result = {
            "scenario": "redis-away",
            "workers": args.workers,
            "drain_every_s": args.drain_every,
            "redis_outage_s": round(up - down, 2),
            "answers_during_redis_outage": tally(window),
            "orders_while_redis_away": len(redis_orders),
            "confirmations_sent_after_redis_back": confirmed_after_redis,
            "drain_after_redis_back_s": None if redis_drain is None else round(redis_drain, 2),
            "worker_away_s": round(back_started - away, 2),
            "orders_while_worker_away": len(worker_orders),
            "confirmations_sent_after_worker_back": confirmed_after_worker,
            "drain_after_worker_back_s": None if worker_drain is None else round(worker_drain, 2),
            "orders_completed": len(load.orders),
            "requests": len(load.outcomes),
            "outbox_jobs": jobs,
            "outbox_jobs_retried": retried,
            "outbox_left": {"pending": backlog.pending, "failed": backlog.failed},
            "duplicate_emails": len(duplicates),
            "unclean": [vars(o) | {"started": round(o.started - down, 2)} for o in unclean[:20]],
            "consistency": problems,
            "load_average": os.getloadavg(),
        }
    missed = []
    if unclean:
        missed.append(f"{len(unclean)} answers not ok (a 5xx, a traceback, a dropped connection or a GraphQL error)")
    if confirmed_after_redis != len(redis_orders) or confirmed_after_worker != len(worker_orders):
        missed.append("e-mails lost")
    if duplicates:
        missed.append(f"{len(duplicates)} e-mails sent twice")
    if backlog.pending or backlog.failed:
        missed.append(f"outbox not empty: {backlog}")
    if redis_drain is None or worker_drain is None or max(redis_drain, worker_drain) > DRAIN_TARGET_SECONDS:
        missed.append(f"backlog drained after {redis_drain} / {worker_drain} s (target {DRAIN_TARGET_SECONDS} s)")
    if problems:
        missed.append(f"consistency: {len(problems)} problems")
    if not redis_orders or not worker_orders:
        missed.append("no order placed during an outage: nothing was measured")
    result["missed"] = missed
    return result


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options this scenario reads (bench/faults.py adds those it lacks)."""
    for name, default, text in (
        ("--redis-outage", 10.0, "seconds Redis stays away"),
        ("--worker-away", 20.0, "seconds the Celery worker stays down"),
        ("--drain-every", 5, "seconds between beat's outbox drains (production: OCOP_OUTBOX_DRAIN_SECONDS=30)"),
    ):
        parser.add_argument(name, type=type(default), default=default, help=text)


def main(argv: list[str] | None = None) -> int:
    from bench.faults import report

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--before", type=float, default=6.0, help="seconds of load before Redis goes")
    parser.add_argument("--after", type=float, default=5.0, help="seconds of load after Redis is back")
    add_arguments(parser)
    args = parser.parse_args(argv)
    result = redis_away(args)
    report(result)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    (OUT_DIR / "faults-redis-last.json").write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str))
    return 1 if result["missed"] else 0


if __name__ == "__main__":
    sys.exit(main())
