"""Benchmark of the storefront API over a large certified catalogue, measured over HTTP.

    .venv/bin/python bench/catalog.py [--products N] [--seed S] [--requests R] [--keep-db]

1. drops and re-creates the database `ocop_catalog_bench` (--keep-db: reuses it, filled) and
   migrates it (`manage.py migrate` in a subprocess, DJANGO_SETTINGS_MODULE=config.settings.local);
2. fills it with N synthetic listed products (default 100,000) with producers, certificates,
   variants, prices and stock, with PostgreSQL COPY (`marketplace.core.bulk.copy_insert`) in
   batches, then refreshes the automatic collections and, when the search app has one, the index;
3. starts gunicorn on a free port over that database with DEBUG off;
4. times, over HTTP with httpx, `products(first: 100)` and `products(first: 20)` with every field,
   `product(slug)`, and `productSearch` for 20 everyday queries and without text (browsing) when the
   schema has it — uncached: the search index's cache version is bumped before each request — and
   again from the cache; and counts the SQL queries of each by running it once in this process
   (CaptureQueriesContext);
5. prints p50/p95 latencies and query counts next to the targets, and writes them to
   bench/out/catalog-last-result.json.

Only the database `ocop_catalog_bench` is ever dropped or written to; the server is stopped on exit.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import log, manage, recreate_database  # noqa: E402
from bench.common import server as common_server  # noqa: E402
from bench.generate_records import (  # noqa: E402
    EXTRA_PRODUCTS,
    GROUPS_2023,
    LEGACY_UNITS,
    NAME_PREFIXES,
    TODAY_UNITS,
    TRADES,
)

BENCH_DB = "ocop_catalog_bench"
SERVER_URL = "postgres://postgres@127.0.0.1:5432"
DATABASE_URL = f"{SERVER_URL}/{BENCH_DB}"
SETTINGS = "config.settings.local"
OUT_DIR = ROOT / "bench" / "out"
BATCH = 5000
GROUPS_EN = {"I": "Food", "II": "Drinks", "III": "Herbal products", "IV": "Handicrafts", "V": "Ornamental plants"}
GROUPS_EN["VI"] = "Community and eco-tourism"
PRODUCT_BASES = [
    ("Hạt điều rang muối", "salted roasted cashews", "I", "Rau, củ, quả, hạt chế biến"),
    ("Cà phê rang xay", "ground roasted coffee", "II", "Cà phê, ca cao"),
    ("Tiêu đen", "black pepper", "I", "Gia vị"),
    ("Ca cao nguyên chất", "pure cocoa", "II", "Cà phê, ca cao"),
    ("Chuối sấy dẻo", "soft dried banana", "I", "Rau, củ, quả, hạt chế biến"),
    ("Khô cá lóc", "dried snakehead fish", "I", "Thủy sản chế biến"),
    ("Nem chua", "fermented pork roll", "I", "Thịt và sản phẩm từ thịt"),
    *[(name, name_en, group, product_set) for name, name_en, group, product_set in EXTRA_PRODUCTS],
]
VARIANTS = [("Túi 250 g", 250), ("Hộp 500 g", 500), ("Túi 1 kg", 1000), ("Hộp quà", 800)]
STARS = (3, 4, 5)
STAR_WEIGHTS = (55, 33, 12)
SEARCHES = [
    "ca phe",
    "cà phê rang xay",
    "hat dieu",
    "hạt điều rang muối",
    "buoi tan trieu",
    "mat ong",
    "tra mang cau",
    "ruou de bau ham",
    "sau rieng",
    "chom chom long khanh",
    "nam linh chi",
    "gio dan luc binh",
    "mai vang bonsai",
    "dong nai",
    "xuan loc",
    "dau giay",
    "hop tac xa",
    "hat dieu binh phuoc",
    "diều",
    "ca cao",
]
TARGETS_MS = {"products(first: 20)": ("p50", 40.0), "product(slug)": ("p50", 25.0), "productSearch": ("p95", 100.0)}

EVERY_FIELD = """
fragment EveryField on Product {
  id name slug description seoTitle seoDescription created updatedAt
  category { id name slug }
  thumbnail(size: 256) { url alt }
  media { url alt }
  isAvailable isAvailableForPurchase availableForPurchaseAt
  pricing { priceRange { start { gross { amount currency } } stop { gross { amount currency } } } }
  variants { id name sku quantityAvailable pricing { price { gross { amount currency } } } }
  attributes { attribute { slug name } values { name slug } }
  collections { slug }
  productType { name }
  translation(languageCode: EN) { name description }
  certification {
    certificateId stars score councilLevel decisionNumber decisionDate issuer validFrom validUntil status
  }
  certificationHistory { certificateId validUntil }
  producer { id name kind phone address { line commune district province communeToday provinceToday } }
  provenanceUrl
}
"""
PRODUCTS = (
    'query($first: Int!) { products(first: $first, channel: "default-channel") '
    "{ totalCount edges { node { ...EveryField } } pageInfo { hasNextPage endCursor } } }" + EVERY_FIELD
)
PRODUCT = 'query($slug: String!) { product(slug: $slug, channel: "default-channel") { ...EveryField } }' + EVERY_FIELD


def setup_django() -> None:
    os.environ.update(
        DATABASE_URL=DATABASE_URL,
        DJANGO_SETTINGS_MODULE=SETTINGS,
        DJANGO_DEBUG="false",
        OCOP_SYNC_IMAGES="false",
    )
    import django

    django.setup()
    from django.db import connection

    if connection.settings_dict["NAME"] != BENCH_DB:
        raise SystemExit(f"refusing to write: Django points at {connection.settings_dict['NAME']!r}")


def fill(n: int, *, seed: int) -> dict[str, Any]:
    """N listed products with a valid certificate, 1–3 priced variants each, in stock at one outlet."""
    from django.db import connection
    from django.utils import timezone

    from marketplace.catalogue.models import Category, Product, ProductVariant, ProductVariantChannelListing
    from marketplace.certification.models import Certification, CertificationStatus, CouncilLevel
    from marketplace.channel.services import channel_ensure_default
    from marketplace.core.bulk import copy_insert
    from marketplace.core.dates import local_today
    from marketplace.core.text import slugify_vi
    from marketplace.inventory.models import Stock
    from marketplace.outlets.models import Outlet, OutletKind
    from marketplace.producers.models import Producer, ProducerKind

    rng = random.Random(seed)
    started = time.perf_counter()
    now = timezone.now()
    today = local_today()
    channel = channel_ensure_default()
    groups = {
        code: Category.objects.create(
            kind=Category.Kind.GROUP,
            scheme="2023",
            code=code,
            name=name,
            name_en=GROUPS_EN[code],
            slug=f"{slugify_vi(name)[:60]}-2023",
        )
        for code, name in GROUPS_2023.items()
    }
    sets = {}
    for _name, _en, code, product_set in PRODUCT_BASES:
        if (code, product_set) not in sets:
            sets[code, product_set] = Category.objects.create(
                kind=Category.Kind.PRODUCT_SET,
                scheme="2023",
                parent=groups[code],
                name=product_set,
                slug=f"{slugify_vi(product_set)[:60]}-{code.lower()}",
            )
    outlets = [
        Outlet.objects.create(
            name=f"Điểm bán OCOP {commune}",
            slug=f"outlet-{number}-{slugify_vi(commune)}",
            kind=OutletKind.SHOWROOM,
            commune=commune,
            province="Tỉnh Đồng Nai",
        )
        for number, (commune, _code, _lat, _lng) in enumerate(TODAY_UNITS[:12])
    ]
    legacy = [
        (province, district, commune) for (province, district), units in LEGACY_UNITS.items() for commune, *_ in units
    ]
    kinds = list(ProducerKind)
    producers = []
    for i in range(max(1, n // 8)):
        province, district, commune = rng.choice(legacy)
        commune_today, code_today, lat, lng = rng.choice(TODAY_UNITS)
        kind = rng.choice(kinds)
        producers.append(
            Producer(
                registry_id=f"BENCH-P{i:06d}",
                slug=f"bench-producer-{i}",
                name=f"{rng.choice(NAME_PREFIXES[kind.value])} {rng.choice(TRADES)} {commune.split(' ', 1)[-1]} {i}",
                kind=kind,
                tax_code="",
                representative="",
                phone=f"0251 3{i % 1_000_000:06d}",
                email="",
                address_line=f"Ấp {i % 17 + 1}",
                address_commune=commune,
                address_district=district,
                address_province=province,
                address_commune_code="",
                latitude=lat,
                longitude=lng,
                commune_today=commune_today,
                province_today="Tỉnh Đồng Nai",
                commune_code_today=code_today,
                address_note="converted from the pre-2025 units",
            )
        )
    for start in range(0, len(producers), BATCH):
        copy_insert(producers[start : start + BATCH], key="registry_id")
    counts = {"products": 0, "variants": 0, "certifications": 0, "stock": 0, "producers": len(producers)}
    for start in range(0, n, BATCH):
        batch = range(start, min(n, start + BATCH))
        products = []
        for i in batch:
            name, name_en, code, product_set = rng.choice(PRODUCT_BASES)
            producer = producers[rng.randrange(len(producers))]
            full_name = f"{name} {producer.address_commune.split(' ', 1)[-1]} {i}"
            products.append(
                Product(
                    registry_id=f"BENCH-{i:07d}",
                    slug=f"{slugify_vi(full_name)}",
                    name=full_name,
                    name_en=f"{name_en} {i}",
                    producer_id=producer.pk,
                    group_id=groups[code].pk,
                    category_id=sets[code, product_set].pk,
                    product_set=product_set,
                    description=f"{name} của {producer.name}, sản xuất tại {producer.address_commune}.",
                    registry_image_ids=[],
                    seller_description="",
                    seller_description_en="",
                    listing_state="listed",
                    listing_changed_at=now,
                    current_certification_id=None,
                )
            )
        copy_insert(products, key="registry_id")
        certifications, variants = [], []
        for product in products:
            valid_from = today - dt.timedelta(days=rng.randrange(1, 900))
            stars = rng.choices(STARS, STAR_WEIGHTS)[0]
            certifications.append(
                Certification(
                    certificate_id=f"{product.registry_id}-C1",
                    revision=1,
                    registry_updated_at=now,
                    status=CertificationStatus.ACTIVE,
                    stars=stars,
                    score=Decimal(50 + stars * 10 + rng.randrange(0, 10)),
                    council_level=CouncilLevel.PROVINCE,
                    decision_number=f"{rng.randrange(100, 4000)}/QĐ-UBND",
                    decision_date=valid_from,
                    issuer="UBND tỉnh Đồng Nai",
                    valid_from=valid_from,
                    valid_until=valid_from + dt.timedelta(days=3 * 365),
                    supersedes="",
                    product_id=product.pk,
                    producer_id=product.producer_id,
                    quarantined_revision=None,
                    raw={"certificate_id": f"{product.registry_id}-C1", "stars": stars},
                )
            )
            for order, (variant_name, grams) in enumerate(rng.sample(VARIANTS, rng.randint(1, 3))):
                variants.append(
                    ProductVariant(
                        product_id=product.pk,
                        sku=f"{product.registry_id}-{order}",
                        name=variant_name,
                        weight_grams=grams,
                        track_inventory=True,
                        sort_order=order,
                    )
                )
        copy_insert(certifications)
        copy_insert(variants, key="sku")
        copy_insert(
            [
                ProductVariantChannelListing(
                    variant_id=v.pk, channel_id=channel.pk, price_amount=rng.randrange(30, 900) * 1000, currency="VND"
                )
                for v in variants
            ]
        )
        copy_insert(
            [Stock(variant_id=v.pk, outlet_id=rng.choice(outlets).pk, quantity=rng.randrange(0, 60)) for v in variants]
        )
        counts["products"] += len(products)
        counts["certifications"] += len(certifications)
        counts["variants"] += len(variants)
        counts["stock"] += len(variants)
        log(f"  filled {counts['products']:,}/{n:,} products ({time.perf_counter() - started:.0f} s)")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE catalogue_product AS p SET current_certification_id = c.id "
            "FROM certification_certification AS c WHERE c.product_id = p.id"
        )
        cursor.execute("VACUUM ANALYZE")  # PostgreSQL here runs without autovacuum: no dead rows left
    counts["seconds"] = round(time.perf_counter() - started, 1)
    return counts


# The server


@contextmanager
def server(*, workers: int) -> Iterator[str]:
    """gunicorn over the catalogue benchmark's database."""
    with common_server(database=BENCH_DB, workers=workers) as base:
        yield base


# The measurements


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def count_queries(query: str, variables: dict[str, Any], *, before: Callable[[], None] | None = None) -> int:
    """The SQL queries of one run of this operation, in this process (same code, same database)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    if before is not None:
        before()
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/graphql/", {"query": query, "variables": variables}, content_type="application/json")
    assert response.status_code == 200, response.content[:500]
    return len(queries)


def measure(
    client: Any,
    base: str,
    query: str,
    variables: list[dict[str, Any]],
    *,
    warmups: int,
    requests: int,
    before_each: Callable[[], None] | None = None,
) -> dict[str, Any]:
    """p50/p95 of `requests` requests after `warmups`; `before_each` runs (untimed) before every request."""
    timings, errors = [], 0
    for i in range(warmups + requests):
        payload = {"query": query, "variables": variables[i % len(variables)]}
        if before_each is not None:
            before_each()
        started = time.perf_counter()
        response = client.post(f"{base}/graphql/", json=payload)
        elapsed = (time.perf_counter() - started) * 1000
        body = response.json()
        if response.status_code != 200 or body.get("errors"):
            errors += 1
            if errors == 1:
                log(f"  error: {json.dumps(body)[:500]}")
        if i >= warmups:
            timings.append(elapsed)
    return {
        "requests": len(timings),
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(percentile(timings, 0.95), 1),
        "errors": errors,
        "sql_queries": count_queries(query, variables[0], before=before_each),
    }


def forget_search_results() -> None:
    """Make every cached search result stale, as a write to the index does (the server shares this Redis).

    Search results, totals and facets are cached per query under the index's version: a query the
    server has answered before is then a Redis read, not a search. Bumping the version before each
    request makes the server rank and count again, so the figure is the engine's, not the cache's.
    """
    from marketplace.catalogue.read_cache import SEARCH_INDEX, catalogue_version_bump

    catalogue_version_bump(scope=SEARCH_INDEX)


def forget_answers() -> None:
    """Make every whole answer kept for anonymous readers stale (pages, public API queries), as a change to what
    is shown does, and leave the cached counts and search results as they are."""
    from marketplace.catalogue.read_cache import SHOWN, catalogue_version_bump

    catalogue_version_bump(scope=SHOWN)


def search_operation(client: Any, base: str) -> str | None:
    """A `productSearch` operation for this schema, or None when the schema has no such query."""
    answer = client.post(
        f"{base}/graphql/",
        json={
            "query": '{ __type(name: "Query") { fields { name args { name type { kind name ofType { name } } } } } }'
        },
    ).json()
    fields = {field["name"]: field for field in answer["data"]["__type"]["fields"]}
    if "productSearch" not in fields:
        return None
    args = {arg["name"]: arg["type"] for arg in fields["productSearch"]["args"]}
    query_type = args.get("query")
    if query_type is None:
        return None
    type_name = f"{query_type['ofType']['name']}!" if query_type["kind"] == "NON_NULL" else query_type["name"]
    return (
        f"query($q: {type_name}) {{ productSearch(query: $q, first: 20) {{ totalCount "
        "edges { node { id name slug thumbnail(size: 256) { url } "
        "pricing { priceRange { start { gross { amount currency } } } } } } } }"
    )


def run(args: argparse.Namespace) -> dict[str, Any]:
    import httpx

    result: dict[str, Any] = {"products": args.products, "seed": args.seed, "cpus": os.cpu_count()}
    state = recreate_database(BENCH_DB, keep=args.keep_db)
    log(f"database {BENCH_DB}: {state}")
    result["migrate_seconds"] = round(
        manage("migrate", "--noinput", "-v", "0", database=BENCH_DB, settings=SETTINGS), 1
    )
    setup_django()
    from marketplace.catalogue.collection_services import collections_refresh_automatic
    from marketplace.catalogue.models import Product

    if not Product.objects.exists():
        log(f"filling {args.products:,} products …")
        result["fill"] = fill(args.products, seed=args.seed)
        log(f"filled in {result['fill']['seconds']} s")
    result["listed"] = Product.objects.filter(listing_state="listed").count()
    result["collections"] = collections_refresh_automatic()
    rng = random.Random(args.seed)
    slugs = list(Product.objects.order_by("?").values_list("slug", flat=True)[: args.requests])
    cases: dict[str, Any] = {}
    with server(workers=args.workers) as base, httpx.Client(timeout=60) as client:
        common = {"client": client, "base": base, "warmups": args.warmups, "requests": args.requests}
        log("measuring products(first: 100) …")
        cases["products(first: 100)"] = measure(query=PRODUCTS, variables=[{"first": 100}], **common)
        log("measuring products(first: 20) …")
        cases["products(first: 20)"] = measure(query=PRODUCTS, variables=[{"first": 20}], **common)
        log("measuring product(slug) …")
        cases["product(slug)"] = measure(query=PRODUCT, variables=[{"slug": slug} for slug in slugs], **common)
        operation = search_operation(client, base)
        if operation is None:
            result["search_note"] = "skipped: the schema has no productSearch query (with a `query` argument) yet"
            log(result["search_note"])
        else:
            if "rebuild_search_index" in _commands() and not (args.keep_db and _index_is_full(result["listed"])):
                log("rebuilding the search index …")
                result["index_seconds"] = round(manage("rebuild_search_index", database=BENCH_DB, settings=SETTINGS), 1)
            log("measuring productSearch …")
            queries = SEARCHES[:]
            rng.shuffle(queries)
            searches = [{"q": q} for q in queries]
            cases["productSearch"] = measure(
                query=operation, variables=searches, before_each=forget_search_results, **common
            )
            log("measuring productSearch, answered from the cache …")
            for variables in searches:  # each query answered once (untimed), then every request is a repeat
                client.post(f"{base}/graphql/", json={"query": operation, "variables": variables})
            cases["productSearch, cached"] = measure(query=operation, variables=searches, **common)
            log("measuring productSearch without text (browsing) …")
            cases["productSearch, no text"] = measure(query=operation, variables=[{"q": ""}], **common)
    result["cases"] = cases
    return result


def _index_is_full(listed: int) -> bool:
    """Whether the PostgreSQL search index already holds an entry per listed product (`--keep-db` reuses it)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('search_productsearchentry') IS NOT NULL")
        if not cursor.fetchone()[0]:
            return False
        cursor.execute("SELECT count(*) FROM search_productsearchentry")
        return cursor.fetchone()[0] == listed


def _commands() -> set[str]:
    from django.core.management import get_commands

    return set(get_commands())


def report(result: dict[str, Any]) -> None:
    print(f"\nstorefront API over {result['listed']:,} listed products ({result['cpus']} CPUs)")
    if "fill" in result:
        fill = result["fill"]
        print(
            f"fill: {fill['products']:,} products, {fill['variants']:,} variants, {fill['producers']:,} producers "
            f"in {fill['seconds']} s"
        )
    print(f"collections: {result['collections']}")
    print(f"{'operation':<22} {'p50 ms':>8} {'p95 ms':>8} {'SQL':>4}  target")
    for name, case in result["cases"].items():
        target = ""
        if name in TARGETS_MS:
            which, limit = TARGETS_MS[name]
            met = case[f"{which}_ms"] <= limit
            target = f"{which} ≤ {limit:.0f} ms: {'met' if met else 'MISSED'}"
        errors = f"  ({case['errors']} errors)" if case["errors"] else ""
        print(f"{name:<22} {case['p50_ms']:>8} {case['p95_ms']:>8} {case['sql_queries']:>4}  {target}{errors}")
    if "search_note" in result:
        print(f"productSearch: {result['search_note']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=30, help="timed requests per operation")
    parser.add_argument("--warmups", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--keep-db", action="store_true", help="reuse a filled ocop_catalog_bench")
    args = parser.parse_args(argv)
    result = run(args)
    report(result)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    (OUT_DIR / "catalog-last-result.json").write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
