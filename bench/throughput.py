"""Throughput of anonymous reads, pages and API mixed (Locust, headless), against issue 12's target:
on 2 cores, at p95 ≤ 100 ms, ≥ 400 requests/s, at 100,000 listed products.

    .venv/bin/python bench/throughput.py --keep-db                   # 100,000 products, stages 10,20,40,80 × 30 s
    .venv/bin/python bench/throughput.py --keep-db --stages 20,30,40 --stage-seconds 60
    .venv/bin/python bench/throughput.py --size 1000 --stages 5,10 --stage-seconds 10 --warmup-seconds 5  # quick

1. uses bench/storefront.py's database for the size, `ocop_storefront_bench_<size>` (--size, default 100,000):
   without --keep-db it is dropped, re-created and filled; with --keep-db it is reused as it is, filled only if
   empty. Either way it is migrated and made a shop by bench/load.py's prepare_shop, as bench/storefront.py
   does (collection points, stock for 2,000 variants, a delivery zone, the search index when filling, ANALYZE);
2. picks what the readers ask for, with --seed: --sample listed products' slugs (default 10,000) and as many
   certificates, the OCOP groups, bench/storefront.py's 20 searches, the catalogue's sorts; writes them to
   bench/out/throughput-data.json;
3. starts gunicorn (config.wsgi, DEBUG off, --workers, default 2, one thread each) on 127.0.0.1 with
   bench/storefront.py's Redis database — nothing else: anonymous reads need no Celery and no Stripe;
4. runs Locust with bench/throughput_users.py (read its docstring for the mix: pages 60 % — home, catalogue,
   catalogue with facets, product/provenance page, verify page — and API 40 % — bench/storefront.py's product
   list, product page and variants documents), first --warmup-seconds with 5 users (not counted), then once
   per stage of --stages users for --stage-seconds each. Each user sends its next request as soon as the last
   one is answered (--think S: waits 0–S s between them instead), so the users are the requests in flight.
   Nothing is made stale: this is the steady state, caches as they are after the warm-up; the slugs, facets
   and pages are picked at random so that the cache holds what is popular, not one address.
   Locust ramps up in about 5 s (users/5 a second, as bench/load.py runs it); the figures of a stage are those
   of the requests that ended after the ramp-up and before the stop, over that window's seconds;
5. prints the load average at the start; then, for each stage: requests/s, p50/p95/p99 and failures, overall,
   for pages and for the API and per request kind; the CPU cores used by gunicorn, by PostgreSQL and Redis
   (all their processes: another client's share is counted too) and by Locust; the load average.
   Then the highest requests/s among the stages whose overall p95 ≤ 100 ms and that failed no request
   (ramp-up included), and whether it meets the target (≥ 400/s). Writes everything to
   bench/out/throughput-last.json (each stage's whole Locust run, ramp-up included, too, under `locust`).

Only the database `ocop_storefront_bench_<size>` is dropped (without --keep-db) or written to (prepare_shop);
the server is stopped on exit. Locust runs on the same machine as the server and takes CPU from it: its share is
printed. Run it alone for figures of the machine, not of its neighbours.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import log, server  # noqa: E402
from bench.load import percentile, run_locust  # noqa: E402
from bench.storefront import REDIS_URL, SEARCHES, SIZES, database_for, open_shop  # noqa: E402

OUT_DIR = ROOT / "bench" / "out"
LOCUSTFILE = ROOT / "bench" / "throughput_users.py"
TARGET_RPS = 400.0
TARGET_P95_MS = 100.0
WARMUP_USERS = 5
KINDS = {"pages": "page: ", "API": "api: "}


# The shop and what the readers ask for


def prepare(*, size: int, seed: int, keep: bool) -> dict[str, Any]:
    """bench/storefront.py's database for `size`, migrated and made a shop; Django set up over it."""
    return open_shop(size, seed=seed, keep=keep)


def reader_data(*, groups: list[str], seed: int, sample: int) -> dict[str, Any]:
    """Listed products' slugs and certificate ids (`sample` of each, at random with `seed`), and the facets."""
    from marketplace.catalogue.models import ListingState, Product
    from web.forms import SORTS

    rng = random.Random(seed)
    listed = Product.objects.filter(listing_state=ListingState.LISTED).order_by("pk")
    slugs = list(listed.values_list("slug", flat=True))
    certificates = list(
        listed.exclude(current_certification=None).values_list("current_certification__certificate_id", flat=True)
    )
    return {
        "slugs": rng.sample(slugs, min(sample, len(slugs))),
        "certificates": rng.sample(certificates, min(sample, len(certificates))),
        "groups": groups,
        "searches": SEARCHES,
        "sorts": [value for value, *_ in SORTS],
    }


# One stage


def cpu_seconds(*, ours: bool) -> dict[int, float]:
    """CPU seconds so far of each process still running: this process's children (`ours`: gunicorn's master
    and workers), or PostgreSQL's and Redis's (whoever they work for: other clients' share is in it too)."""
    import psutil

    if ours:
        processes = psutil.Process().children(recursive=True)
    else:
        processes = [p for p in psutil.process_iter(["name"]) if p.info["name"] in ("postgres", "redis-server")]
    seconds = {}
    for process in processes:
        try:
            times = process.cpu_times()
        except psutil.Error:
            continue
        seconds[process.pid] = times.user + times.system
    return seconds


def cores(before: dict[int, float], after: dict[int, float], wall: float) -> float:
    """The CPU cores the processes of `after` used on average over `wall` seconds (those that ended are lost)."""
    return round(sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items()) / wall, 2)


def finished_children_cpu_seconds() -> float:
    """CPU seconds of the children that have ended and been waited for (each Locust run, once it is over)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def figures(timings: list[float], failures: int, seconds: float) -> dict[str, Any]:
    return {
        "requests": len(timings),
        "rps": round(len(timings) / seconds, 1) if seconds else 0.0,
        "p50_ms": round(percentile(timings, 0.50), 1) if timings else 0.0,
        "p95_ms": round(percentile(timings, 0.95), 1) if timings else 0.0,
        "p99_ms": round(percentile(timings, 0.99), 1) if timings else 0.0,
        "failures": failures,
    }


def steady_figures(steady: dict[str, Any]) -> dict[str, Any]:
    """Requests/s and p50/p95/p99 over the steady window: overall, per kind (pages, API) and per request name."""
    seconds = steady["seconds"]
    timings: dict[str, list[float]] = steady["timings"]
    failed = {name: sum(errors.values()) for name, errors in steady["failures"].items()}
    names = {name: figures(values, failed.get(name, 0), seconds) for name, values in sorted(timings.items())}
    kinds = {}
    for kind, prefix in KINDS.items():
        members = [name for name in timings if name.startswith(prefix)]
        values = [value for name in members for value in timings[name]]
        kinds[kind] = figures(values, sum(failed.get(name, 0) for name in members), seconds)
    every = [value for values in timings.values() for value in values]
    return {
        "seconds": seconds,
        "total": figures(every, sum(failed.values()), seconds),
        "kinds": kinds,
        "names": names,
        "cpu_warning": steady["cpu_warning"],
    }


def run_stage(*, base: str, users: int, seconds: int, data_path: Path, think: float, name: str) -> dict[str, Any]:
    """One Locust run of the anonymous readers; its steady figures, the whole run's, and the CPU each side used."""
    prefix = OUT_DIR / f"throughput-{name}"
    steady_path = Path(f"{prefix}_steady.json")
    steady_path.unlink(missing_ok=True)
    os.environ.update(THROUGHPUT_STEADY=str(steady_path), THROUGHPUT_THINK=str(think))
    server_before, services_before = cpu_seconds(ours=True), cpu_seconds(ours=False)
    locust_before = finished_children_cpu_seconds()
    started = time.monotonic()
    whole = run_locust(
        base=base,
        users=users,
        seconds=seconds,
        max_requests=0,
        data_path=data_path,
        orders_path=Path(os.devnull),
        prefix=prefix,
        locustfile=LOCUSTFILE,
    )
    wall = time.monotonic() - started
    server_after, services_after = cpu_seconds(ours=True), cpu_seconds(ours=False)
    if not steady_path.exists():
        raise SystemExit(f"locust wrote no {steady_path.name}: see {prefix}_*.csv")
    stage = {"users": users, **steady_figures(json.loads(steady_path.read_text()))}
    stage["cpu_cores"] = {
        "gunicorn": cores(server_before, server_after, wall),
        "postgresql_redis": cores(services_before, services_after, wall),
        "locust": round((finished_children_cpu_seconds() - locust_before) / wall, 2),
    }
    stage["failure_messages"] = whole["failures"]
    stage["locust"] = {key: whole[key] for key in ("seconds", "total", "kinds")}
    stage["load_average"] = os.getloadavg()
    stage["held"] = stage["total"]["p95_ms"] <= TARGET_P95_MS and not whole["total"].get("failures")
    return stage


# The run


def run(args: argparse.Namespace) -> dict[str, Any]:
    result: dict[str, Any] = {
        "size": args.size,
        "cpus": os.cpu_count(),
        "workers": args.workers,
        "think_seconds": args.think,
        "load_average_before": os.getloadavg(),
    }
    log(f"load average at start: {load(result['load_average_before'])}")
    shop = prepare(size=args.size, seed=args.seed, keep=args.keep_db)
    result["listed"] = shop["listed"]
    result.update({key: value for key, value in shop.items() if key in ("fill", "index_seconds")})
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    data_path = OUT_DIR / "throughput-data.json"
    data = reader_data(groups=shop["data"]["groups"], seed=args.seed, sample=args.sample)
    data_path.write_text(json.dumps(data, ensure_ascii=False))
    log(f"{len(data['slugs']):,} slugs, {len(data['certificates']):,} certificates, {len(data['groups'])} groups")
    stage_options = {"data_path": data_path, "think": args.think}
    with server(database=database_for(args.size), workers=args.workers, extra_env={"REDIS_URL": REDIS_URL}) as base:
        if args.warmup_seconds:
            log(f"warm-up: {WARMUP_USERS} users for {args.warmup_seconds} s (not counted) …")
            result["warmup"] = run_stage(
                base=base, users=WARMUP_USERS, seconds=args.warmup_seconds, name="warmup", **stage_options
            )
        stages = []
        for users in [int(u) for u in args.stages.split(",")]:
            log(f"stage: {users} users for {args.stage_seconds} s …")
            stage = run_stage(base=base, users=users, seconds=args.stage_seconds, name=str(users), **stage_options)
            stages.append(stage)
            total = stage["total"]
            log(
                f"  {total['rps']}/s, p50 {total['p50_ms']:.0f} ms, p95 {total['p95_ms']:.0f} ms, "
                f"p99 {total['p99_ms']:.0f} ms, {stage['locust']['total'].get('failures', 0)} failed"
            )
    result["stages"] = stages
    held = [stage for stage in stages if stage["held"]]
    best = max(held, key=lambda stage: stage["total"]["rps"], default=None)
    result["best"] = {"users": best["users"], "rps": best["total"]["rps"]} if best else None
    met = best is not None and best["total"]["rps"] >= TARGET_RPS
    result["target"] = {"rps": TARGET_RPS, "p95_ms": TARGET_P95_MS, "met": met}
    result["load_average_after"] = os.getloadavg()
    return result


def print_row(name: str, row: dict[str, Any]) -> None:
    print(
        f"{name:<32} {row['requests']:>8} {row['rps']:>7} {row['p50_ms']:>7.1f} {row['p95_ms']:>7.1f} "
        f"{row['p99_ms']:>7.1f} {row['failures']:>6}"
    )


def load(average: tuple[float, float, float]) -> str:
    return " ".join(f"{value:.2f}" for value in average)


def report(result: dict[str, Any]) -> None:
    think = f", think time 0–{result['think_seconds']} s" if result["think_seconds"] else ", no think time"
    print(
        f"\nanonymous reads over {result['listed']:,} listed products, {result['cpus']} CPUs, "
        f"gunicorn {result['workers']} workers{think}"
    )
    print(f"load average at start {load(result['load_average_before'])}, at end {load(result['load_average_after'])}")
    for stage in result["stages"]:
        failed = stage["locust"]["total"].get("failures", 0)
        verdict = "held" if stage["held"] else f"missed (p95 ≤ {TARGET_P95_MS:.0f} ms and no failure)"
        used = stage["cpu_cores"]
        print(
            f"\n{stage['users']} users, {stage['seconds']:.1f} s steady: {verdict}; load average "
            f"{load(stage['load_average'])}; CPU cores used over the run: gunicorn {used['gunicorn']}, "
            f"PostgreSQL and Redis {used['postgresql_redis']} (anyone's), Locust {used['locust']}"
        )
        if stage["cpu_warning"]:
            print("  Locust ran short of CPU: these figures are the load generator's limit")
        print(f"{'request':<32} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'failed':>6}")
        for name, row in stage["names"].items():
            print_row(name, row)
        for kind, row in stage["kinds"].items():
            print_row(f"= {kind}", row)
        print_row("all", stage["total"])
        if failed:
            print(f"  failed in the whole run (ramp-up included): {failed}")
        for message in stage["failure_messages"][:10]:
            print(f"  failed: {message}")
    best, target = result["best"], result["target"]
    if best:
        print(
            f"\nhighest requests/s at p95 ≤ {TARGET_P95_MS:.0f} ms without failures: {best['rps']}/s "
            f"({best['users']} users)"
        )
    else:
        print(f"\nno stage held p95 ≤ {TARGET_P95_MS:.0f} ms without failures")
    print(f"target ≥ {TARGET_RPS:.0f} requests/s: {'met' if target['met'] else 'NOT met'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, choices=SIZES, default=100_000, help="listed products (its database)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep-db", action="store_true", help="reuse ocop_storefront_bench_<size> as it is")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--stages", default="10,20,40,80", help="users per stage, comma-separated")
    parser.add_argument("--stage-seconds", type=int, default=30)
    parser.add_argument("--warmup-seconds", type=int, default=20, help=f"{WARMUP_USERS} users first, not counted")
    parser.add_argument("--sample", type=int, default=10_000, help="slugs and certificates picked from")
    parser.add_argument("--think", type=float, default=0.0, help="each user waits 0–THINK s between requests")
    args = parser.parse_args(argv)
    result = run(args)
    report(result)
    (OUT_DIR / "throughput-last.json").write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str))
    return 0 if result["best"] else 1


if __name__ == "__main__":
    sys.exit(main())
