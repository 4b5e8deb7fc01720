"""Benchmark of the registry sync: a full sync of a 20,000-record feed, then an incremental one.

    .venv/bin/python bench/sync.py [--records N] [--seed S] [--keep-db] [--registry stock|cached]

1. generates the feed (bench/generate_records.py) into bench/out/registry-bench.json;
2. drops and re-creates the database `ocop_bench` (--keep-db: reuses it) and migrates it
   (`manage.py migrate` in a subprocess, DJANGO_SETTINGS_MODULE=config.settings.local);
3. starts ../shared/registry/registry_sim.py on a free port over the file, and times single
   feed requests on their own;
4. times `catalog_sync.sync.run_sync(trigger="bench")` in this process (images off);
5. gives 1 % of the certificates a new revision, rewrites the file, times the incremental sync;
6. prints the figures, with the time spent waiting on the registry and on PostgreSQL.

Only the database `ocop_bench` is ever dropped or written to; the registry stand-in is stopped on exit.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import hashlib
import io
import json
import os
import pstats
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import log, manage, recreate_database  # noqa: E402
from bench.generate_records import SHARED_DIR, Feed, generate, local_today, mutate, write_records  # noqa: E402

BENCH_DB = "ocop_bench"
SERVER_URL = "postgres://postgres@127.0.0.1:5432"
DATABASE_URL = f"{SERVER_URL}/{BENCH_DB}"
SETTINGS = "config.settings.local"
TOKEN = "bench-token"
REGISTRY_SIM = SHARED_DIR / "registry" / "registry_sim.py"
OUT_DIR = ROOT / "bench" / "out"
COUNTERS = ("received", "created", "updated", "unchanged", "stale", "quarantined", "listed", "delisted")
TARGET_FULL_RATE = 1000  # records per second
TARGET_INCREMENTAL_SECONDS = 5.0

# registry_sim.py with its feed order keys computed once per record instead of on every
# request: the same answers, without the stand-in's own O(records) hashing on each page.
CACHED_SIM = r"""
import importlib.util, sys
path = sys.argv.pop(1)
spec = importlib.util.spec_from_file_location("registry_sim", path)
sim = importlib.util.module_from_spec(spec)
spec.loader.exec_module(sim)
compute, cache = sim._order_key, {}
def cached_order_key(record):
    hit = cache.get(id(record))
    if hit is not None and hit[0] is record:
        return hit[1]
    key = compute(record)
    cache[id(record)] = (record, key)
    return key
sim._order_key = cached_order_key
load = sim.Registry.records
def records(self):
    result = load(self)
    if getattr(self, "_cached_list", None) is not result:
        self._cached_list = result
        alive = {id(r) for r in result}
        for stale in [k for k in cache if k not in alive]:
            del cache[stale]
    return result
sim.Registry.records = records
sys.argv[0] = path
sim.main()
"""


# The registry stand-in


class Registry:
    """registry_sim.py over the data file, on a free port, until stop()."""

    def __init__(self, data_file: Path, *, cached: bool, log_file: Path) -> None:
        sim_args = ["--data", str(data_file), "--port", "0", "--token", TOKEN]
        command = [sys.executable, str(REGISTRY_SIM), *sim_args]
        if cached:
            command = [sys.executable, "-c", CACHED_SIM, str(REGISTRY_SIM), *sim_args]
        self._log = open(log_file, "w", encoding="utf-8")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=self._log, text=True)
        line = self.process.stdout.readline().strip()
        if not line.startswith("listening on "):
            self.stop()
            raise SystemExit(f"registry_sim did not start ({line!r}); see {log_file}")
        self.url = line.removeprefix("listening on ")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        if self.process.stdout:
            self.process.stdout.close()
        self._log.close()


def probe(url: str, *, limit: int, cursor: str | None = None, repeat: int = 3) -> dict[str, Any]:
    """Time feed requests on their own: the registry's share of every page the sync reads."""
    import httpx

    params: dict[str, Any] = {"limit": limit}
    if cursor:
        params["cursor"] = cursor
    timings, body = [], b""
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=120) as client:
        for _ in range(repeat):
            started = time.perf_counter()
            response = client.get("/api/v1/certifications", params=params)
            timings.append(time.perf_counter() - started)
            response.raise_for_status()
            body = response.content
    page = json.loads(body)
    return {
        "seconds": statistics.median(timings),
        "records": len(page["data"]),
        "bytes": len(body),
        "next_cursor": page["next_cursor"],
    }


# Django, in this process


def setup_django(registry_url: str, *, page_size: int | None, debug: bool) -> None:
    """Point the settings at ocop_bench and the stand-in before Django reads them."""
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ["OCOP_REGISTRY_URL"] = registry_url
    os.environ["OCOP_REGISTRY_TOKEN"] = TOKEN
    os.environ["OCOP_SYNC_IMAGES"] = "false"
    if page_size:
        os.environ["OCOP_REGISTRY_PAGE_SIZE"] = str(page_size)
    if not debug:  # DEBUG keeps every SQL statement in memory: not what production runs
        os.environ["DJANGO_DEBUG"] = "false"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.db import connection

    name = connection.settings_dict["NAME"]
    if name != BENCH_DB:
        raise SystemExit(f"refusing to run against database {name!r}: the benchmark uses {BENCH_DB!r} only")


class QueryTimer:
    """Time spent in PostgreSQL round trips (every query through Django's connection)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.queries = 0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.queries += 1


@contextmanager
def registry_timer(stats: dict[str, float]):
    """Time RegistryClient.feed_page, in case the engine's progress does not say."""
    from catalog_sync import client as client_module

    original = client_module.RegistryClient.feed_page

    def timed(self, *args, **kwargs):
        started = time.perf_counter()
        try:
            return original(self, *args, **kwargs)
        finally:
            stats["seconds"] += time.perf_counter() - started
            stats["calls"] += 1

    client_module.RegistryClient.feed_page = timed
    try:
        yield
    finally:
        client_module.RegistryClient.feed_page = original


def timed_sync(
    label: str, run_sync: Callable[..., Any], *, every: int = 10, profile: Path | None = None
) -> dict[str, Any]:
    from django.db import connection

    pages: list[dict] = []
    started = time.perf_counter()

    def progress(info: dict) -> None:
        pages.append(dict(info))
        page = info.get("page", len(pages))
        if page == 1 or page % every == 0 or not info.get("has_more", True):
            waited = info.get("registry_seconds")
            waited_text = f", registry {waited:.1f} s" if isinstance(waited, int | float) else ""
            log(
                f"  {label}: page {page:>4}, received {info.get('received', 0):>6,}"
                f" ({time.perf_counter() - started:6.1f} s{waited_text})"
            )

    queries = QueryTimer()
    fetch = {"seconds": 0.0, "calls": 0}
    cpu = time.process_time()
    started = time.perf_counter()
    profiler = cProfile.Profile() if profile else None
    with registry_timer(fetch), connection.execute_wrapper(queries):
        if profiler:
            profiler.enable()
        try:
            run = run_sync(trigger="bench", progress=progress)
        finally:
            if profiler:
                profiler.disable()
    wall = time.perf_counter() - started
    if profiler:
        profiler.dump_stats(profile)
        log(f"  profile of the {label} sync: {profile} (the 25 most expensive calls, cumulative):")
        stream = io.StringIO()
        pstats.Stats(profiler, stream=stream).sort_stats("cumulative").print_stats(25)
        log(stream.getvalue())
    cpu = time.process_time() - cpu

    last = pages[-1] if pages else {}
    if isinstance(last.get("registry_seconds"), int | float):
        registry, source = float(last["registry_seconds"]), "engine's registry_seconds"
    else:
        registry, source = fetch["seconds"], "timed RegistryClient.feed_page"
    counts = {name: getattr(run, name, None) for name in COUNTERS}
    received = counts["received"] or 0
    return {
        "status": getattr(run, "status", None),
        "error": getattr(run, "error", ""),
        "pages": getattr(run, "pages", len(pages)),
        "cursor_after": getattr(run, "cursor_after", ""),
        "counts": counts,
        "wall_seconds": wall,
        "records_per_second": received / wall if wall else None,
        "registry_seconds": registry,
        "registry_source": source,
        "registry_fetch_seconds": fetch["seconds"],
        "registry_fetches": fetch["calls"],
        "database_seconds": queries.seconds,
        "queries": queries.queries,
        "python_cpu_seconds": cpu,
        "other_seconds": max(0.0, wall - registry - queries.seconds),
        "records_per_second_without_registry": received / (wall - registry) if wall > registry else None,
        "run_started_at": str(getattr(run, "started_at", "")),
        "run_finished_at": str(getattr(run, "finished_at", "")),
    }


def catalogue_state() -> dict[str, int]:
    from catalog_sync.models import QuarantinedRecord
    from marketplace.catalogue.models import ListingState, Product
    from marketplace.certification.models import Certification
    from marketplace.producers.models import Producer

    return {
        "products": Product.objects.count(),
        "listed products": Product.objects.filter(listing_state=ListingState.LISTED).count(),
        "producers": Producer.objects.count(),
        "certifications": Certification.objects.count(),
        "open quarantine": QuarantinedRecord.objects.filter(released_at__isnull=True).count(),
    }


def engine_fingerprint() -> str | None:
    """Which version of the sync engine was measured (it may be uncommitted work)."""
    engine = ROOT / "catalog_sync" / "sync.py"
    return hashlib.sha256(engine.read_bytes()).hexdigest()[:12] if engine.exists() else None


# Printing


def verdict(ok: bool) -> str:
    return "MET" if ok else "NOT MET"


def describe(label: str, result: dict[str, Any], *, target: str, met: bool) -> list[str]:
    wall, registry, db = result["wall_seconds"], result["registry_seconds"], result["database_seconds"]
    counts = result["counts"]
    rate = result["records_per_second"]
    lines = [
        f"{label}: {result['pages']:,} pages, {counts['received'] or 0:,} records, {wall:.2f} s wall"
        + (f", {rate:,.0f} records/s" if rate is not None and label.startswith("full") else "")
        + f"   [target {target}: {verdict(met)}]",
        f"  status {result['status']}" + (f": {result['error']}" if result["error"] else ""),
        "  " + ", ".join(f"{name} {counts[name]:,}" if counts[name] is not None else f"{name} ?" for name in COUNTERS),
        f"  waiting on the registry {registry:.2f} s ({registry / wall:.0%}, {result['registry_source']}),"
        f" on PostgreSQL {db:.2f} s ({db / wall:.0%}, {result['queries']:,} queries),"
        f" the rest {result['other_seconds']:.2f} s ({result['other_seconds'] / wall:.0%});"
        f" CPU of this process {result['python_cpu_seconds']:.2f} s",
        f"  the {result['registry_fetches']} feed requests took {result['registry_fetch_seconds']:.2f} s in all"
        " (RegistryClient.feed_page; the engine fetches the next page while it applies one, so only the"
        " wait above adds to the wall time)",
    ]
    if result["records_per_second_without_registry"] and label.startswith("full"):
        lines.append(
            f"  without the registry wait: {wall - registry:.2f} s,"
            f" {result['records_per_second_without_registry']:,.0f} records/s"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=20000, help="records in the feed (default 20000)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generator (default 1)")
    parser.add_argument("--keep-db", action="store_true", help=f"reuse {BENCH_DB} instead of dropping it")
    parser.add_argument("--today", type=dt.date.fromisoformat, help="YYYY-MM-DD (default: today in Vietnam)")
    parser.add_argument("--change", type=float, default=0.01, help="share of certificates changed (default 0.01)")
    parser.add_argument("--page-size", type=int, help="OCOP_REGISTRY_PAGE_SIZE (default: the setting, 200)")
    parser.add_argument(
        "--registry",
        choices=["stock", "cached"],
        default="stock",
        help="stock: registry_sim.py as it is (hashes every record on every request);"
        " cached: the same stand-in with its order keys cached, to see the sync without that cost",
    )
    parser.add_argument("--debug", action="store_true", help="keep DEBUG on (Django then records every query)")
    parser.add_argument("--profile", action="store_true", help="cProfile both syncs (OUT/*-sync.prof); slows them")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="where the data file and results go")
    options = parser.parse_args(argv)
    today = options.today or local_today()
    options.out.mkdir(parents=True, exist_ok=True)
    data_file = options.out / "registry-bench.json"

    log(f"generating {options.records:,} records (seed {options.seed}, today {today}) ...")
    started = time.perf_counter()
    feed: Feed = generate(options.records, seed=options.seed, today=today)
    write_records(data_file, feed.records)
    generate_seconds = time.perf_counter() - started
    log(f"  {data_file} ({data_file.stat().st_size / 1e6:.1f} MB) in {generate_seconds:.1f} s")

    log(f"database {BENCH_DB}: ...")
    db_state = recreate_database(BENCH_DB, keep=options.keep_db)
    migrate_seconds = manage("migrate", "--noinput", "-v", "0", database=BENCH_DB, settings=SETTINGS)
    log(f"  {db_state}, migrated in {migrate_seconds:.1f} s")

    registry = Registry(data_file, cached=options.registry == "cached", log_file=options.out / "registry_sim.log")
    results: dict[str, Any] = {
        "records": options.records,
        "seed": options.seed,
        "today": today.isoformat(),
        "registry_mode": options.registry,
        "feed": feed.summary,
        "database": db_state,
        "generate_seconds": generate_seconds,
        "migrate_seconds": migrate_seconds,
        "engine_sha256": engine_fingerprint(),
    }
    try:
        log(f"registry stand-in ({options.registry}) at {registry.url}")
        page_size = options.page_size or int(os.environ.get("OCOP_REGISTRY_PAGE_SIZE") or 200)
        first = probe(registry.url, limit=page_size)
        second = probe(registry.url, limit=page_size, cursor=first["next_cursor"])
        results["registry_probe"] = {"first_page": first, "second_page": second}
        log(
            f"  one feed page of {first['records']} records ({first['bytes'] / 1e3:.0f} kB) on its own:"
            f" {first['seconds'] * 1000:.0f} ms (first page), {second['seconds'] * 1000:.0f} ms (second)"
        )

        setup_django(registry.url, page_size=options.page_size, debug=options.debug)
        try:
            from catalog_sync.sync import run_sync
        except ImportError as exc:
            log(f"catalog_sync.sync.run_sync is not available yet ({exc}); generator and registry checks only.")
            return 3

        log("full sync ...")
        results["load_average"] = os.getloadavg()
        full = timed_sync("full", run_sync, profile=options.out / "full-sync.prof" if options.profile else None)
        results["full"] = full
        results["after_full"] = catalogue_state()

        end = probe(registry.url, limit=page_size, cursor=full["cursor_after"] or None, repeat=3)
        results["registry_probe"]["end_of_feed"] = end

        changes = mutate(feed, fraction=options.change, seed=options.seed)
        write_records(data_file, feed.records)
        results["changes"] = changes
        reread = probe(registry.url, limit=1, cursor=full["cursor_after"] or None, repeat=1)  # the stand-in re-reads
        results["registry_probe"]["reread_seconds"] = reread["seconds"]
        log(
            f"changed {changes['changed']:,} of {changes['certificates']:,} certificates {changes['kinds']};"
            f" the stand-in re-read the file in {reread['seconds']:.1f} s (not counted)"
        )

        log("incremental sync ...")
        incremental = timed_sync(
            "incremental", run_sync, profile=options.out / "incremental-sync.prof" if options.profile else None
        )
        results["incremental"] = incremental
        results["after_incremental"] = catalogue_state()
    finally:
        registry.stop()
        if "DJANGO_SETTINGS_MODULE" in os.environ and "django.db" in sys.modules:
            from django.conf import settings

            if settings.configured:
                from django.db import connections

                connections.close_all()
    results["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    summary = feed.summary
    full_ok = (full["records_per_second"] or 0) >= TARGET_FULL_RATE and full["status"] == "succeeded"
    incremental_ok = incremental["wall_seconds"] < TARGET_INCREMENTAL_SECONDS and incremental["status"] == "succeeded"
    probe_end = results["registry_probe"]["end_of_feed"]
    lines = [
        "",
        f"OCOP registry sync benchmark: seed {options.seed}, today {today}, registry stand-in {options.registry},"
        f" images off, page size {page_size}",
        f"feed: {summary['records']:,} records = {summary['products']:,} products"
        f" ({summary['products_with_superseded']:,} with a superseded older certificate),"
        f" {summary['producers']:,} producers, {summary['certificates']:,} certificate ids",
        "  current certificates: " + ", ".join(f"{k} {v:,}" for k, v in summary["current"].items()),
        f"  generated in {generate_seconds:.1f} s; database {db_state} and migrated in {migrate_seconds:.1f} s",
        f"registry alone (one request at a time): a page of {page_size} takes {second['seconds'] * 1000:.0f} ms"
        f" after a cursor ({probe_end['seconds'] * 1000:.0f} ms for the empty page at the end of the feed,"
        f" {first['seconds'] * 1000:.0f} ms for the first page, which needs no cursor)",
        f"machine: {os.cpu_count()} CPUs, load average {results['load_average'][0]:.2f} before the full sync;"
        f" catalog_sync/sync.py sha256 {results['engine_sha256']}",
        "",
        *describe("full sync", full, target=f">= {TARGET_FULL_RATE:,} records/s", met=full_ok),
        f"  expected from the generator: {summary['expected_listable_products']:,} products listed at the end,"
        f" {summary['expected_quarantined_records']:,} quarantined"
        + (" (does not apply: --keep-db kept earlier data)" if db_state == "kept" else ""),
        "  catalogue: " + ", ".join(f"{k} {v:,}" for k, v in results["after_full"].items()),
        "",
        *describe(
            "incremental sync",
            incremental,
            target=f"< {TARGET_INCREMENTAL_SECONDS:g} s",
            met=incremental_ok,
        ),
        f"  changed {changes['changed']:,} certificates: "
        + ", ".join(f"{k} {v}" for k, v in changes["kinds"].items())
        + f"; expected about {changes['expected_delisted']} delisted, {changes['expected_listed']} listed",
        "  catalogue: " + ", ".join(f"{k} {v:,}" for k, v in results["after_incremental"].items()),
        "",
        f"peak memory of this process: {results['peak_rss_mb']:.0f} MB",
    ]
    print("\n".join(lines))
    result_file = options.out / "last-result.json"
    result_file.write_text(json.dumps(results, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    print(f"results: {result_file}")
    return 0 if full["status"] == "succeeded" and incremental["status"] == "succeeded" else 1


if __name__ == "__main__":
    sys.exit(main())
