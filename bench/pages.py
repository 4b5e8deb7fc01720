"""Benchmark of the consumer pages over a large certified catalogue, measured over HTTP.

    .venv/bin/python bench/pages.py [--products N] [--requests R] [--workers W]

Uses the database of bench/catalog.py, `ocop_catalog_bench`, and its helpers:

1. creates `ocop_catalog_bench` if it is missing (an existing one is never dropped: this script only
   reads it, apart from filling an empty one, building a missing search index and giving outlets without
   opening hours a showroom's) and migrates it;
2. fills it with N synthetic listed products (default 100,000) if it holds none (`bench.catalog.fill`),
   and rebuilds the search index if it does not hold every listed product;
3. starts gunicorn over it with DEBUG off (`bench.catalog.server`);
4. times, over HTTP with httpx, GET requests of
   - the provenance page `/p/<slug>/` of random products,
   - the catalogue `/products/?q=…` for the 20 everyday queries of bench/catalog.py (a search),
   - the catalogue with a facet ticked, `/products/?q=…&stars=5&group=<id>` (a facet click),
   - the catalogue without text (`/products/`, browsing, and `?stars=4`),
   - the outlet directory `/outlets/`, each outlet's page (what it holds today, uncached: the search
     index's cache version bumped before each request) and a search within it, and random producers' pages,
   - the newly certified page (kept pages made stale before each request) and its Atom feed, `/events/`, a fair's
     page (200 products), a rating round (300 certificates) and a collection of 5,000 products (10 of its pages,
     kept pages made stale before each request), all made once in the database if missing,
   the searches uncached (the search index's cache version is bumped before each request, as
   bench/catalog.py does) and again answered from the cache; the provenance page and browsing with every
   whole page kept for anonymous visitors made stale before each request (`forget_answers`: the counts
   stay cached), then again as kept pages (web.page_cache);
5. prints p50/p95 latencies and the SQL queries of one request of each (run in this process with
   Django's test client, CaptureQueriesContext), next to the target p50 < 100 ms, and writes them to
   bench/out/pages-last-result.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.catalog import (  # noqa: E402
    BENCH_DB,
    OUT_DIR,
    SEARCHES,
    SETTINGS,
    _commands,
    _index_is_full,
    fill,
    forget_answers,
    forget_search_results,
    percentile,
    server,
    setup_django,
)
from bench.common import log, manage, recreate_database  # noqa: E402

TARGET_P50_MS = 100.0


def count_queries(path: str, *, before: Callable[[], None] | None = None) -> int:
    """The SQL queries of one GET of `path`, in this process (same code, same database)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    if before is not None:
        before()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(queries)


def measure(
    client: Any,
    base: str,
    paths: list[str],
    *,
    warmups: int,
    requests: int,
    before_each: Callable[[], None] | None = None,
) -> dict[str, Any]:
    """p50/p95 of `requests` GETs (cycling through `paths`) after `warmups`; `before_each` runs untimed."""
    timings, errors, sizes = [], 0, []
    for i in range(warmups + requests):
        path = paths[i % len(paths)]
        if before_each is not None:
            before_each()
        started = time.perf_counter()
        response = client.get(f"{base}{path}")
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            errors += 1
            if errors == 1:
                log(f"  error: {path} → {response.status_code}")
        if i >= warmups:
            timings.append(elapsed)
            sizes.append(len(response.content))
    return {
        "requests": len(timings),
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(percentile(timings, 0.95), 1),
        "errors": errors,
        "kb": round(statistics.median(sizes) / 1024, 1),
        "sql_queries": count_queries(paths[0], before=before_each),
    }


def facet_clicks(queries: list[str]) -> list[str]:
    """For each query, the catalogue with 5 stars and the query's most common product group ticked."""
    from search.backends.base import Facet, SearchQuery
    from search.selectors import product_search

    paths = []
    for text in queries:
        groups = product_search(query=SearchQuery(text=text, limit=1)).facets.get(Facet.GROUP) or []
        params = [("q", text), ("stars", "5")] + ([("group", groups[0].value)] if groups else [])
        paths.append("/products/?" + urlencode(params))
    return paths


def measure_repeats(paths: dict[str, list[str]], common: dict[str, Any]) -> dict[str, Any]:
    """Each case's paths answered once (untimed), then measured: every timed request is a repeat."""
    for path in (path for case in paths.values() for path in case):
        common["client"].get(f"{common['base']}{path}")
    return {name: measure(paths=case, **common) for name, case in paths.items()}


def run(args: argparse.Namespace) -> dict[str, Any]:
    import httpx

    result: dict[str, Any] = {"cpus": os.cpu_count()}
    result["database"] = recreate_database(BENCH_DB, keep=True)  # never dropped here
    manage("migrate", "--noinput", "-v", "0", database=BENCH_DB, settings=SETTINGS)
    setup_django()
    from marketplace.catalogue.models import Product

    if not Product.objects.exists():
        log(f"filling {args.products:,} products …")
        result["fill"] = fill(args.products, seed=args.seed)
    result["listed"] = Product.objects.filter(listing_state="listed").count()
    if "rebuild_search_index" in _commands() and not _index_is_full(result["listed"]):
        log("rebuilding the search index …")
        result["index_seconds"] = round(manage("rebuild_search_index", database=BENCH_DB, settings=SETTINGS), 1)

    _ensure_opening_hours()
    _ensure_fair_round_and_collection()
    rng = random.Random(args.seed)
    slugs = list(Product.objects.order_by("?").values_list("slug", flat=True)[: args.requests])
    producers = [f"/producers/{slug}/" for slug in _producer_slugs(args.requests)]
    outlets = [f"/outlets/{slug}/" for slug in _outlet_slugs()]
    queries = SEARCHES[:]
    rng.shuffle(queries)
    outlet_searches = [f"{path}?{urlencode({'q': text})}" for path, text in zip(outlets * 2, queries, strict=False)]
    searches = ["/products/?" + urlencode({"q": text}) for text in queries]
    clicks = facet_clicks(queries)
    cases: dict[str, Any] = {}
    with server(workers=args.workers) as base, httpx.Client(timeout=60) as client:
        common = {"client": client, "base": base, "warmups": args.warmups, "requests": args.requests}
        provenance = [f"/p/{slug}/" for slug in slugs]
        log("measuring the provenance page, uncached …")
        cases["provenance /p/<slug>/"] = measure(paths=provenance, before_each=forget_answers, **common)
        log("measuring the catalogue: a search, uncached …")
        cases["catalogue search"] = measure(paths=searches, before_each=forget_search_results, **common)
        log("measuring the catalogue: a facet click, uncached …")
        cases["catalogue facet click"] = measure(paths=clicks, before_each=forget_search_results, **common)
        log("measuring the catalogue from the cache …")
        repeated = {"catalogue search, cached": searches, "catalogue facet click, cached": clicks}
        cases |= measure_repeats(repeated, common)
        log("measuring the catalogue without text, its counts cached …")
        browse = ["/products/", "/products/?stars=4"]
        cases["catalogue browse"] = measure(paths=browse, before_each=forget_answers, **common)
        log("measuring the outlet directory, an outlet's page and a producer's page …")
        cases["outlet directory /outlets/"] = measure(paths=["/outlets/"], **common)
        cases["outlet page, uncached"] = measure(paths=outlets, before_each=forget_search_results, **common)
        cases["outlet page, a search"] = measure(paths=outlet_searches, before_each=forget_search_results, **common)
        cases["producer page"] = measure(paths=producers, **common)
        cases["newly certified"] = measure(paths=["/newly-certified/"], before_each=forget_answers, **common)
        cases["newly certified, Atom"] = measure(paths=["/newly-certified/feed.atom"], **common)
        cases["events /events/"] = measure(paths=["/events/"], **common)
        cases["an event's page"] = measure(paths=[f"/events/{BENCH_FAIR}/"], **common)
        cases["a rating round"] = measure(paths=[f"/announcements/{BENCH_ROUND_SLUG}/"], **common)
        cases["a collection, uncached"] = measure(
            paths=[f"/collections/{BENCH_COLLECTION}/?page={n}" for n in range(1, 11)],
            before_each=forget_answers,
            **common,
        )
        log("measuring whole pages kept for anonymous visitors …")
        cases |= measure_repeats({"provenance, kept": provenance, "catalogue browse, kept": browse}, common)
    result["cases"] = cases
    return result


BENCH_FAIR, BENCH_COLLECTION = "bench-fair", "bench-collection"
BENCH_ROUND, BENCH_ROUND_SLUG = "999/QĐ-BENCH", "999-qd-bench"


def _ensure_fair_round_and_collection() -> None:
    """A published fair with 200 products and their producers, a rating round of 300 certificates (their decision
    number set to BENCH_ROUND: bench data only) and a published collection of 5,000 products, each made once."""
    from marketplace.catalogue.models import Collection, CollectionProduct, Product
    from marketplace.certification.models import Certification
    from marketplace.core.dates import local_today
    from marketplace.events.models import Event, RatingAnnouncement

    products = list(
        Product.objects.filter(listing_state="listed").order_by("pk").values_list("pk", "producer_id")[:5000]
    )
    if not Event.objects.filter(slug=BENCH_FAIR).exists():
        fair = Event.objects.create(
            name="Hội chợ OCOP (bench)",
            slug=BENCH_FAIR,
            starts_on=local_today(),
            ends_on=local_today(),
            venue="Biên Hòa",
            is_published=True,
        )
        fair.products.set([pk for pk, _producer in products[:200]])
        fair.producers.set({producer for _pk, producer in products[:200]})
    if not RatingAnnouncement.objects.filter(decision_number=BENCH_ROUND).exists():
        Certification.objects.filter(product_id__in=[pk for pk, _producer in products[:300]]).update(
            decision_number=BENCH_ROUND
        )
        RatingAnnouncement.objects.create(decision_number=BENCH_ROUND, slug=BENCH_ROUND_SLUG)
    if not Collection.objects.filter(slug=BENCH_COLLECTION).exists():
        collection = Collection.objects.create(name="Bộ sưu tập (bench)", slug=BENCH_COLLECTION, is_published=True)
        CollectionProduct.objects.bulk_create(
            CollectionProduct(collection=collection, product_id=pk) for pk, _producer in products
        )


def _ensure_opening_hours() -> None:
    """Outlets without opening hours get a showroom's (7:30–17:00 daily), as the demo gives them."""
    import datetime

    from marketplace.outlets.models import OpeningPeriod, Outlet

    bare = Outlet.objects.filter(opening_periods__isnull=True)
    OpeningPeriod.objects.bulk_create(
        OpeningPeriod(outlet=outlet, weekday=day, opens=datetime.time(7, 30), closes=datetime.time(17))
        for outlet in bare
        for day in range(7)
    )


def _producer_slugs(n: int) -> list[str]:
    from marketplace.producers.models import Producer

    return list(Producer.objects.order_by("?").values_list("slug", flat=True)[:n])


def _outlet_slugs() -> list[str]:
    from marketplace.outlets.models import Outlet

    return list(Outlet.objects.filter(is_active=True).order_by("slug").values_list("slug", flat=True))


def report(result: dict[str, Any]) -> None:
    print(f"\nconsumer pages over {result['listed']:,} listed products ({result['cpus']} CPUs)")
    print(f"{'page':<32} {'p50 ms':>8} {'p95 ms':>8} {'SQL':>4} {'KB':>6}  target")
    for name, case in result["cases"].items():
        met = case["p50_ms"] < TARGET_P50_MS
        errors = f"  ({case['errors']} errors)" if case["errors"] else ""
        target = f"p50 < {TARGET_P50_MS:.0f} ms: {'met' if met else 'MISSED'}"
        print(
            f"{name:<32} {case['p50_ms']:>8} {case['p95_ms']:>8} {case['sql_queries']:>4} {case['kb']:>6}  "
            f"{target}{errors}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=int, default=100_000, help="only when the database is empty")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--requests", type=int, default=200, help="timed requests per page (of 40, the p95 is the second-slowest)"
    )
    parser.add_argument("--warmups", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument(
        "--keep-db",
        action="store_true",
        help="accepted for symmetry with bench/catalog.py: the database is always kept",
    )
    args = parser.parse_args(argv)
    result = run(args)
    report(result)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    (OUT_DIR / "pages-last-result.json").write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
