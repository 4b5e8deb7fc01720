"""What abusive and malformed requests cost `/graphql/`: time, answer size, status, errors logged.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ocop_h2 .venv/bin/python bench/graphql_abuse.py [--products 100]

Creates a throwaway database (Django's test database of DATABASE_URL, `test_<name>`, dropped at the end), lists
`--products` products (a certificate, a variant and stock each), then sends each request below through Django's
whole stack (middleware, the view, the executor) in this process, after three warm-up requests, and prints one
line per request: the HTTP status, the wall time (best of `--repeat`), the answer's size, the number of records
logged at ERROR or with a traceback, and the first error's message. Nothing else runs meanwhile; the figures are
one worker's.

With `--storefront DIR` (a checkout of saleor/storefront, see docs/saleor-storefront.md) it prints instead each
of the storefront's operations against the limits: valid, its cost at the page size the storefront sends and at
twice that, its aliases and length.

Run it from another checkout (e.g. `git archive <commit> | tar -x -C DIR`, then `python DIR/bench/graphql_abuse.py`)
to measure that commit: the script only sends requests, and runs against whichever code sits beside it.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

PRODUCT_CARD = """products(first: 20) { edges { node { id name slug description seoTitle created
  pricing { priceRange { start { gross { amount currency } } stop { gross { amount currency } } } }
  category { id name slug } thumbnail { url alt } variants { id name sku } } } }"""

STOREFRONT_LIST = """query ProductList($first: Int = 12) { products(first: $first) {
  edges { node { id name slug created
    pricing { priceRange { start { gross { amount currency } } stop { gross { amount currency } } }
      priceRangeUndiscounted { start { gross { amount currency } } stop { gross { amount currency } } } }
    category { id name slug backgroundImage { url alt } } thumbnail(size: 1024, format: WEBP) { url alt }
    productVariants(first: 50) { totalCount edges { node { id attributes { attribute { slug name } } } } } }
    cursor }
  pageInfo { hasNextPage endCursor } totalCount } }"""

WIDE_PAGE = """query($first: Int) { products(first: $first) { edges { node { id name slug description seoTitle
  seoDescription created updatedAt isAvailableForPurchase availableForPurchaseAt
  pricing { onSale priceRange { start { gross { amount currency } net { amount } } stop { gross { amount } } }
    priceRangeUndiscounted { start { gross { amount } } stop { gross { amount } } } }
  category { id name slug description parent { id name slug } }
  thumbnail { url alt } media { url alt } variants { id name sku quantityAvailable
    pricing { price { gross { amount currency } } } } } } } }"""


def _body(query: str, variables: dict | None = None) -> bytes:
    return json.dumps({"query": query, "variables": variables or {}}).encode()


def requests() -> list[tuple[str, bytes, str]]:
    """(what, body, content type) of each request measured."""
    return [
        ("storefront product list (12 a page)", _body(STOREFRONT_LIST), "application/json"),
        ("product page of 100, 40 fields each", _body(WIDE_PAGE, {"first": 100}), "application/json"),
        (
            "5 pages of 100 in one document (cost 28,000)",
            _body(
                "query($first: Int) { "
                + " ".join(f"p{i}: {WIDE_PAGE[WIDE_PAGE.index('products') : -1]}" for i in range(5))
                + " }",
                {"first": 100},
            ),
            "application/json",
        ),
        (
            "8 pages of 100 in one document (cost 44,800)",
            _body(
                "query($first: Int) { "
                + " ".join(f"p{i}: {WIDE_PAGE[WIDE_PAGE.index('products') : -1]}" for i in range(8))
                + " }",
                {"first": 100},
            ),
            "application/json",
        ),
        (
            "30 aliases of a 20-product page",
            _body("{ " + " ".join(f"p{i}: {PRODUCT_CARD}" for i in range(30)) + " }"),
            "application/json",
        ),
        (
            "50 aliases of a 20-product page",
            _body("{ " + " ".join(f"p{i}: {PRODUCT_CARD}" for i in range(50)) + " }"),
            "application/json",
        ),
        (
            "500 aliases of a 20-product page",
            _body("{ " + " ".join(f"p{i}: {PRODUCT_CARD}" for i in range(500)) + " }"),
            "application/json",
        ),
        (
            "categories x products x variants, 100 each",
            _body(
                "query($n: Int) { categories(first: $n) { edges { node { products(first: $n) { edges { node {"
                " id name variants { id name sku } } } } } } } }",
                {"n": 100},
            ),
            "application/json",
        ),
        ("batch of 200 operations", json.dumps([{"query": "{ shop { name } }"}] * 200).encode(), "application/json"),
        (
            "batch of 5 product pages of 100",
            json.dumps([{"query": WIDE_PAGE, "variables": {"first": 100}}] * 5).encode(),
            "application/json",
        ),
        (
            "batch of 10 product pages of 100",
            json.dumps([{"query": WIDE_PAGE, "variables": {"first": 100}}] * 10).encode(),
            "application/json",
        ),
        ("body that is not JSON", b"{not json", "application/json"),
        ("empty body", b"", "application/json"),
        ('checkout(token: "not-a-uuid")', _body('{ checkout(token: "not-a-uuid") { id } }'), "application/json"),
        (
            "variables that are a list",
            json.dumps({"query": "{ shop { name } }", "variables": [1]}).encode(),
            "application/json",
        ),
        ("query that is a number", json.dumps({"query": 5}).encode(), "application/json"),
        ("JSON nested 100,000 deep", b"[" * 100_000 + b"]" * 100_000, "application/json"),
        (
            "a NUL in a search",
            _body("query($s: String) { products(first: 1, search: $s) { totalCount } }", {"s": "a\x00b"}),
            "application/json",
        ),
    ]


def _first_error(response: object) -> str:
    """The first error's message, cut to 60 characters ("" when none, or when the answer is not JSON)."""
    try:
        answer = json.loads(response.content)  # type: ignore[attr-defined]
    except ValueError:
        return "(not JSON)"
    if isinstance(answer, list):
        answer = next((item for item in answer if isinstance(item, dict) and item.get("errors")), {})
    errors = answer.get("errors") if isinstance(answer, dict) else None
    return errors[0]["message"][:60] if errors else ""


class Counter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.ERROR or record.exc_info:
            self.count += 1


def seed(products: int) -> None:
    from marketplace.catalogue.services import products_refresh_listing
    from marketplace.channel.services import channel_ensure_default
    from tests.factories import make_certification, make_outlet, make_product, make_stock, make_variant

    channel = channel_ensure_default()
    outlet = make_outlet()
    outlet.channels.add(channel)
    ids = []
    for _ in range(products):
        product = make_product(description="Sản phẩm OCOP " * 20)
        make_certification(product)
        make_stock(make_variant(product), outlet)
        ids.append(product.pk)
    products_refresh_listing(product_ids=ids, trigger="staff")


# The page sizes Saleor's storefront sends (src/app/config.ts ProductsPerPage, src/config/variants.ts, the orders
# page), by operation; 12 for the others.
STOREFRONT_PAGE_SIZES = {"ProductVariantsForPdp": 100, "CategoriesBySlug": 20, "CurrentUserOrdersPaginated": 10}


def storefront(directory: Path) -> int:
    """Each operation of Saleor's storefront against the limits: valid or not, its cost at the page size the
    storefront sends and at twice that, its depth and aliases. No database needed."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from graphql import FieldNode, FragmentDefinitionNode, OperationDefinitionNode, parse, print_ast, validate, visit
    from graphql.language import Visitor
    from saleor_storefront_check import document_for, extract  # type: ignore[import-not-found]

    from storefront_api.core import limits
    from storefront_api.core.views import StorefrontGraphQLView
    from storefront_api.schema import schema

    operations, fragments = extract(directory)
    rows = []
    for operation in operations:
        document = parse(print_ast(document_for(operation, fragments)), max_tokens=limits.MAX_QUERY_TOKENS)
        errors = validate(schema.graphql_schema, document, StorefrontGraphQLView.validation_rules)
        node = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
        used = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        size = STOREFRONT_PAGE_SIZES.get(operation.name, 12)
        costs = []
        for page in (size, 2 * size):
            variables = {v.variable.name.value: page for v in node.variable_definitions}
            costs.append(limits.query_cost(schema.graphql_schema, node, used, variables))
        aliases = 0

        class Aliases(Visitor):
            def enter_field(self, field: FieldNode, *_: object) -> None:
                nonlocal aliases
                aliases += field.alias is not None

        visit(document, Aliases())
        paged = any(v.variable.name.value in ("first", "last") for v in node.variable_definitions)
        page_size = str(size) if paged else "-"
        rows.append((costs[0], costs[1], operation.name, page_size, aliases, len(print_ast(document)), errors))
    rows.sort(key=lambda row: row[0], reverse=True)
    print(f"{'operation':36} {'page':>5} {'cost':>7} {'cost x2':>8} {'aliases':>8} {'chars':>6}  valid")
    for cost, doubled, name, size, aliases, chars, errors in rows:
        print(f"{name:36} {size:>5} {cost:>7,} {doubled:>8,} {aliases:>8} {chars:>6}  {not errors}")
    invalid = sum(1 for row in rows if row[-1])
    over = sum(1 for row in rows if row[0] > limits.MAX_QUERY_COST)
    print(
        f"# {len(rows)} operations: {invalid} refused by validation, {over} over the cost limit of "
        f"{limits.MAX_QUERY_COST:,} at the storefront's page sizes"
    )
    return 1 if invalid or over else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs of each request")
    parser.add_argument(
        "--storefront", type=Path, help="instead: Saleor's storefront's operations (its checkout) against the limits"
    )
    arguments = parser.parse_args()

    import django

    django.setup()
    if arguments.storefront:
        return storefront(arguments.storefront)
    from django.conf import settings
    from django.test import Client
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases, teardown_test_environment

    setup_test_environment()
    settings.DEBUG = False
    old_config = setup_databases(verbosity=0, interactive=False)
    counter = Counter()
    logging.getLogger().addHandler(counter)
    for name in ("django", "django.request", "storefront_api"):
        logging.getLogger(name).addHandler(counter)
    try:
        seed(arguments.products)
        client = Client(raise_request_exception=False)  # a 500 is a figure, not the end of the run
        for _ in range(3):  # warm up: imports, the schema, the first connection
            client.post("/graphql/", _body(STOREFRONT_LIST), content_type="application/json")
        print(f"# {arguments.products} listed products; best of {arguments.repeat}; code at {ROOT}")
        print(f"{'request':48} {'status':>6} {'seconds':>8} {'bytes':>10} {'errors logged':>14}  first error")
        for what, body, content_type in requests():
            best = None
            for _ in range(arguments.repeat):
                counter.count = 0
                started = time.perf_counter()
                response = client.generic("POST", "/graphql/", body, content_type=content_type)
                elapsed = time.perf_counter() - started
                if best is None or elapsed < best[0]:
                    best = (elapsed, response.status_code, len(response.content), counter.count, _first_error(response))
            assert best is not None
            elapsed, status, size, logged, error = best
            print(f"{what:48} {status:>6} {elapsed:>8.3f} {size:>10,} {logged:>14}  {error}", flush=True)
    finally:
        teardown_databases(old_config, verbosity=0)
        teardown_test_environment()
    return 0


if __name__ == "__main__":
    sys.exit(main())
