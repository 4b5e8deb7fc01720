"""Load test: visitors, API clients and buyers at once (Locust, headless), ramped to the most this machine holds.

    .venv/bin/python bench/load.py                          # fill 10,000 products, ramp 5 → 100 users
    .venv/bin/python bench/load.py --keep-db                # reuse ocop_load_bench (stock topped up)
    .venv/bin/python bench/load.py --keep-db --stages 20,40 --stage-seconds 60
    .venv/bin/python bench/load.py --keep-db --soak 40 --soak-minutes 30     # the soak at 40 users

1. drops and re-creates the database `ocop_load_bench` (--keep-db: reuses it) and migrates it;
2. fills it with bench/catalog.py's COPY fill (10,000 listed products, certificates, variants, prices),
   makes its twelve showrooms collection points of the default channel (half from their own stock, half
   from any warehouse), gives the variants the buyers pick 100,000 units, adds a shipping zone for Đồng
   Nai, refreshes the automatic collections and builds the search index;
3. starts localstripe (payments/stripe/localstripe_server.py, its webhook registered to our endpoint),
   gunicorn (config.wsgi, DEBUG off, W workers) and one Celery worker, all on 127.0.0.1, their cache and
   broker Redis database 6;
4. records the stock (bench/check_consistency.stock_baseline), then runs Locust (bench/load_users.py)
   once per stage (after an uncounted warm-up of 5 users): U users for --stage-seconds, at most
   --max-requests requests, and stops at the first
   stage that misses a target (p95 < 500 ms over the pages, over the API reads and over the other checkout
   steps, p95 < 1 s for `checkoutComplete`) or has a failed request; the most users is the last stage that met them all;
   --soak N instead runs N users for --soak-minutes and samples, every --sample-seconds, the RSS of each
   gunicorn and Celery process and the database's connections (pg_stat_activity);
5. checks the database (bench/check_consistency.check_consistency: every completed checkout one whole
   order, stock allocations and hand-overs adding up), prints the figures and writes
   bench/out/load-last.json (--soak: bench/out/soak-last.json).

Everything listens on 127.0.0.1 only. Only the database `ocop_load_bench` is dropped or written to;
the processes it starts are stopped on exit. Run it alone for figures of the machine, not of its neighbours.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    SERVER_URL,
    add_delivery_zone,
    free_port,
    log,
    manage,
    recreate_database,
    wait_until_serving,
)

BENCH_DB = "ocop_load_bench"
SETTINGS = "config.settings.local"
REDIS_URL = "redis://127.0.0.1:6379/6"
OUT_DIR = ROOT / "bench" / "out"
PRODUCTS = 10_000
STOCK = 100_000
BUYER_VARIANTS = 2_000
PAGE_P95_MS = 500.0
COMPLETE_P95_MS = 1000.0
STRIPE_KEYS = {
    "STRIPE_SECRET_KEY": "sk_test_ocop_load",
    "STRIPE_PUBLISHABLE_KEY": "pk_test_ocop_load",
    "STRIPE_WEBHOOK_SECRET": "whsec_ocop_load",
}
SEARCHES = ["ca phe", "hat dieu", "tieu den", "mat ong", "tra mang cau", "ca cao", "chuoi say", "dong nai"]
SEARCHES += ["xuan loc", "hop tac xa", "nam linh chi", "buoi tan trieu", "diều", "cà phê rang xay"]


def setup_django(database_url: str) -> None:
    os.environ.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE=SETTINGS,
        DJANGO_DEBUG="false",
        REDIS_URL=REDIS_URL,
        OCOP_SYNC_IMAGES="false",
    )
    import django

    django.setup()


# The shop


def prepare_shop(*, products: int, seed: int, keep: bool, database: str = BENCH_DB) -> dict[str, Any]:
    """The catalogue (filled once), collection points, plenty of stock for the buyers' variants, delivery."""
    from django.db import connection

    from bench.catalog import fill
    from marketplace.catalogue.collection_services import collections_refresh_automatic
    from marketplace.catalogue.models import Category, Product, ProductVariant
    from marketplace.channel.services import channel_ensure_default
    from marketplace.inventory.models import Stock
    from marketplace.outlets.models import CollectionPointOption, Outlet
    from marketplace.shipping.models import ShippingZone

    info: dict[str, Any] = {}
    if not Product.objects.exists():
        log(f"filling {products:,} products …")
        info["fill"] = fill(products, seed=seed)
        info["collections"] = collections_refresh_automatic()
        log("building the search index …")
        info["index_seconds"] = round(manage("rebuild_search_index", database=database, settings=SETTINGS), 1)
    channel = channel_ensure_default()
    for number, outlet in enumerate(Outlet.objects.order_by("pk")):
        outlet.click_and_collect_option = (
            CollectionPointOption.LOCAL_STOCK if number % 2 else CollectionPointOption.ALL_WAREHOUSES
        )
        outlet.hold_days = 3
        outlet.save(update_fields=["click_and_collect_option", "hold_days"])
        outlet.channels.add(channel)
    if not ShippingZone.objects.exists():
        add_delivery_zone(channel)
    rng = random.Random(seed)
    variant_ids = list(
        ProductVariant.objects.filter(product__listing_state="listed", channel_listings__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    chosen = sorted(rng.sample(variant_ids, min(BUYER_VARIANTS, len(variant_ids))))
    from django.db.models import F

    Stock.objects.filter(variant_id__in=chosen).update(quantity=F("quantity_allocated") + STOCK)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # PostgreSQL here runs without autovacuum: no dead rows left
    from storefront_api.core.ids import global_id

    listed = Product.objects.filter(listing_state="listed")
    info["listed"] = listed.count()
    info["data"] = {
        "slugs": list(listed.order_by("?").values_list("slug", flat=True)[:2000]),
        "certificates": list(
            listed.exclude(current_certification=None)
            .order_by("?")
            .values_list("current_certification__certificate_id", flat=True)[:500]
        ),
        "groups": [str(pk) for pk in Category.objects.filter(kind=Category.Kind.GROUP).values_list("pk", flat=True)],
        "searches": SEARCHES,
        "variants": [global_id("ProductVariant", pk) for pk in chosen],
        "delivery_share": 0.3,
        "card_share": 0.4,
    }
    return info


# The processes


@contextmanager
def process(command: list[str], *, env: dict[str, str], log_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    with log_path.open("ab") as out:
        child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        yield child
    finally:
        if child.poll() is None:
            child.terminate()
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


def server_env(database_url: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "DJANGO_DEBUG": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "REDIS_URL": REDIS_URL,
        "OCOP_SYNC_IMAGES": "false",
        **(extra or {}),
    }


@contextmanager
def gunicorn(
    stack: ExitStack, *, database_url: str, workers: int, env_extra: dict[str, str], log_path: Path
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers), "--log-level", "warning", "--backlog", "512", "--timeout", "60"]
    child = stack.enter_context(process(command, env=server_env(database_url, env_extra), log_path=log_path))
    base = f"http://127.0.0.1:{port}"
    wait_until_serving(base, child)
    yield base, child


def start_services(stack: ExitStack, *, database_url: str, workers: int, celery: bool) -> dict[str, Any]:
    """localstripe, gunicorn and (optionally) a Celery worker; their URLs and processes."""
    from payments.stripe.localstripe_server import LocalStripe, register_webhook

    OUT_DIR.mkdir(parents=True, exist_ok=True)
    stripe_log = stack.enter_context((OUT_DIR / "load-localstripe.log").open("wb"))
    stripe = stack.enter_context(LocalStripe(log=stripe_log))
    extra = {**STRIPE_KEYS, "STRIPE_API_BASE": stripe.base_url}
    base, web = stack.enter_context(
        gunicorn(stack, database_url=database_url, workers=workers, env_extra=extra, log_path=OUT_DIR / "load-web.log")
    )
    register_webhook(
        stripe.base_url, url=f"{base}/payments/stripe/webhook/", secret=STRIPE_KEYS["STRIPE_WEBHOOK_SECRET"]
    )
    services: dict[str, Any] = {"base": base, "stripe": stripe.base_url, "web": web, "celery": None}
    if celery:
        command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--loglevel", "warning"]
        command += ["--concurrency", "1", "--without-gossip", "--without-mingle", "--without-heartbeat"]
        services["celery"] = stack.enter_context(
            process(command, env=server_env(database_url, extra), log_path=OUT_DIR / "load-celery.log")
        )
    return services


# Locust


def run_locust(
    *,
    base: str,
    users: int,
    seconds: int,
    max_requests: int,
    data_path: Path,
    orders_path: Path,
    prefix: Path,
    locustfile: Path = ROOT / "bench" / "load_users.py",
) -> dict[str, Any]:
    """One headless Locust run of `locustfile`; its figures per request name and in total (from its CSV)."""
    env = {
        **os.environ,
        "LOAD_DATA": str(data_path),
        "LOAD_ORDERS": str(orders_path),
        "LOAD_MAX_REQUESTS": str(max_requests),
        "LOAD_TIMINGS": f"{prefix}_timings.json",
        "LOAD_BUYERS": str(max(1, round(users / 10))),
    }
    command = [sys.executable, "-m", "locust", "-f", str(locustfile), "--headless"]
    command += ["--host", base, "-u", str(users), "-r", str(max(1, users // 5)), "--run-time", f"{seconds}s"]
    command += ["--csv", str(prefix), "--only-summary", "--stop-timeout", "20", "--loglevel", "WARNING"]
    started = time.monotonic()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    wall = time.monotonic() - started
    if not Path(f"{prefix}_stats.csv").exists():
        raise SystemExit(f"locust failed ({done.returncode}):\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    kinds: dict[str, Any] = {}
    total: dict[str, Any] = {}
    with open(f"{prefix}_stats.csv", newline="") as stats:
        for row in csv.DictReader(stats):
            figures = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "rps": round(float(row["Requests/s"]), 1),
                "p50_ms": float(row["50%"] or 0),
                "p95_ms": float(row["95%"] or 0),
                "max_ms": round(float(row["Max Response Time"] or 0)),
            }
            if row["Name"] == "Aggregated":
                total = figures
            else:
                kinds[row["Name"]] = figures
    failures: list[str] = []
    if Path(f"{prefix}_failures.csv").exists():
        with open(f"{prefix}_failures.csv", newline="") as rows:
            failures = [f"{row['Name']}: {row['Error']} × {row['Occurrences']}" for row in csv.DictReader(rows)]
    stage = {"users": users, "seconds": round(wall, 1), "total": total, "kinds": kinds, "failures": failures}
    timings_path = Path(f"{prefix}_timings.json")
    if timings_path.exists():
        add_exact_percentiles(stage, json.loads(timings_path.read_text()))
    return stage


GROUPS = {
    "pages": (lambda name: name.startswith("page:"), PAGE_P95_MS),
    "API reads": (lambda name: name.startswith("api:"), PAGE_P95_MS),
    "checkout steps": (lambda name: name.startswith("buy:") and name != "buy: checkoutComplete", PAGE_P95_MS),
    "checkoutComplete": (lambda name: name == "buy: checkoutComplete", COMPLETE_P95_MS),
}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def add_exact_percentiles(stage: dict[str, Any], timings: dict[str, list[float]]) -> None:
    """Exact p50/p95 per request name (Locust's own CSV rounds them) and per group of kinds."""
    for name, values in timings.items():
        if name in stage["kinds"] and values:
            stage["kinds"][name]["p50_ms"] = round(percentile(values, 0.5), 1)
            stage["kinds"][name]["p95_ms"] = round(percentile(values, 0.95), 1)
    stage["groups"] = {}
    for group, (member, limit) in GROUPS.items():
        values = [value for name, kind in timings.items() if member(name) for value in kind]
        if values:
            stage["groups"][group] = {
                "requests": len(values),
                "p50_ms": round(percentile(values, 0.5), 1),
                "p95_ms": round(percentile(values, 0.95), 1),
                "target_p95_ms": limit,
            }


def misses(stage: dict[str, Any]) -> list[str]:
    """The targets a stage missed (empty: it held): no failed request, and each group's p95 under its limit
    (pages, API reads and checkout steps 500 ms, checkoutComplete 1 s; localstripe's own time is not ours)."""
    found = [f"{name}: {figures['failures']} failed" for name, figures in stage["kinds"].items() if figures["failures"]]
    for group, figures in stage.get("groups", {}).items():
        if figures["p95_ms"] > figures["target_p95_ms"]:
            found.append(f"{group}: p95 {figures['p95_ms']:.0f} ms > {figures['target_p95_ms']:.0f} ms")
    return found


# The soak's samples


def process_tree(root: subprocess.Popen[bytes] | None) -> list[Any]:
    import psutil

    if root is None or root.poll() is not None:
        return []
    parent = psutil.Process(root.pid)
    return [parent, *parent.children(recursive=True)]


def sample(services: dict[str, Any], database: str, database_url: str) -> dict[str, Any]:
    import psycopg

    rss: dict[str, float] = {}
    for kind in ("web", "celery"):
        for proc in process_tree(services[kind]):
            try:
                rss[f"{kind} {proc.pid}"] = round(proc.memory_info().rss / 2**20, 1)
            except Exception:
                continue
    server_url = database_url.rsplit("/", 1)[0]
    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as conn:
        connections = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [database]).fetchone()
    return {"t": round(time.monotonic(), 1), "rss_mb": rss, "connections": connections[0] if connections else 0}


def soak_summary(samples: list[dict[str, Any]], *, warmup_share: float = 0.15) -> dict[str, Any]:
    """RSS per process and connections: early (after the warm-up) against the end of the run."""
    if len(samples) < 4:
        return {"samples": len(samples)}
    skip = max(1, int(len(samples) * warmup_share))
    window = max(1, (len(samples) - skip) // 5)
    early, late = samples[skip : skip + window], samples[-window:]
    per_process = {}
    for name in samples[-1]["rss_mb"]:
        before = [s["rss_mb"][name] for s in early if name in s["rss_mb"]]
        after = [s["rss_mb"][name] for s in late if name in s["rss_mb"]]
        if before and after:
            start, end = sum(before) / len(before), sum(after) / len(after)
            per_process[name] = {
                "early_mb": round(start, 1),
                "late_mb": round(end, 1),
                "growth": round(end / start - 1, 3),
            }
    connections = [s["connections"] for s in samples[skip:]]
    return {
        "samples": len(samples),
        "rss": per_process,
        "rss_flat_within_10_percent": all(abs(p["growth"]) <= 0.10 for p in per_process.values()),
        "connections_early": max(s["connections"] for s in early),
        "connections_late": max(s["connections"] for s in late),
        "connections_max": max(connections),
        "connections_min": min(connections),
    }


# The run


def run(args: argparse.Namespace) -> dict[str, Any]:
    from bench.check_consistency import check_consistency, stock_baseline

    database_url = f"{SERVER_URL}/{BENCH_DB}"
    result: dict[str, Any] = {"cpus": os.cpu_count(), "workers": args.workers, "load_average_before": os.getloadavg()}
    log(f"database {BENCH_DB}: {recreate_database(BENCH_DB, keep=args.keep_db)}")
    manage("migrate", "--noinput", "-v", "0", database=BENCH_DB, settings=SETTINGS)
    setup_django(database_url)
    shop = prepare_shop(products=args.products, seed=args.seed, keep=args.keep_db)
    result["listed"] = shop["listed"]
    result.update({k: v for k, v in shop.items() if k in ("fill", "index_seconds")})
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    orders_path = OUT_DIR / "load-orders.txt"
    orders_path.write_text("")
    baseline = stock_baseline()
    (OUT_DIR / "load-baseline.json").write_text(json.dumps(baseline))
    with ExitStack() as stack:
        services = start_services(stack, database_url=database_url, workers=args.workers, celery=not args.no_celery)
        data = {**shop["data"], "stripe": services["stripe"], "stripe_key": STRIPE_KEYS["STRIPE_SECRET_KEY"]}
        data_path = OUT_DIR / "load-data.json"
        data_path.write_text(json.dumps(data, ensure_ascii=False))
        common = {"base": services["base"], "data_path": data_path, "orders_path": orders_path}
        if args.warmup_seconds:
            log(f"warm-up: 5 users for {args.warmup_seconds} s (not counted) …")
            warmup = OUT_DIR / "warmup"
            run_locust(users=5, seconds=args.warmup_seconds, max_requests=args.max_requests, prefix=warmup, **common)
        if args.soak:
            samples: list[dict[str, Any]] = []
            stop = threading.Event()

            def sampler() -> None:
                while not stop.is_set():
                    samples.append(sample(services, BENCH_DB, database_url))
                    stop.wait(args.sample_seconds)

            thread = threading.Thread(target=sampler, daemon=True)
            thread.start()
            log(f"soak: {args.soak} users for {args.soak_minutes} minutes …")
            stage = run_locust(
                users=args.soak,
                seconds=int(args.soak_minutes * 60),
                max_requests=args.max_requests * 100,
                prefix=OUT_DIR / "soak",
                **common,
            )
            stop.set()
            thread.join()
            samples.append(sample(services, BENCH_DB, database_url))
            result["soak"] = {**stage, "summary": soak_summary(samples), "samples": samples}
        else:
            stages = []
            for users in [int(u) for u in args.stages.split(",")]:
                log(f"stage: {users} users for {args.stage_seconds} s …")
                stage = run_locust(
                    users=users,
                    seconds=args.stage_seconds,
                    max_requests=args.max_requests,
                    prefix=OUT_DIR / f"load-{users}",
                    **common,
                )
                stage["missed"] = misses(stage)
                stage["load_average"] = os.getloadavg()
                stages.append(stage)
                total = stage["total"]
                log(
                    f"  {total['requests']:,} requests, {total['rps']}/s, p50 {total['p50_ms']:.0f} ms, "
                    f"p95 {total['p95_ms']:.0f} ms, {total['failures']} failed"
                    + (f"; missed: {'; '.join(stage['missed'])}" if stage["missed"] else "")
                )
                if stage["missed"] and not args.keep_going:
                    break
            result["stages"] = stages
            held = [stage for stage in stages if not stage["missed"]]
            if args.keep_going:  # the most users before the first miss, not a lucky stage after it
                first_miss = next((n for n, stage in enumerate(stages) if stage["missed"]), len(stages))
                held = stages[:first_miss]
            result["most_users"] = held[-1]["users"] if held else 0
    completed = orders_path.read_text().split()
    result["orders_completed"] = len(completed)
    result["consistency"] = check_consistency(baseline=baseline, completed=completed)
    result["load_average_after"] = os.getloadavg()
    return result


def print_stage(stage: dict[str, Any]) -> None:
    print(f"{'kind':<40} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'failed':>6}")
    for name, figures in sorted(stage["kinds"].items()):
        print(
            f"{name:<40} {figures['requests']:>8} {figures['rps']:>7} {figures['p50_ms']:>7.0f} "
            f"{figures['p95_ms']:>7.0f} {figures['failures']:>6}"
        )
    for group, figures in stage.get("groups", {}).items():
        print(
            f"{'= ' + group:<40} {figures['requests']:>8} {'':>7} {figures['p50_ms']:>7.0f} {figures['p95_ms']:>7.0f} "
            f"{'':>6}  target p95 < {figures['target_p95_ms']:.0f} ms"
        )
    total = stage["total"]
    print(
        f"{'all':<40} {total['requests']:>8} {total['rps']:>7} {total['p50_ms']:>7.0f} {total['p95_ms']:>7.0f} "
        f"{total['failures']:>6}"
    )
    for failure in stage["failures"][:10]:
        print(f"  failed: {failure}")


def report(result: dict[str, Any]) -> None:
    print(
        f"\nload over {result['listed']:,} listed products, {result['cpus']} CPUs, gunicorn {result['workers']} workers"
    )
    print(f"load average before {result['load_average_before']}, after {result['load_average_after']}")
    if "soak" in result:
        soak = result["soak"]
        print(f"soak: {soak['users']} users for {soak['seconds']} s")
        print_stage(soak)
        summary = soak["summary"]
        for name, figures in summary.get("rss", {}).items():
            growth = f"{figures['growth']:+.1%}"
            print(f"  RSS {name:<20} {figures['early_mb']:>7} MB → {figures['late_mb']:>7} MB ({growth})")
        print(
            f"  RSS flat within 10 %: {summary.get('rss_flat_within_10_percent')}; database connections "
            f"early {summary.get('connections_early')}, late {summary.get('connections_late')}, "
            f"min {summary.get('connections_min')}, max {summary.get('connections_max')}"
        )
    else:
        for stage in result["stages"]:
            verdict = "held" if not stage["missed"] else "missed: " + "; ".join(stage["missed"])
            print(f"\n{stage['users']} users, {stage['seconds']} s (load average {stage['load_average']}): {verdict}")
            print_stage(stage)
        print(f"\nmost users with every target met: {result['most_users']}")
    print(f"orders completed: {result['orders_completed']}")
    problems = result["consistency"]
    print(f"consistency: {'holds' if not problems else f'{len(problems)} problems'}")
    for problem in problems[:20]:
        print(f"  {problem}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=int, default=PRODUCTS)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep-db", action="store_true", help="reuse a filled ocop_load_bench")
    parser.add_argument("--workers", type=int, default=5, help="gunicorn workers (2 × CPUs + 1)")
    parser.add_argument("--stages", default="5,10,20,30,40,60,80,100", help="users per stage, ascending")
    parser.add_argument("--stage-seconds", type=int, default=60)
    parser.add_argument("--warmup-seconds", type=int, default=20, help="5 users first, not counted (0: none)")
    parser.add_argument("--max-requests", type=int, default=50_000, help="stop a stage after this many requests")
    parser.add_argument("--keep-going", action="store_true", help="run every stage, even after one missed")
    parser.add_argument("--soak", type=int, default=0, metavar="USERS", help="soak at USERS instead of ramping")
    parser.add_argument("--soak-minutes", type=float, default=30.0)
    parser.add_argument("--sample-seconds", type=float, default=30.0)
    parser.add_argument("--no-celery", action="store_true", help="no Celery worker (tasks stay queued)")
    args = parser.parse_args(argv)
    result = run(args)
    report(result)
    name = "soak-last.json" if args.soak else "load-last.json"
    (OUT_DIR / name).write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str))
    ok = not result["soak"]["total"].get("failures") if args.soak else bool(result.get("most_users"))
    ok = ok and not result["consistency"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
