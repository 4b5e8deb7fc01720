"""The storefront's own operations over HTTP, uncached and cached, as the catalogue grows.

    .venv/bin/python bench/storefront.py                              # 1,000, 10,000 and 100,000 products
    .venv/bin/python bench/storefront.py --sizes 10000 --keep-db      # one size, its database reused
    .venv/bin/python bench/storefront.py --url https://shop.example/graphql/ --channel default-channel

The documents below ask for what Saleor's Next.js storefront (saleor/storefront) asks for on its busiest
screens — a product list card (name, slug, translation, price range, category with its image, a 1024 px
thumbnail, two flag attributes, up to 50 variants with their selection attributes), the product page, its
variants, a search, and the checkout's create → add a line → pick a collection point → complete — written
here after its documents, not copied from them.

For each size (a database `ocop_storefront_bench_<size>` of its own, filled with bench/catalog.py's fill and
made a shop by bench/load.py's prepare_shop: collection points, stock, a delivery zone, the search index),
in a process of its own:

1. starts gunicorn (config.wsgi, DEBUG off, --workers, default 2) on 127.0.0.1;
2. times every read operation --requests times after --warmups, **uncached** (every cached read of the
   catalogue — counts, search results, facets, whole answers — is made stale before each request by bumping
   every version of marketplace.catalogue.read_cache, as a write to the catalogue does) and **cached** (the
   same requests again, each asked once before, untimed: answered whole from the cache, see
   storefront_api.core.public_answers);
   (`--in-process`: through django.test.Client in the measuring process instead, without HTTP);
3. times the checkout one step after another (a new checkout each time): checkoutCreate, checkoutLinesAdd,
   checkoutDeliveryMethodUpdate (a collection point), then — untimed — the e-mail and a cash payment, and
   checkoutComplete;
4. counts the SQL statements of each operation by running it once in this process;
5. prints p50/p95 per operation and size, then how each grows with the catalogue, and writes
   bench/out/storefront-last.json.

`--url` measures any Saleor-compatible API instead (nothing filled or started; slugs and variants are read
from its first products; its caches cannot be cleared from here, so only "cached" figures are printed;
`--gateway` names a payment app that completes a checkout there). Only the databases
`ocop_storefront_bench_<size>` are ever dropped or written to; the server is stopped on exit.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.catalog import PRODUCTS as EVERY_FIELD  # noqa: E402
from bench.common import SERVER_URL, log, manage, recreate_database  # noqa: E402
from bench.common import server as gunicorn  # noqa: E402

SIZES = (1_000, 10_000, 100_000)
SETTINGS = "config.settings.local"
REDIS_URL = "redis://127.0.0.1:6379/7"
OUT_DIR = ROOT / "bench" / "out"
LANGUAGE = "EN"  # the tourists' language: every translation is asked for
SEARCHES = [
    "ca phe", "hat dieu", "tieu den", "mat ong", "tra mang cau", "ca cao", "chuoi say", "dong nai", "xuan loc",
    "hop tac xa", "nam linh chi", "buoi", "cà phê rang xay", "hạt điều", "coffee", "cashew", "pepper", "honey",
    "banh trang", "ruou",
]  # fmt: skip

# The documents (the storefront's selections, in our words)

MONEY_RANGE = "start { gross { amount currency } } stop { gross { amount currency } }"
CARD = """
fragment Card on Product {
  id name slug created
  translation(languageCode: $lang) { name slug }
  pricing { priceRange { <range> } priceRangeUndiscounted { <range> } }
  category { id name slug translation(languageCode: $lang) { name slug } backgroundImage { url alt } }
  thumbnail(size: 1024, format: WEBP) { url alt }
  bestseller: assignedAttribute(slug: "bestseller") { ... on AssignedBooleanAttribute { value } }
  pulse: assignedAttribute(slug: "pulse-bestseller") { ... on AssignedBooleanAttribute { value } }
  productVariants(first: 50) {
    totalCount
    edges { node { id
      selectionAttributes: attributes(variantSelection: VARIANT_SELECTION) {
        attribute { slug name inputType translation(languageCode: $lang) { name } }
        values { name slug value translation(languageCode: $lang) { name } file { url } }
      } } }
  }
}""".replace("<range>", MONEY_RANGE)
PAGE_INFO = "pageInfo { hasNextPage hasPreviousPage startCursor endCursor }"
PRODUCT_LIST = (
    "query List($channel: String!, $lang: LanguageCodeEnum!, $first: Int) {"
    "  products(first: $first, channel: $channel) { totalCount edges { node { ...Card } cursor } " + PAGE_INFO + " } }"
) + CARD
SEARCH = (
    "query Search($channel: String!, $lang: LanguageCodeEnum!, $q: String!) {"
    "  products(first: 20, channel: $channel, sortBy: {field: RANK, direction: DESC}, filter: {search: $q}) {"
    "    totalCount edges { node { ...Card } cursor } " + PAGE_INFO + " } }"
) + CARD
SLUG_LANGUAGES = ("EN", "PL", "DE", "FR", "FI", "NB", "JA", "KO")
PRODUCT_PAGE = """
query Page($channel: String!, $lang: LanguageCodeEnum!, $slug: String!) {
  product(slug: $slug, channel: $channel) {
    id name slug description seoTitle seoDescription isAvailable
    translation(languageCode: $lang) { name description seoTitle seoDescription slug }
    <slugs>
    thumbnail(size: 2048, format: WEBP) { url alt }
    media { url(size: 2048, format: WEBP) alt type }
    category { id name slug translation(languageCode: $lang) { name slug } }
    productType { slug }
    productVariants(first: 1) { totalCount }
    bestseller: assignedAttribute(slug: "bestseller") { ... on AssignedBooleanAttribute { value } }
    pulse: assignedAttribute(slug: "pulse-bestseller") { ... on AssignedBooleanAttribute { value } }
    assignedAttributes(limit: 50) {
      attribute { name slug translation(languageCode: $lang) { name } }
      ... on AssignedPlainTextAttribute { plainText: value plainTextTranslation: translation(languageCode: $lang) }
      ... on AssignedBooleanAttribute { boolean: value }
      ... on AssignedNumericAttribute { numeric: value }
      ... on AssignedSingleChoiceAttribute { choice: value { name slug translation(languageCode: $lang) } }
      ... on AssignedMultiChoiceAttribute { choices: value { name slug translation(languageCode: $lang) } }
    }
    pricing { priceRange { <range> } }
  }
}""".replace("<range>", MONEY_RANGE)
PRODUCT_PAGE = PRODUCT_PAGE.replace(
    "<slugs>", " ".join(f"slug{code}: translation(languageCode: {code}) {{ slug }}" for code in SLUG_LANGUAGES)
)
ATTRIBUTES = """
  values { name slug value translation(languageCode: $lang) { name } file { url } }
  attribute { name slug inputType translation(languageCode: $lang) { name } }"""
PRODUCT_VARIANTS = """
query Variants($channel: String!, $lang: LanguageCodeEnum!, $slug: String!) {
  product(slug: $slug, channel: $channel) {
    id
    productVariants(first: 100) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { node {
        id name sku quantityAvailable translation(languageCode: $lang) { name }
        selectionAttributes: attributes(variantSelection: VARIANT_SELECTION) { <attributes> }
        nonSelectionAttributes: attributes(variantSelection: NOT_VARIANT_SELECTION) { <attributes> }
        media { url(size: 2048, format: WEBP) alt type }
        pricing { price { gross { currency amount } } priceUndiscounted { gross { currency amount } } }
      } }
    }
  }
}""".replace("<attributes>", ATTRIBUTES)
ADDRESS = """id city phone postalCode companyName cityArea streetAddress1 streetAddress2 countryArea
  country { country code } firstName lastName"""
CHECKOUT = """
fragment Checkout on Checkout {
  id email discount { amount currency } voucherCode discountName translatedDiscountName
  giftCards { id last4CodeChars }
  channel { id slug } user { id }
  shippingAddress { <address> } billingAddress { <address> }
  authorizeStatus chargeStatus isShippingRequired
  availablePaymentGateways { id name config { field value } }
  delivery { id shippingMethod { id name } }
  problems {
    ... on CheckoutProblemDeliveryMethodStale { __typename }
    ... on CheckoutProblemDeliveryMethodInvalid { __typename }
  }
  totalPrice { gross { amount currency } tax { amount currency } }
  shippingPrice { gross { amount currency } }
  subtotalPrice { gross { amount currency } }
  lines {
    id quantity
    totalPrice { gross { currency amount } }
    unitPrice { gross { amount currency } }
    undiscountedUnitPrice { amount currency }
    variant {
      attributes(variantSelection: ALL) { values { name dateTime boolean translation(languageCode: $lang) { name } } }
      id name translation(languageCode: $lang) { name }
      product { name translation(languageCode: $lang) { language { code } id name } media { alt type url(size: 72) } }
      media { alt type url(size: 72) }
    }
  }
}""".replace("<address>", ADDRESS)
ERRORS = "errors { field code message }"
CREATE = (
    "mutation Create($channel: String!, $lang: LanguageCodeEnum!) {"
    "  checkoutCreate(input: {channel: $channel, languageCode: $lang, lines: []}) { checkout { ...Checkout } "
    + ERRORS
    + " } }"
) + CHECKOUT
LINES_ADD = (
    "mutation Add($id: ID!, $lang: LanguageCodeEnum!, $variant: ID!) {"
    "  checkoutLinesAdd(id: $id, lines: [{quantity: 1, variantId: $variant}]) { checkout { ...Checkout } "
    + ERRORS
    + " } }"
) + CHECKOUT
DELIVERY = (
    "mutation Delivery($id: ID!, $lang: LanguageCodeEnum!, $method: ID!) {"
    "  checkoutDeliveryMethodUpdate(id: $id, deliveryMethodId: $method) { checkout { ...Checkout } " + ERRORS + " } }"
) + CHECKOUT
COMPLETE = "mutation Complete($id: ID!) { checkoutComplete(id: $id) { order { id channel { slug } } " + ERRORS + " } }"
POINTS = "query Points($id: ID!) { checkout(id: $id) { availableCollectionPoints { id } } }"
EMAIL = "mutation Email($id: ID!, $email: String!) { checkoutEmailUpdate(id: $id, email: $email) { " + ERRORS + " } }"
PAY = (
    "mutation Pay($id: ID!, $gateway: PaymentGatewayToInitialize!) {"
    "  transactionInitialize(id: $id, paymentGateway: $gateway) { transaction { id } " + ERRORS + " } }"
)
FIRST_PRODUCTS = """
query($channel: String!) { products(first: 100, channel: $channel) { edges { node { slug
  productVariants(first: 3) { edges { node { id quantityAvailable } } } } } } }"""


# The client


class Api:
    """A GraphQL client over HTTP that times each request and fails loudly on an error."""

    def __init__(self, url: str) -> None:
        import httpx

        self.url = url
        self.http = httpx.Client(timeout=60)

    def post(self, payload: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        response = self.http.post(self.url, json=payload)
        return response.status_code, response.json()

    def call(self, query: str, variables: dict[str, Any]) -> tuple[float, dict[str, Any]]:
        started = time.perf_counter()
        status, body = self.post({"query": query, "variables": variables})
        elapsed = (time.perf_counter() - started) * 1000
        if status != 200 or body.get("errors"):
            raise SystemExit(f"{self.url} answered {status}: {json.dumps(body)[:600]}")
        payload = next(iter(body["data"].values()))
        if isinstance(payload, dict) and payload.get("errors"):
            raise SystemExit(f"{self.url} refused: {json.dumps(payload['errors'])[:600]}")
        return elapsed, body["data"]


class InProcessApi(Api):
    """The same calls through django.test.Client in this process: no HTTP, no gunicorn (less noise, same code)."""

    def __init__(self) -> None:
        from django.test import Client

        self.url = "in-process /graphql/"
        self.client = Client(HTTP_HOST="127.0.0.1")

    def post(self, payload: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        response = self.client.post("/graphql/", payload, content_type="application/json")
        return response.status_code, response.json()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def summary(timings: list[float]) -> dict[str, float]:
    return {"p50_ms": round(statistics.median(timings), 1), "p95_ms": round(percentile(timings, 0.95), 1)}


def time_reads(
    api: Api, query: str, variables: list[dict[str, Any]], *, warmups: int, requests: int, before: Callable | None
) -> dict[str, float]:
    """p50/p95 of `requests` requests (cycling through `variables`) after `warmups`; `before` runs untimed first."""
    timings = []
    for i in range(warmups + requests):
        if before is not None:
            before()
        elapsed, _ = api.call(query, variables[i % len(variables)])
        if i >= warmups:
            timings.append(elapsed)
    return summary(timings)


def time_checkouts(api: Api, shop: dict[str, Any], *, runs: int, gateway: str) -> dict[str, dict[str, float]]:
    """Each checkout step's p50/p95 over `runs` checkouts, one step after another (the first two not counted)."""
    rng = random.Random(7)
    steps: dict[str, list[float]] = {name: [] for name in ("checkoutCreate", "checkoutLinesAdd")}
    steps |= {"checkoutDeliveryMethodUpdate": [], "checkoutComplete": []}
    lang = {"channel": shop["channel"], "lang": LANGUAGE}
    for run in range(runs + 2):
        took: dict[str, float] = {}
        took["checkoutCreate"], data = api.call(CREATE, lang)
        checkout = data["checkoutCreate"]["checkout"]["id"]
        variables = {"id": checkout, "lang": LANGUAGE, "variant": rng.choice(shop["variants"])}
        took["checkoutLinesAdd"], _ = api.call(LINES_ADD, variables)
        _, data = api.call(POINTS, {"id": checkout})
        points = data["checkout"]["availableCollectionPoints"]
        if not points:
            raise SystemExit("no collection point offers the checkout's line")
        method = {"id": checkout, "lang": LANGUAGE, "method": rng.choice(points)["id"]}
        took["checkoutDeliveryMethodUpdate"], _ = api.call(DELIVERY, method)
        api.call(EMAIL, {"id": checkout, "email": f"bench{run}@example.test"})
        api.call(PAY, {"id": checkout, "gateway": {"id": gateway}})
        took["checkoutComplete"], _ = api.call(COMPLETE, {"id": checkout})
        if run >= 2:
            for name, elapsed in took.items():
                steps[name].append(elapsed)
    return {name: summary(timings) for name, timings in steps.items()}


def _with(shop: dict[str, Any], extra: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"channel": shop["channel"], "lang": LANGUAGE, **variables} for variables in extra]


READS: dict[str, tuple[str, Callable[[dict[str, Any]], list[dict[str, Any]]]]] = {
    "product list (20)": (PRODUCT_LIST, lambda shop: _with(shop, [{"first": 20}])),
    "products(first: 100), every field": (EVERY_FIELD, lambda shop: [{"first": 100}]),
    "product page": (PRODUCT_PAGE, lambda shop: _with(shop, [{"slug": slug} for slug in shop["slugs"]])),
    "product page variants": (PRODUCT_VARIANTS, lambda shop: _with(shop, [{"slug": slug} for slug in shop["slugs"]])),
    "search, 20 queries": (SEARCH, lambda shop: _with(shop, [{"q": q} for q in SEARCHES])),
}
OURS_ONLY = {"products(first: 100), every field"}  # asks for the OCOP extension's fields too


def measure(api: Api, shop: dict[str, Any], args: argparse.Namespace, *, forget: Callable | None) -> dict[str, Any]:
    """Every read uncached (when `forget` can clear the caches) and cached, then the checkout's steps."""
    cases: dict[str, Any] = {}
    timing = {"warmups": args.warmups, "requests": args.requests}
    for name, (document, make_variables) in READS.items():
        if args.url and name in OURS_ONLY:
            continue
        variables = make_variables(shop)
        log(f"  {name} …")
        case: dict[str, Any] = {}
        if forget is not None:
            case["uncached"] = time_reads(api, document, variables, before=forget, **timing)
        for each in variables:  # each asked once, untimed: every timed request is a repeat
            api.call(document, each)
        case["cached"] = time_reads(api, document, variables, before=None, **timing)
        cases[name] = case
    log("  the checkout, step by step …")
    for name, figures in time_checkouts(api, shop, runs=args.checkouts, gateway=args.gateway).items():
        cases[name] = {"sequential": figures}
    return cases


# One size, in a process of its own (Django is set up once per process, over that size's database)


def database_for(size: int) -> str:
    return f"ocop_storefront_bench_{size}"


def open_shop(size: int, *, seed: int, keep: bool) -> dict[str, Any]:
    """The database for `size` (`database_for`), migrated, Django set up over it and made a shop
    (bench/load.py's prepare_shop); what prepare_shop gives. Also used by bench/throughput.py."""
    from bench.load import prepare_shop

    database = database_for(size)
    log(f"{size:,} products: database {database}: {recreate_database(database, keep=keep)}")
    manage("migrate", "--noinput", "-v", "0", database=database, settings=SETTINGS)
    os.environ.update(
        DATABASE_URL=f"{SERVER_URL}/{database}",
        DJANGO_SETTINGS_MODULE=SETTINGS,
        DJANGO_DEBUG="false",
        REDIS_URL=REDIS_URL,
        OCOP_SYNC_IMAGES="false",
    )
    import django

    django.setup()
    return prepare_shop(products=size, seed=seed, keep=keep, database=database)


def one_size(args: argparse.Namespace) -> dict[str, Any]:
    size, database = args.one_size, database_for(args.one_size)
    result: dict[str, Any] = {"size": size, "load_average_before": os.getloadavg()}
    prepared = open_shop(size, seed=args.seed, keep=args.keep_db)
    from marketplace.catalogue.read_cache import SCOPES, catalogue_version_bump

    result["listed"] = prepared["listed"]
    shop = {
        "channel": "default-channel",
        "slugs": prepared["data"]["slugs"][: args.requests],
        "variants": prepared["data"]["variants"],
    }

    def forget() -> None:  # counts, search results and whole answers (public_answers) alike
        for scope in SCOPES:
            catalogue_version_bump(scope=scope)

    if args.in_process:
        result["cases"] = measure(InProcessApi(), shop, args, forget=forget)
    else:
        with gunicorn(database=database, workers=args.workers) as base:
            result["cases"] = measure(Api(f"{base}/graphql/"), shop, args, forget=forget)
    result["sql"] = sql_counts(shop, gateway=args.gateway)
    result["load_average_after"] = os.getloadavg()
    return result


def sql_counts(shop: dict[str, Any], *, gateway: str) -> dict[str, int]:
    """The SQL statements of each operation, run once in this process (same code, same database)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")

    def run(query: str, variables: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        with CaptureQueriesContext(connection) as queries:
            response = client.post(
                "/graphql/", {"query": query, "variables": variables}, content_type="application/json"
            )
        body = response.json()
        assert response.status_code == 200 and not body.get("errors"), body
        return len(queries), body["data"]

    lang = {"channel": shop["channel"], "lang": LANGUAGE}
    counts = {
        "product list (20)": run(PRODUCT_LIST, {**lang, "first": 20})[0],
        "products(first: 100), every field": run(EVERY_FIELD, {"first": 100})[0],
        "product page": run(PRODUCT_PAGE, {**lang, "slug": shop["slugs"][0]})[0],
        "product page variants": run(PRODUCT_VARIANTS, {**lang, "slug": shop["slugs"][0]})[0],
        "search, 20 queries": run(SEARCH, {**lang, "q": SEARCHES[0]})[0],
    }
    counts["checkoutCreate"], data = run(CREATE, lang)
    checkout = data["checkoutCreate"]["checkout"]["id"]
    counts["checkoutLinesAdd"], _ = run(LINES_ADD, {"id": checkout, "lang": LANGUAGE, "variant": shop["variants"][0]})
    point = run(POINTS, {"id": checkout})[1]["checkout"]["availableCollectionPoints"][0]["id"]
    counts["checkoutDeliveryMethodUpdate"], _ = run(DELIVERY, {"id": checkout, "lang": LANGUAGE, "method": point})
    run(EMAIL, {"id": checkout, "email": "bench-sql@example.test"})
    run(PAY, {"id": checkout, "gateway": {"id": gateway}})
    counts["checkoutComplete"], _ = run(COMPLETE, {"id": checkout})
    return counts


def remote(args: argparse.Namespace) -> dict[str, Any]:
    """Another Saleor-compatible API: its first products' slugs and in-stock variants, then the same timings."""
    api = Api(args.url)
    _, data = api.call(FIRST_PRODUCTS, {"channel": args.channel})
    nodes = [edge["node"] for edge in data["products"]["edges"]]
    variants = [v["node"]["id"] for n in nodes for v in n["productVariants"]["edges"] if v["node"]["quantityAvailable"]]
    shop = {"channel": args.channel, "slugs": [n["slug"] for n in nodes][: args.requests], "variants": variants}
    log(f"{args.url}: {len(shop['slugs'])} slugs, {len(variants)} variants in stock")
    return {"url": args.url, "cases": measure(api, shop, args, forget=None)}


# The report


def report(results: list[dict[str, Any]]) -> None:
    for result in results:
        where = result.get("url") or f"{result['listed']:,} listed products"
        print(f"\n{where}" + (f" (load average {result['load_average_before'][0]:.1f})" if "size" in result else ""))
        print(f"{'operation':<36} {'uncached p50/p95':>18} {'cached p50/p95':>16} {'SQL':>4}")
        for name, case in result["cases"].items():
            cells = [case.get("uncached") or case.get("sequential"), case.get("cached")]
            text = [f"{c['p50_ms']:>7} / {c['p95_ms']:<7}" if c else " " * 17 for c in cells]
            sql = result.get("sql", {}).get(name, "")
            print(f"{name:<36} {text[0]:>18} {text[1]:>16} {sql:>4}")
    sized = [r for r in results if "size" in r]
    if len(sized) > 1:
        print("\nhow p50 grows with the catalogue (uncached, or sequential for the checkout), ms")
        print(f"{'operation':<36} " + " ".join(f"{r['size']:>9,}" for r in sized))
        for name in sized[0]["cases"]:
            figures = [(r["cases"][name].get("uncached") or r["cases"][name]["sequential"])["p50_ms"] for r in sized]
            print(f"{name:<36} " + " ".join(f"{f:>9}" for f in figures))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default=",".join(str(s) for s in SIZES), help="catalogue sizes, comma-separated")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=30, help="timed requests per operation (and checkouts)")
    parser.add_argument("--warmups", type=int, default=3)
    parser.add_argument("--checkouts", type=int, default=20, help="checkouts timed step by step")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--keep-db", action="store_true", help="reuse each size's filled database")
    parser.add_argument("--gateway", default="ocop.payments.cash", help="the payment app that completes a checkout")
    parser.add_argument("--url", help="measure this Saleor-compatible GraphQL URL instead")
    parser.add_argument("--channel", default="default-channel", help="with --url: the channel's slug")
    parser.add_argument("--in-process", action="store_true", help="call the API in-process (django.test.Client)")
    parser.add_argument("--one-size", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    if args.one_size:
        result = one_size(args)
        (OUT_DIR / f"storefront-{args.one_size}.json").write_text(json.dumps(result, indent=2))
        return 0
    if args.url:
        results = [remote(args)]
    else:
        results = []
        for size in (int(s) for s in args.sizes.split(",")):
            command = [sys.executable, __file__, "--one-size", str(size), *_passed_on(args)]
            subprocess.run(command, check=True, cwd=ROOT)
            results.append(json.loads((OUT_DIR / f"storefront-{size}.json").read_text()))
    report(results)
    (OUT_DIR / "storefront-last.json").write_text(json.dumps(results, indent=2))
    return 0


def _passed_on(args: argparse.Namespace) -> list[str]:
    options = ["--seed", str(args.seed), "--requests", str(args.requests), "--warmups", str(args.warmups)]
    options += ["--checkouts", str(args.checkouts), "--workers", str(args.workers), "--gateway", args.gateway]
    return options + (["--keep-db"] if args.keep_db else []) + (["--in-process"] if args.in_process else [])


if __name__ == "__main__":
    sys.exit(main())
