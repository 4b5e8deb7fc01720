#!/usr/bin/env python3
"""Check Saleor's storefront (saleor/storefront, fetched outside this repository) against our API.

    .venv/bin/python scripts/saleor_storefront_check.py STOREFRONT_DIR [--api URL] [--schema FILE]
        [--saleor-schema FILE] [--user EMAIL:PASSWORD]

1. Extracts every GraphQL operation and fragment the storefront sends: the `.graphql` files under
   `src/graphql` and `src/checkout/graphql`, and the documents written inline in its `.ts`/`.tsx` files.
2. Validates each operation (with the fragments it uses) against our schema: the checked-in
   `storefront_api/schema.graphql`, or the one a running API answers by introspection with `--api`.
3. With `--api` (e.g. http://127.0.0.1:8000/graphql/, a running `make run`), runs every read operation
   with variables taken from the demo data: signed in (`--user`, by default the demo's outlet staff account,
   the seed having no consumer) where it needs a user.
4. With `--saleor-schema` (Saleor's own `saleor/graphql/schema.graphql`), lists every field, argument, input
   field and enum value the storefront's operations reach whose type differs from Saleor's. The storefront's
   code generator types its TypeScript from our schema, so a field that is nullable here but not in Saleor,
   or an input field or enum value Saleor has and we lack, can break its `next build` even when every
   operation validates.

Prints one line per operation and the totals, `N of M valid, K of L answered without errors`.
Exits non-zero when an operation is invalid or a read operation answers with errors.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphql import (
    ArgumentNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLNamedType,
    GraphQLSchema,
    GraphQLSyntaxError,
    NonNullTypeNode,
    OperationDefinitionNode,
    TypeInfo,
    TypeInfoVisitor,
    VariableDefinitionNode,
    build_client_schema,
    build_schema,
    get_introspection_query,
    get_named_type,
    parse,
    print_ast,
    type_from_ast,
    validate,
    visit,
)
from graphql.language import Visitor

ROOT = Path(__file__).resolve().parent.parent
GRAPHQL_DIRS = ("src/graphql", "src/checkout/graphql")
# Written by the storefront's code generators from the documents above: not documents of its own.
GENERATED = ("/gql/", "/generated/")
# A template literal whose text starts with a GraphQL definition.
INLINE = re.compile(r"`(\s*(?:query|mutation|fragment)\s+[A-Za-z_][^`]*)`", re.S)

# The demo shopper (marketplace/demo/seed.py, DEMO_ACCOUNTS) signs in: it placed a demo order, so `order(id)` reads.
DEMO_USER = "khach@khach.ocop.example:ocop-khach-2026"


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
            if any(part in str(path) for part in GENERATED):
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
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            result: dict[str, Any] = json.load(response)
    except urllib.error.HTTPError as error:  # a GraphQL error answer (400) still carries its errors
        try:
            result = json.load(error)
        except ValueError:
            result = {"errors": [{"message": f"HTTP {error.code}: {error.reason}"}]}
    return result


def load_schema(api: str | None, schema_file: Path) -> GraphQLSchema:
    if api:
        # Deprecated arguments too (Saleor's checkoutId, token...): the storefront still sends some of them.
        answer = _post(api, get_introspection_query(input_value_deprecation=True), {})
        return build_client_schema(answer["data"])
    return build_schema(schema_file.read_text())


class DemoVariables:
    """Variables for read operations, looked up in the running demo. Whatever the API cannot answer yet stays
    None, and the operations that need it answer with an error of their own."""

    def __init__(self, api: str, user: str) -> None:
        self.api = api
        self.channel = "default-channel"
        self.product_id = self.product_slug = self.variant_id = self.sku = None
        self.category_slug = self.collection_slug = self.checkout_id = self.order_id = None
        self.page_slugs: list[str] = []
        data = self._query(
            """query DemoData($channel: String!) {
                products(channel: $channel, first: 1, search: "mật ong") {
                    edges { node { id slug variants { id sku } category { slug } } }
                }
                collections(channel: $channel, first: 1) { edges { node { slug } } }
            }""",
            {"channel": self.channel},
        )
        edges = ((data.get("products") or {}).get("edges")) or []
        if edges:
            product = edges[0]["node"]
            self.product_id, self.product_slug = product["id"], product["slug"]
            self.variant_id, self.sku = product["variants"][0]["id"], product["variants"][0]["sku"]
            self.category_slug = (product.get("category") or {}).get("slug")
        collections = ((data.get("collections") or {}).get("edges")) or []
        self.collection_slug = collections[0]["node"]["slug"] if collections else None
        pages = self._query("{ pages(first: 20) { edges { node { slug } } } }", {}).get("pages") or {}
        self.page_slugs = [edge["node"]["slug"] for edge in pages.get("edges") or []]
        self.token = self._sign_in(user)
        self.checkout_id = self._checkout()
        self.order_id = self._order()

    def _query(self, query: str, variables: dict[str, Any], token: str | None = None) -> dict[str, Any]:
        data: dict[str, Any] = _post(self.api, query, variables, token).get("data") or {}
        return data

    def _sign_in(self, user: str) -> str | None:
        email, _, password = user.partition(":")
        answer = self._query(
            "mutation($email: String!, $password: String!) {"
            " tokenCreate(email: $email, password: $password) { token errors { code } } }",
            {"email": email, "password": password},
        )
        token: str | None = (answer.get("tokenCreate") or {}).get("token")
        if token is None:
            print(f"note: {email} could not sign in: {answer}", file=sys.stderr)
        return token

    def _checkout(self) -> str | None:
        if self.variant_id is None:
            return None
        answer = self._query(
            """mutation($channel: String!, $variant: ID!) {
                checkoutCreate(input: {channel: $channel, lines: [{variantId: $variant, quantity: 1}]}) {
                    checkout { id } errors { code }
                }
            }""",
            {"channel": self.channel, "variant": self.variant_id},
        )
        checkout_id: str | None = ((answer.get("checkoutCreate") or {}).get("checkout") or {}).get("id")
        return checkout_id

    def _order(self) -> str | None:
        """An order of the signed-in user, else none (the storefront reads orders only by id or as `me`)."""
        if self.token is None:
            return None
        me = self._query("{ me { orders(first: 1) { edges { node { id } } } } }", {}, self.token).get("me") or {}
        edges = (me.get("orders") or {}).get("edges") or []
        order_id: str | None = edges[0]["node"]["id"] if edges else None
        return order_id

    def for_operation(self, operation: Operation) -> dict[str, Any]:
        name = operation.name.lower()
        values: dict[str, Any] = {}
        for definition in operation.node.variable_definitions or ():
            variable = definition.variable.name.value
            value = self._value(name, variable)
            if value is not None:
                values[variable] = value
        if "id" in values and "sku" in values:  # productVariant takes exactly one of them
            del values["sku"]
        return values

    @staticmethod
    def missing(operation: Operation, values: dict[str, Any]) -> list[str]:
        """Required variables the demo has no value for."""
        return [
            definition.variable.name.value
            for definition in operation.node.variable_definitions or ()
            if isinstance(definition.type, NonNullTypeNode)
            and definition.default_value is None
            and definition.variable.name.value not in values
        ]

    def _value(self, operation: str, variable: str) -> Any:
        values: dict[str, Any] = {
            "channel": self.channel,
            "first": 10,
            "languageCode": "EN",
            "locale": "EN",
            "search": "mật ong",
            # The search page's default, "relevance" (lib/search/saleor-provider.ts): RATING, best first.
            "sortBy": "RATING" if operation == "searchproducts" else None,
            "sortDirection": "DESC",
            "countryCode": "VN",
            "sku": self.sku,
            "productId": self.product_id,
            "variantId": self.variant_id,
        }
        if variable == "slugLanguageCode":
            return None  # the storefront sends it only on non-default locales
        if variable == "slug":
            return self._slug(operation)
        if variable == "slugs":
            if "categor" in operation:
                return [self.category_slug]
            return self.page_slugs or ["about"]
        if variable == "id":
            return self._id(operation)
        return values.get(variable)

    def _slug(self, operation: str) -> str | None:
        if "categor" in operation:
            return self.category_slug
        if "collection" in operation:
            return self.collection_slug
        if "menu" in operation:
            return "navbar"
        if operation == "channel":
            return self.channel
        if "page" in operation and "product" not in operation:
            return self.page_slugs[0] if self.page_slugs else "about"
        return self.product_slug

    def _id(self, operation: str) -> str | None:
        if "checkout" in operation:
            return self.checkout_id
        if operation == "order":
            return self.order_id
        if "variant" in operation:
            return self.variant_id
        return self.product_id


def _signed_in(operation: Operation) -> bool:
    """Operations the storefront sends with the buyer's token."""
    name = operation.name.lower()
    return any(word in name for word in ("user", "order", "me", "account"))


# --- differences from Saleor's schema -------------------------------------------------------------------------


def _input_differences(ours: GraphQLSchema, saleor: GraphQLSchema, name: str, seen: set[str]) -> list[str]:
    """Fields of an input type (and of the input and enum types it holds) that differ from Saleor's."""
    if name in seen:
        return []
    seen.add(name)
    our_type, saleor_type = ours.get_type(name), saleor.get_type(name)
    if saleor_type is None or our_type is None:
        return []
    if isinstance(our_type, GraphQLEnumType) and isinstance(saleor_type, GraphQLEnumType):
        missing = sorted(set(saleor_type.values) - set(our_type.values))
        return [f"enum {name}: lacks {', '.join(missing)}"] if missing else []
    if not isinstance(our_type, GraphQLInputObjectType) or not isinstance(saleor_type, GraphQLInputObjectType):
        return []
    found: list[str] = []
    for field_name, saleor_field in saleor_type.fields.items():
        our_field = our_type.fields.get(field_name)
        if our_field is None:
            found.append(f"input {name}.{field_name}: missing (Saleor: {saleor_field.type})")
            continue
        if str(our_field.type) != str(saleor_field.type):
            found.append(f"input {name}.{field_name}: {our_field.type} (Saleor: {saleor_field.type})")
        found += _input_differences(ours, saleor, get_named_type(our_field.type).name, seen)
    return found


def saleor_differences(
    operations: list[Operation],
    fragments: dict[str, FragmentDefinitionNode],
    ours: GraphQLSchema,
    saleor: GraphQLSchema,
) -> list[str]:
    """Every difference from Saleor in what the storefront's operations reach; `!` marks what can break its
    TypeScript: a selected field nullable here and non-null in Saleor, a type or enum value we lack."""
    found: set[str] = set()
    seen_inputs: set[str] = set()
    type_info = TypeInfo(ours)

    def saleor_field(parent: GraphQLNamedType | None, name: str) -> Any:
        saleor_parent = saleor.get_type(parent.name) if parent is not None else None
        return getattr(saleor_parent, "fields", {}).get(name)

    class Differences(Visitor):
        def enter_field(self, node: FieldNode, *_: Any) -> None:
            parent, ours_field = type_info.get_parent_type(), type_info.get_field_def()
            name = node.name.value
            if parent is None or ours_field is None or name.startswith("__"):
                return
            theirs = saleor_field(parent, name)
            where = f"{parent.name}.{name}"
            if theirs is None:
                found.add(f"  field {where}: not in Saleor's schema (ours: {ours_field.type})")
                return
            if str(ours_field.type) != str(theirs.type):
                breaking = str(theirs.type).endswith("!") and not str(ours_field.type).endswith("!")
                found.add(f"{'!' if breaking else ' '} field {where}: {ours_field.type} (Saleor: {theirs.type})")
            named = get_named_type(ours_field.type)
            if isinstance(named, GraphQLEnumType):
                saleor_enum = saleor.get_type(named.name)
                if isinstance(saleor_enum, GraphQLEnumType):
                    missing = sorted(set(saleor_enum.values) - set(named.values))
                    if missing:
                        found.add(f"! enum {named.name}: lacks {', '.join(missing)}")

        def enter_argument(self, node: ArgumentNode, *_: Any) -> None:
            parent, ours_field, argument = (
                type_info.get_parent_type(),
                type_info.get_field_def(),
                type_info.get_argument(),
            )
            if parent is None or ours_field is None or argument is None:
                return
            theirs = saleor_field(parent, ours_field.ast_node.name.value if ours_field.ast_node else "")
            theirs_argument = theirs.args.get(node.name.value) if theirs is not None else None
            if theirs_argument is not None and str(theirs_argument.type) != str(argument.type):
                where = f"{parent.name}.{ours_field.ast_node.name.value if ours_field.ast_node else '?'}"
                found.add(f"  argument {where}({node.name.value}): {argument.type} (Saleor: {theirs_argument.type})")

        def enter_variable_definition(self, node: VariableDefinitionNode, *_: Any) -> None:
            variable_type = type_from_ast(ours, node.type)
            if variable_type is not None:
                for line in _input_differences(ours, saleor, get_named_type(variable_type).name, seen_inputs):
                    found.add(f"! {line}")

    for operation in operations:
        document = document_for(operation, fragments)
        if validate(ours, document):
            continue  # the invalid ones are listed already
        visit(document, TypeInfoVisitor(type_info, Differences()))
    return sorted(found, key=lambda line: line[2:])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("storefront", type=Path, help="a checkout of saleor/storefront")
    parser.add_argument("--api", help="a running API to introspect and to run read operations against")
    parser.add_argument("--schema", type=Path, default=ROOT / "storefront_api" / "schema.graphql")
    parser.add_argument("--saleor-schema", type=Path, help="Saleor's schema.graphql, to list where ours differs")
    parser.add_argument("--user", default=DEMO_USER, help="EMAIL:PASSWORD of the account that signs in")
    parser.add_argument("--verbose", action="store_true", help="print the variables and answers of failing reads")
    args = parser.parse_args()

    operations, fragments = extract(args.storefront)
    schema = load_schema(args.api, args.schema)
    demo = DemoVariables(args.api, args.user) if args.api else None

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
        token = demo.token if _signed_in(operation) else None
        variables = demo.for_operation(operation)
        missing = demo.missing(operation, variables)
        if missing:
            print(f"NO DATA  {line}")
            print(f"           the demo gave no value for ${', $'.join(missing)}")
            continue
        answer = _post(args.api, print_ast(document), variables, token)
        if answer.get("errors"):
            print(f"ERRORS   {line}")
            for error in answer["errors"][:3]:
                print(f"           {error.get('message')} (at {'.'.join(map(str, error.get('path') or []))})")
            if args.verbose:
                print(f"           variables: {json.dumps(variables, ensure_ascii=False)}")
        else:
            answered += 1
            print(f"answered {line}")

    if args.saleor_schema:
        saleor = build_schema(args.saleor_schema.read_text())
        differences = saleor_differences(operations, fragments, schema, saleor)
        print(f"Where what the storefront reaches differs from Saleor ({len(differences)}; ! can break its build):")
        for difference in differences:
            print(f"  {difference}")

    total = len(operations)
    summary = f"{valid} of {total} valid"
    if demo is not None:
        summary += f", {answered} of {reads} answered without errors"
    print(summary)
    return 0 if valid == total and answered == reads else 1


if __name__ == "__main__":
    sys.exit(main())
