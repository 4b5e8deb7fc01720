#!/usr/bin/env python3
"""Check Saleor's storefront (saleor/storefront, fetched outside this repository) against our API.

    .venv/bin/python scripts/saleor_storefront_check.py STOREFRONT_DIR [--api URL] [--schema FILE]

1. Extracts every GraphQL operation and fragment the storefront sends: the `.graphql` files under
   `src/graphql` and `src/checkout/graphql`, and the documents written inline in its `.ts`/`.tsx` files.
2. Validates each operation (with the fragments it uses) against our schema: the checked-in
   `storefront_api/schema.graphql`, or the one a running API answers by introspection with `--api`.
3. With `--api` (e.g. http://127.0.0.1:8000/graphql/, a running `make run`), runs every read operation
   with variables taken from the demo data: signed in as the demo consumer where it needs a user.

Prints one line per operation and the totals, `N of M valid, K of L answered without errors`.
Exits non-zero when an operation is invalid or a read operation answers with errors.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLSchema,
    GraphQLSyntaxError,
    OperationDefinitionNode,
    build_client_schema,
    build_schema,
    get_introspection_query,
    parse,
    print_ast,
    validate,
    visit,
)
from graphql.language import Visitor

ROOT = Path(__file__).resolve().parent.parent
GRAPHQL_DIRS = ("src/graphql", "src/checkout/graphql")
# A template literal whose text starts with a GraphQL definition.
INLINE = re.compile(r"`(\s*(?:query|mutation|fragment)\s+[A-Za-z_][^`]*)`", re.S)

DEMO_CONSUMER = ("khach@example.com", "demo-password")


@dataclass
class Operation:
    name: str
    kind: str  # query | mutation | subscription
    source: str  # path relative to the storefront
    node: OperationDefinitionNode


def _documents(storefront: Path) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for directory in GRAPHQL_DIRS:
        for path in sorted((storefront / directory).rglob("*.graphql")):
            found.append((str(path.relative_to(storefront)), path.read_text()))
    for pattern in ("*.ts", "*.tsx"):
        for path in sorted((storefront / "src").rglob(pattern)):
            if "/gql/" in str(path):  # generated from the .graphql files above
                continue
            for match in INLINE.finditer(path.read_text()):
                found.append((str(path.relative_to(storefront)), match.group(1)))
    return found


def extract(storefront: Path) -> tuple[list[Operation], dict[str, FragmentDefinitionNode]]:
    operations: list[Operation] = []
    fragments: dict[str, FragmentDefinitionNode] = {}
    for source, text in _documents(storefront):
        try:
            document = parse(text)
        except GraphQLSyntaxError:  # an example in a comment, e.g. `mutation Register(...) { ... }`
            continue
        for definition in document.definitions:
            if isinstance(definition, FragmentDefinitionNode):
                fragments[definition.name.value] = definition
            elif isinstance(definition, OperationDefinitionNode):
                name = definition.name.value if definition.name else "(anonymous)"
                operations.append(Operation(name, definition.operation.value, source, definition))
    return operations, fragments


def _spreads(node: Any) -> set[str]:
    names: set[str] = set()

    class Spreads(Visitor):
        def enter_fragment_spread(self, spread: FragmentSpreadNode, *_: Any) -> None:
            names.add(spread.name.value)

    visit(node, Spreads())
    return names


def document_for(operation: Operation, fragments: dict[str, FragmentDefinitionNode]) -> DocumentNode:
    """The operation with every fragment it uses, transitively."""
    needed: dict[str, FragmentDefinitionNode] = {}
    pending = _spreads(operation.node)
    while pending:
        name = pending.pop()
        if name in needed or name not in fragments:
            continue
        needed[name] = fragments[name]
        pending |= _spreads(fragments[name])
    return DocumentNode(definitions=(operation.node, *needed.values()))


def _post(api: str, query: str, variables: dict[str, Any], token: str | None = None) -> dict[str, Any]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(api, json.dumps({"query": query, "variables": variables}).encode(), headers)
    with urllib.request.urlopen(request, timeout=60) as response:
        result: dict[str, Any] = json.load(response)
        return result


def load_schema(api: str | None, schema_file: Path) -> GraphQLSchema:
    if api:
        answer = _post(api, get_introspection_query(), {})
        return build_client_schema(answer["data"])
    return build_schema(schema_file.read_text())


class DemoVariables:
    """Variables for read operations, looked up in the running demo."""

    def __init__(self, api: str) -> None:
        self.api = api
        self.channel = "default-channel"
        data = _post(
            api,
            """query DemoData($channel: String!) {
                products(channel: $channel, first: 1, search: "mật ong") {
                    edges { node { id slug variants { id } category { slug } } }
                }
                collections(channel: $channel, first: 1) { edges { node { slug } } }
                pages(first: 1) { edges { node { slug } } }
            }""",
            {"channel": self.channel},
        )["data"]
        product = data["products"]["edges"][0]["node"]
        self.product_id = product["id"]
        self.product_slug = product["slug"]
        self.variant_id = product["variants"][0]["id"]
        self.category_slug = product["category"]["slug"]
        self.collection_slug = data["collections"]["edges"][0]["node"]["slug"]
        pages = data["pages"]["edges"]
        self.page_slug = pages[0]["node"]["slug"] if pages else "about"
        self.token = self._sign_in()
        self.checkout_id, self.order_number = self._checkout_and_order()

    def _sign_in(self) -> str | None:
        email, password = DEMO_CONSUMER
        answer = _post(
            self.api,
            "mutation($email: String!, $password: String!) {"
            " tokenCreate(email: $email, password: $password) { token errors { code } } }",
            {"email": email, "password": password},
        )
        token: str | None = (answer.get("data") or {}).get("tokenCreate", {}).get("token")
        return token

    def _checkout_and_order(self) -> tuple[str | None, str | None]:
        answer = _post(
            self.api,
            """mutation($channel: String!, $variant: ID!) {
                checkoutCreate(input: {channel: $channel, lines: [{variantId: $variant, quantity: 1}]}) {
                    checkout { id } errors { code }
                }
            }""",
            {"channel": self.channel, "variant": self.variant_id},
        )
        checkout = ((answer.get("data") or {}).get("checkoutCreate") or {}).get("checkout") or {}
        order_number = None
        if self.token:
            orders = _post(self.api, "{ me { orders(first: 1) { edges { node { number } } } } }", {}, self.token)
            edges = (((orders.get("data") or {}).get("me") or {}).get("orders") or {}).get("edges") or []
            order_number = edges[0]["node"]["number"] if edges else None
        return checkout.get("id"), order_number

    def for_operation(self, operation: Operation) -> dict[str, Any]:
        name = operation.name.lower()
        values: dict[str, Any] = {}
        for definition in operation.node.variable_definitions or ():
            variable = definition.variable.name.value
            value = self._value(name, variable)
            if value is not None:
                values[variable] = value
        return values

    def _value(self, operation: str, variable: str) -> Any:
        if variable == "channel":
            return self.channel
        if variable in ("first", "last"):
            return 10
        if variable in ("locale", "languageCode"):
            return "EN"
        if variable == "search":
            return "mật ong"
        if variable in ("slug", "slugs"):
            slug = self._slug(operation)
            return [slug] if variable == "slugs" else slug
        if variable == "id":
            return self._id(operation)
        if variable in ("checkoutId", "checkout"):
            return self.checkout_id
        if variable == "number":
            return self.order_number
        if variable == "productId":
            return self.product_id
        if variable in ("variantId", "variant"):
            return self.variant_id
        if variable in ("countryCode", "country"):
            return "VN"
        return None

    def _slug(self, operation: str) -> str:
        if "category" in operation or "categories" in operation:
            return self.category_slug
        if "collection" in operation:
            return self.collection_slug
        if "page" in operation and "product" not in operation:
            return self.page_slug
        if "menu" in operation:
            return "navbar"
        return self.product_slug

    def _id(self, operation: str) -> str | None:
        if "checkout" in operation:
            return self.checkout_id
        if "variant" in operation:
            return self.variant_id
        return self.product_id


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("storefront", type=Path, help="a checkout of saleor/storefront")
    parser.add_argument("--api", help="a running API to introspect and to run read operations against")
    parser.add_argument("--schema", type=Path, default=ROOT / "storefront_api" / "schema.graphql")
    parser.add_argument("--menu-slug", default="navbar", help="the menu the storefront asks for")
    args = parser.parse_args()

    operations, fragments = extract(args.storefront)
    schema = load_schema(args.api, args.schema)
    demo = DemoVariables(args.api) if args.api else None

    valid = answered = reads = 0
    for operation in operations:
        document = document_for(operation, fragments)
        errors = validate(schema, document)
        line = f"{operation.kind:8} {operation.name:40} {operation.source}"
        if errors:
            print(f"INVALID  {line}")
            for error in errors[:5]:
                print(f"           {error.message}")
            continue
        valid += 1
        if demo is None or operation.kind != "query":
            print(f"valid    {line}")
            continue
        reads += 1
        token = demo.token if ("user" in operation.name.lower() or "order" in operation.name.lower()) else None
        answer = _post(args.api, print_ast(document), demo.for_operation(operation), token)
        if answer.get("errors"):
            print(f"ERRORS   {line}")
            for error in answer["errors"][:3]:
                print(f"           {error.get('message')}")
        else:
            answered += 1
            print(f"answered {line}")

    total = len(operations)
    summary = f"{valid} of {total} valid"
    if demo is not None:
        summary += f", {answered} of {reads} answered without errors"
    print(summary)
    return 0 if valid == total and answered == reads else 1


if __name__ == "__main__":
    sys.exit(main())
