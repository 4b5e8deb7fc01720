"""The `/graphql/` endpoint against malformed and abusive requests: each is a clean 400 (or 413) with errors
that say why, as Saleor answers them (`extensions.exception.code`), never a 500, never a traceback in the log,
and never executed."""

from __future__ import annotations

import json
import logging

import pytest
from django.test import Client
from graphql import get_named_type

from storefront_api.core import limits
from storefront_api.schema import schema
from tests.factories import listed_product, make_certification, make_product, make_variant
from tests.storefront_api.fixtures import channel  # noqa: F401  (the default channel)

SHOP = "{ shop { name } }"


@pytest.fixture
def post(db, channel, caplog):  # noqa: F811
    """POST a raw body to /graphql/; returns (status, decoded JSON). No error may be logged meanwhile."""
    client = Client()
    caplog.set_level(logging.INFO)

    def send(body: bytes | str, content_type: str = "application/json") -> tuple[int, object]:
        response = client.generic("POST", "/graphql/", body, content_type=content_type)
        assert response["Content-Type"] == "application/json"
        return response.status_code, response.json()

    yield send
    logged = [record for record in caplog.records if record.levelno >= logging.ERROR or record.exc_info]
    assert not logged, [record.getMessage() for record in logged]


def operation(query: str, variables: dict | None = None, **extra: object) -> str:
    return json.dumps({"query": query, "variables": variables, **extra})


def refused(answer: object, message: str, code: str = "GraphQLError") -> None:
    assert isinstance(answer, dict) and "data" not in answer, answer
    assert any(message in error["message"] for error in answer["errors"]), answer
    assert all(error["extensions"]["exception"]["code"] == code for error in answer["errors"]), answer
    assert all(error["message"] != "Internal Server Error" for error in answer["errors"]), answer


# --- bodies that are not one operation ---


@pytest.mark.parametrize(
    ("body", "content_type", "message"),
    [
        (b"{not json", "application/json", "not valid JSON"),
        (b"", "application/json", ""),
        (b"\xff\xfe{", "application/json", "not valid JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "application/json", "not valid JSON"),
        (b'"{ shop { name } }"', "application/json", "must be a JSON object"),
        (b"null", "application/json", "must be a JSON object"),
        (b"[]", "application/json", "no operation"),
        (json.dumps({"query": 5}).encode(), "application/json", "Must provide a query string"),
        (json.dumps({"variables": {}}).encode(), "application/json", "Must provide a query string"),
        (SHOP.encode(), "text/plain", "Must provide a query string"),
        (operation(SHOP, operationName=5).encode(), "application/json", "name must be a string"),
        (json.dumps({"query": SHOP, "variables": [1]}).encode(), "application/json", "must be a JSON object"),
        (json.dumps({"query": SHOP, "variables": "{x"}).encode(), "application/json", "Variables are invalid JSON"),
        (b'{"query": "{ shop { name } }", "variables": {"a": NaN}}', "application/json", "not valid JSON"),
    ],
    ids=[
        "not-json",
        "empty",
        "not-utf8",
        "nested-past-python",
        "a-string",
        "null",
        "empty-batch",
        "query-not-a-string",
        "no-query",
        "text-plain",
        "operation-name-not-a-string",
        "variables-a-list",
        "variables-bad-json-text",
        "nan-in-the-body",
    ],
)
def test_a_body_that_is_not_an_operation_is_a_clean_400(post, body, content_type, message):
    status, answer = post(body, content_type)

    assert status == 400
    refused(answer, message)


def test_a_body_over_the_upload_limit_is_a_413(post, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000

    status, answer = post(operation(SHOP, {"padding": "x" * 2_000}))

    assert status == 413
    refused(answer, "exceeds maximum size")


def test_json_nested_deeper_than_the_limit_is_refused(post):
    deep: object = "leaf"
    for _ in range(limits.MAX_JSON_DEPTH + 1):
        deep = {"a": deep}

    status, answer = post(operation(SHOP, {"x": deep}))

    assert status == 400
    refused(answer, "nested deeper")


# --- batches ---


def test_a_batch_answers_each_operation_in_order(post, channel):  # noqa: F811
    body = json.dumps(
        [{"query": SHOP}, {"query": "{ shop { nope } }"}, {"query": "{ channel(slug: $s) { slug } }"}, "x"]
    )

    status, answers = post(body)

    assert status == 400  # the worst of its operations', as Saleor's
    assert isinstance(answers, list) and len(answers) == 4
    assert answers[0] == {"data": {"shop": {"name": channel.name}}}
    refused(answers[1], "nope")
    refused(answers[2], "$s")
    refused(answers[3], "must be a JSON object")


def test_a_batch_of_valid_operations_answers_200(post, channel):  # noqa: F811
    status, answers = post(json.dumps([{"query": SHOP}] * limits.MAX_BATCH_SIZE))

    assert status == 200
    assert answers == [{"data": {"shop": {"name": channel.name}}}] * limits.MAX_BATCH_SIZE


def test_a_batch_over_the_limit_is_refused_before_any_operation_runs(post, django_assert_num_queries):
    with django_assert_num_queries(0):
        status, answer = post(json.dumps([{"query": SHOP}] * 200))

    assert status == 400
    refused(answer, f"at most {limits.MAX_BATCH_SIZE} operations")


# --- values of the wrong type or shape ---


def _fields_with_uuid_arguments() -> list[tuple[str, str, str]]:
    """(operation, field, argument) of every root field taking a UUID."""
    found = []
    for kind, root in (("query", schema.graphql_schema.query_type), ("mutation", schema.graphql_schema.mutation_type)):
        assert root is not None
        for name, field in root.fields.items():
            for argument_name, argument in field.args.items():
                if get_named_type(argument.type).name == "UUID":
                    found.append((kind, name, argument_name))
    return found


UUID_ARGUMENTS = _fields_with_uuid_arguments()


def test_the_fields_taking_a_token_are_all_checked():
    assert len(UUID_ARGUMENTS) >= 6
    assert ("query", "checkout", "token") in UUID_ARGUMENTS
    assert ("mutation", "checkoutComplete", "token") in UUID_ARGUMENTS


@pytest.mark.parametrize(("kind", "field", "argument"), UUID_ARGUMENTS, ids=[f"{f}({a})" for _, f, a in UUID_ARGUMENTS])
def test_a_malformed_uuid_written_in_the_document_is_a_validation_error(post, kind, field, argument):
    status, answer = post(operation(f'{kind} {{ {field}({argument}: "not-a-uuid") {{ __typename }} }}'))

    assert status == 400
    refused(answer, "Expected value of type 'UUID', found \"not-a-uuid\"")


@pytest.mark.parametrize(
    ("query", "variables", "message"),
    [
        ("query($t: UUID) { checkout(token: $t) { id } }", {"t": "not-a-uuid"}, "UUID cannot represent"),
        ("query($t: UUID) { checkout(token: $t) { id } }", {"t": {"a": 1}}, "UUID cannot represent"),
        ("query($n: Int) { products(first: $n) { totalCount } }", {"n": 2**40}, "non 32-bit"),
        ("query($n: Int) { products(first: $n) { totalCount } }", {"n": "ten"}, "Int cannot represent"),
        ("query($s: String) { products(first: 1, search: $s) { totalCount } }", {"s": ["a"]}, "String cannot"),
        ("query($s: String) { products(first: 1, search: $s) { totalCount } }", {"s": "a\x00b"}, "NUL"),
        ('{ products(first: 1, search: "a\\u0000b") { totalCount } }', None, "NUL"),
        ("{ products(first: 1e400) { totalCount } }", None, "Int cannot represent"),
        (
            "query($w: ProductWhereInput) { products(first: 1, where: $w) { totalCount } }",
            {"w": {"AND": [{"AND": [{"AND": [{"nope": 1}]}]}]}},
            "nope",
        ),
        (
            "query($w: ProductWhereInput) { products(first: 1, where: $w) { totalCount } }",
            {"w": {"price": {"range": {"gte": "NaN"}}}},
            "Decimal cannot represent value: 'NaN'",
        ),
        (
            "query($w: ProductWhereInput) { products(first: 1, where: $w) { totalCount } }",
            {"w": {"price": {"range": {"gte": "Infinity"}}}},
            "Decimal cannot represent value: 'Infinity'",
        ),
        ("{ shop { ...A } } fragment A on Shop { ...B } fragment B on Shop { ...A }", None, "Cannot spread fragment"),
    ],
    ids=[
        "uuid-variable",
        "uuid-object",
        "int-too-big",
        "int-text",
        "string-list",
        "nul-variable",
        "nul-literal",
        "float-for-int",
        "unknown-nested-input-field",
        "decimal-nan",
        "decimal-infinity",
        "fragment-cycle",
    ],
)
def test_a_value_of_the_wrong_type_is_a_validation_error(post, query, variables, message):
    status, answer = post(operation(query, variables))

    assert status == 400
    refused(answer, message)


def test_input_objects_nested_past_the_json_limit_are_refused(post):
    where: dict = {"slug": {"eq": "x"}}
    for _ in range(limits.MAX_JSON_DEPTH):
        where = {"AND": [where]}

    status, answer = post(
        operation("query($w: ProductWhereInput) { products(first: 1, where: $w) { totalCount } }", {"w": where})
    )

    assert status == 400
    refused(answer, "nested deeper")


def test_huge_variables_are_answered_without_error(post, channel):  # noqa: F811
    status, answer = post(
        operation("query($s: String) { products(first: 1, search: $s) { totalCount } }", {"s": "á" * 200_000})
    )

    assert status == 200
    assert answer == {"data": {"products": {"totalCount": 0}}}


# --- limits on what one document asks for ---


def _aliases(count: int) -> str:
    return "{ " + " ".join(f"a{i}: shop {{ name }}" for i in range(count)) + " }"


def test_aliases_up_to_the_limit_run_and_beyond_it_are_refused(post):
    status, answer = post(operation(_aliases(limits.MAX_ALIASES)))
    assert status == 200
    assert isinstance(answer, dict) and len(answer["data"]) == limits.MAX_ALIASES

    status, answer = post(operation(_aliases(limits.MAX_ALIASES + 1)))
    assert status == 400
    refused(answer, f"Number of aliases exceed the limit of {limits.MAX_ALIASES}")


def test_five_hundred_aliases_are_refused_before_execution(post, django_assert_num_queries):
    products = "products(first: 20) { edges { node { id name slug description } } }"
    query = "{ " + " ".join(f"p{i}: {products}" for i in range(500)) + " }"

    with django_assert_num_queries(0):
        status, answer = post(operation(query))

    assert status == 400
    refused(answer, "Number of aliases exceed")


def test_more_mutations_than_the_limit_are_refused(post):
    mutations = " ".join(f'm{i}: tokenRefresh(refreshToken: "x") {{ token }}' for i in range(limits.MAX_MUTATIONS + 1))

    status, answer = post(operation(f"mutation {{ {mutations} }}"))

    assert status == 400
    refused(answer, f"Number of mutations exceed the limit of {limits.MAX_MUTATIONS}")


def test_a_query_over_the_cost_limit_is_refused_with_its_cost(post, django_assert_num_queries):
    query = """query($n: Int) { categories(first: $n) { edges { node {
        products(first: $n, channel: "default-channel") { edges { node { id name slug
          variants { id name sku } } } } } } } }"""

    with django_assert_num_queries(0):
        status, answer = post(operation(query, {"n": 100}))

    assert status == 400
    refused(answer, f"exceeds the maximum cost of {limits.MAX_QUERY_COST}", code="QueryCostError")
    assert isinstance(answer, dict)
    cost = answer["errors"][0]["extensions"]["cost"]
    assert cost["maximumAvailable"] == limits.MAX_QUERY_COST
    assert cost["requestedQueryCost"] > limits.MAX_QUERY_COST


def test_the_cost_follows_the_variables_and_their_defaults(post, channel):  # noqa: F811
    query = """query($n: Int = 5) { categories(first: $n) { edges { node {
        products(first: $n, channel: "default-channel") { edges { node { id name slug description seoTitle } } }
    } } } }"""

    assert post(operation(query))[0] == 200
    assert post(operation(query, {"n": 10}))[0] == 200
    assert post(operation(query, {"n": 100}))[0] == 400


def test_query_cost_counts_fields_times_page_sizes():
    from graphql import parse

    document = parse(
        """query($n: Int) { products(first: $n) { totalCount edges { node { id ...Names } } } }
        fragment Names on Product { name slug category { name } }"""
    )
    operation_node, fragment = document.definitions
    cost = limits.query_cost(schema.graphql_schema, operation_node, {"Names": fragment}, {"n": 10})

    # products 1 + 10 x (totalCount 1 + edges 1 + node (1 + id + name + slug + category (1 + name)))
    assert cost == 1 + 10 * (1 + 1 + (1 + 1 + 1 + 1 + (1 + 1)))


def test_a_query_too_long_or_with_too_many_tokens_is_refused(post):
    status, answer = post(operation("{ shop { name } }" + " " * limits.MAX_QUERY_LENGTH))
    assert status == 400
    refused(answer, f"longer than {limits.MAX_QUERY_LENGTH} characters")

    fields = " ".join(["name"] * limits.MAX_QUERY_TOKENS)
    status, answer = post(operation("{ shop { " + fields + " } }"))
    assert status == 400
    refused(answer, f"more than {limits.MAX_QUERY_TOKENS} tokens")


def test_a_query_nested_past_the_depth_limit_is_refused(post):
    deep = "{ products(first: 1) { edges { node { category { " + "parent { " * 12 + "name" + " }" * 16 + " }"

    status, answer = post(operation(deep))

    assert status == 400
    refused(answer, f"exceeds maximum operation depth of {limits.MAX_QUERY_DEPTH}")


def test_the_storefronts_product_list_runs_within_the_limits(post, channel):  # noqa: F811
    """A product list page as the Saleor storefront asks it (ProductListItem, 12 a page, 50 variants each)."""
    product = make_product()
    make_certification(product)
    make_variant(product)
    query = """query($first: Int = 12, $channel: String!) { products(first: $first, channel: $channel) {
      edges { node { id name slug created translation(languageCode: EN) { name slug }
        pricing { priceRange { start { gross { amount currency } } stop { gross { amount currency } } }
          priceRangeUndiscounted { start { gross { amount currency } } stop { gross { amount currency } } } }
        category { id name slug translation(languageCode: EN) { name slug } backgroundImage { url alt } }
        thumbnail(size: 1024, format: WEBP) { url alt }
        productVariants(first: 50) { totalCount edges { node { id
          selectionAttributes: attributes(variantSelection: VARIANT_SELECTION) {
            attribute { slug name inputType translation(languageCode: EN) { name } }
            values { name slug value translation(languageCode: EN) { name } file { url } } } } } } }
        cursor }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor } totalCount } }"""

    status, answer = post(operation(query, {"channel": channel.slug}))

    assert status == 200, answer
    assert isinstance(answer, dict) and "errors" not in answer


def test_a_batchs_operations_share_the_cost_budget(post, django_assert_num_queries):
    query = """query($n: Int) { categories(first: $n) { edges { node {
        products(first: $n, channel: "default-channel") { edges { node { id name slug } } } } } } }"""
    n = next(n for n in range(1, 101) if 3 * (1 + n * (3 + 5 * n)) > limits.MAX_QUERY_COST)
    cost = 1 + n * (3 + 5 * n)  # categories 1 + n x (edges, node, products 3 + n x (edges, node, 3 leaves))
    assert 2 * cost <= limits.MAX_QUERY_COST < 3 * cost

    status, answers = post(json.dumps([{"query": query, "variables": {"n": n}}] * 2))
    assert status == 200
    assert answers == [{"data": {"categories": {"edges": []}}}] * 2

    with django_assert_num_queries(0):  # refused before any of them runs
        status, answer = post(json.dumps([{"query": query, "variables": {"n": n}}] * 3))
    assert status == 400
    refused(answer, f"The batch exceeds the maximum cost of {limits.MAX_QUERY_COST}", code="QueryCostError")
    assert isinstance(answer, dict)
    assert answer["errors"][0]["extensions"]["cost"]["requestedQueryCost"] == 3 * cost


def test_introspection_nested_past_graphql_cores_limit_is_refused_and_the_standard_query_runs(post):
    from graphql import get_introspection_query

    nested = "{ __schema { types { fields { type { ofType { fields { type { ofType { fields { name } } } } } } } } } }"

    status, answer = post(operation(nested))
    assert status == 400
    refused(answer, "Maximum introspection depth exceeded")

    status, answer = post(operation(get_introspection_query(descriptions=True, input_value_deprecation=True)))
    assert status == 200
    assert isinstance(answer, dict) and answer["data"]["__schema"]["types"]


def test_answers_are_compact_utf8_json_and_pretty_when_asked(db, channel):  # noqa: F811
    listed_product(name="Mật ong rừng Mã Đà")
    client = Client()
    query = json.dumps({"query": '{ products(first: 1, channel: "default-channel") { edges { node { name } } } }'})

    compact = client.post("/graphql/", query, content_type="application/json").content
    pretty = client.post("/graphql/?pretty=1", query, content_type="application/json").content

    assert compact == '{"data":{"products":{"edges":[{"node":{"name":"Mật ong rừng Mã Đà"}}]}}}'.encode()
    assert json.loads(pretty) == json.loads(compact) and b"\n" in pretty
