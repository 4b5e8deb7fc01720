"""The `/graphql/` endpoint: POST JSON from any client (no CSRF), GET only for GraphiQL while DEBUG.

A body is one operation (a JSON object) or a batch (a JSON list of at most `MAX_BATCH_SIZE`), as Saleor
takes them. What the client got wrong (a body that is not JSON, a malformed query, a value of the wrong
type, a request over the limits of `storefront_api.core.limits`) is answered with status 400 (413 for a body
over `DATA_UPLOAD_MAX_MEMORY_SIZE`) and `errors` that say why, with `extensions.exception.code`; it is never
executed, and it is not logged as a failure. Only an exception raised while executing is an "Internal Server
Error", logged with its traceback.
"""

from __future__ import annotations

import copy
import json
import logging
from collections import OrderedDict
from collections.abc import Mapping
from threading import Lock
from typing import Any, cast

import orjson
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError, connection, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from graphene.validation import depth_limit_validator
from graphene_django.constants import MUTATION_ERRORS_FLAG
from graphene_django.settings import graphene_settings
from graphene_django.views import GraphQLView, HttpError, set_rollback
from graphql import (
    DocumentNode,
    ExecutionResult,
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLSchema,
    OperationType,
    execute_sync,
    get_operation_ast,
    parse,
    specified_rules,
    validate,
    validate_schema,
)
from graphql.execution.values import get_variable_values

from marketplace.catalogue.read_cache import keep_answer
from marketplace.core.stack import on_fresh_chunk
from storefront_api.core.execution import StorefrontExecutionContext
from storefront_api.core.limits import (
    LIMIT_RULES,
    MAX_BATCH_SIZE,
    MAX_QUERY_COST,
    MAX_QUERY_DEPTH,
    MAX_QUERY_TOKENS,
    QueryCostError,
    RequestRefused,
    check_json_body,
    check_query_text,
    query_cost,
)
from storefront_api.core.public_answers import public_answer

logger = logging.getLogger(__name__)

FIRST_RULES = frozenset((*specified_rules, *LIMIT_RULES))  # validated before the depth limit
DOCUMENT_CACHE_SIZE = 500  # parsed and validated query documents kept per process
DOCUMENT_CACHE_MAX_QUERY_LENGTH = 20_000  # longer query texts are parsed on every request, never kept


class DocumentCache:
    """Query text → its parsed document and validation errors, least recently used first out.

    Parsing and validating a storefront operation takes ~11 ms; a shop sends the same few
    operations over and over with different variables, so each is parsed and validated once per
    process. Validation depends only on the text, the schema and the rules, all fixed here.
    """

    def __init__(self, *, size: int = DOCUMENT_CACHE_SIZE) -> None:
        self.size = size
        self._documents: OrderedDict[tuple[GraphQLSchema, str], tuple[DocumentNode | None, list[Exception]]] = (
            OrderedDict()
        )
        self._lock = Lock()

    def get(self, schema: GraphQLSchema, query: str, rules: Any) -> tuple[DocumentNode | None, list[Exception]]:
        """The document of `query` (None if it does not parse) and its errors, parsed and validated once."""
        if len(query) > DOCUMENT_CACHE_MAX_QUERY_LENGTH:
            return _parse_and_validate(schema, query, rules)
        key = (schema, query)
        with self._lock:
            found = self._documents.get(key)
            if found is not None:
                self._documents.move_to_end(key)
                return found
        found = _parse_and_validate(schema, query, rules)
        with self._lock:
            self._documents[key] = found
            self._documents.move_to_end(key)
            while len(self._documents) > self.size:
                self._documents.popitem(last=False)
        return found

    def clear(self) -> None:
        with self._lock:
            self._documents.clear()

    def __len__(self) -> int:
        return len(self._documents)


def _parse_and_validate(schema: GraphQLSchema, query: str, rules: Any) -> tuple[DocumentNode | None, list[Exception]]:
    try:
        document = parse(query, max_tokens=MAX_QUERY_TOKENS)
    except GraphQLError as error:  # a syntax error, too many tokens, or a document nested too deeply to parse
        return None, [error]
    except (RecursionError, ValueError):
        return None, [RequestRefused("The query could not be parsed.")]
    # graphql-core's rules first: they find what would make the others recurse without end (graphene's depth
    # limit follows fragments, so a cycle of fragments must be refused before it looks).
    first, then = [rule for rule in rules if rule in FIRST_RULES], [rule for rule in rules if rule not in FIRST_RULES]
    try:
        errors = validate(schema, document, first, graphene_settings.MAX_VALIDATION_ERRORS)
        if not errors:
            errors = validate(schema, document, then, graphene_settings.MAX_VALIDATION_ERRORS)
    except RecursionError:
        return document, [RequestRefused("The query nests too deeply to be validated.")]
    return document, list(errors)


def _with_code(formatted: dict[str, Any], code: str) -> dict[str, Any]:
    """`formatted` with `extensions.exception.code` (`code` unless it has one), as Saleor gives every error."""
    extensions = dict(formatted.get("extensions") or {})
    extensions.setdefault("exception", {"code": code})
    return {**formatted, "extensions": extensions}


def _refuse_constant(name: str) -> Any:
    """`NaN`, `Infinity` and `-Infinity`, which Python's JSON reads but JSON does not have: not valid JSON."""
    raise ValueError(f"{name} is not a JSON value")


def _failed(errors: list[Exception]) -> ExecutionResult:
    """A result with `errors` and no data. Not every one is a `GraphQLError`, as graphql-core's annotation
    says (a query nested too deeply to parse raises `RecursionError`): `format_error` formats any exception,
    as graphene-django's own view does."""
    return ExecutionResult(data=None, errors=cast(list[GraphQLError], errors))


class StorefrontGraphQLView(GraphQLView):
    """graphene-django's view with bounded queries (`storefront_api.core.limits`) and batches; a malformed
    request answers 400 with its reason, never 500.

    Documents are parsed and validated once per query text (`DocumentCache`), then executed with
    `StorefrontExecutionContext` (plain fields resolved without graphql-core's per-field machinery). The
    answers of public queries are shared from the cache (`storefront_api.core.public_answers`).
    """

    graphiql = True
    execution_context_class = StorefrontExecutionContext
    validation_rules = (*specified_rules, depth_limit_validator(max_depth=MAX_QUERY_DEPTH), *LIMIT_RULES)
    documents = DocumentCache()

    @classmethod
    def can_display_graphiql(cls, request: HttpRequest, data: dict[str, Any]) -> bool:
        return settings.DEBUG and request.method == "GET" and super().can_display_graphiql(request, data)

    @staticmethod
    def format_error(error: Exception) -> dict[str, Any]:
        """Errors as GraphQL formats them, with `extensions.exception.code` as Saleor gives it. The client's
        own mistakes (an error found before execution, with no `path`) keep their message; an unexpected
        exception raised while executing says only "Internal Server Error" (its text only while DEBUG)."""
        if isinstance(error, HttpError):  # graphene-django's own refusals, e.g. of GraphiQL's GET
            return {"message": error.message, "extensions": {"exception": {"code": "GraphQLError"}}}
        unexpected = error.original_error if isinstance(error, GraphQLError) else error
        if isinstance(error, GraphQLError) and (unexpected is None or error.path is None):
            return _with_code(GraphQLView.format_error(error), "GraphQLError")
        if isinstance(unexpected, GraphQLError):  # raised on purpose by a resolver
            return _with_code(GraphQLView.format_error(error), type(unexpected).__name__)
        if settings.DEBUG:
            return GraphQLView.format_error(error)
        logger.error("Storefront API error", exc_info=unexpected)
        formatted = GraphQLView.format_error(error)
        formatted["message"] = "Internal Server Error"
        formatted["extensions"] = {"exception": {"code": type(unexpected).__name__}}
        return formatted

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "GET":
            if not self.can_display_graphiql(request, {}):
                return HttpResponseNotAllowed(["POST"], "Send GraphQL queries with POST.")
            return super().dispatch(request, *args, **kwargs)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"], "Send GraphQL queries with POST.")
        try:
            data = self.parse_body(request)
            if isinstance(data, list) and not data:
                raise RequestRefused("The batch holds no operation.")
            if isinstance(data, list) and len(data) > MAX_BATCH_SIZE:
                raise RequestRefused(
                    f"Number of batch queries exceeded: at most {MAX_BATCH_SIZE} operations in one request."
                )
            if isinstance(data, list) and (cost := self._batch_cost(data)) > MAX_QUERY_COST:
                raise QueryCostError(
                    f"The batch exceeds the maximum cost of {MAX_QUERY_COST}: its operations cost {cost} together.",
                    extensions={"cost": {"requestedQueryCost": cost, "maximumAvailable": MAX_QUERY_COST}},
                )
        except RequestRefused as refused:
            return self._answer(request, {"errors": [self.format_error(refused)]}, refused.status)
        if isinstance(data, list):
            # Each operation of a batch has a request of its own: its data loaders, and whether its mutation
            # failed (and rolls back), are its own.
            answers = [self._operation_response(copy.copy(request), entry) for entry in data]
            return self._answer(request, [answer for answer, _ in answers], max(status for _, status in answers))
        key, kept = self._public_answer(request, data) or (None, None)
        if kept is not None:
            return HttpResponse(content=kept, content_type="application/json")
        answer, status = self._operation_response(request, data)
        response = self._answer(request, answer, status)
        if key is not None and status == 200 and "errors" not in answer:
            keep_answer(key, response.content)
        return response

    def _public_answer(self, request: HttpRequest, data: Any) -> tuple[str, bytes | None] | None:
        """Where a single operation's answer is kept and what is kept there (`storefront_api.core.public_answers`);
        None when it is not to be shared, or is not valid (it is then refused as usual)."""
        try:
            query, variables, operation_name = self._params(data)
        except RequestRefused:
            return None
        document, errors = self.documents.get(self.schema.graphql_schema, query, self.validation_rules)
        operation = get_operation_ast(document, operation_name) if document is not None and not errors else None
        if operation is None:
            return None
        return public_answer(
            request,
            operation=operation,
            variables=variables,
            operation_name=operation_name,
            query=query,
        )

    def _answer(self, request: HttpRequest, content: Any, status: int) -> HttpResponse:
        return HttpResponse(status=status, content=self.json_encode(request, content), content_type="application/json")

    def json_encode(self, request: HttpRequest, d: Any, pretty: bool = False) -> str | bytes:
        """The answer as compact UTF-8 JSON by orjson (5 % of a 100-product answer's time with the standard
        encoder, its Vietnamese text escaped to \\uXXXX); pretty-printed by graphene-django's when asked."""
        if self.pretty or pretty or request.GET.get("pretty"):
            return super().json_encode(request, d, pretty)
        try:
            return orjson.dumps(d)
        except TypeError:  # what orjson refuses (an integer beyond 64 bits): the standard encoder's answer
            return json.dumps(d, separators=(",", ":"))

    def parse_body(self, request: HttpRequest) -> Any:
        """The operation (a dict) or the batch (a list) the body holds; refuses what is not one."""
        try:
            body = request.body
        except RequestDataTooBig:
            raise RequestRefused("Request body exceeds maximum size.", status=413) from None
        content_type = self.get_content_type(request)
        if content_type == "application/graphql":
            try:
                data: Any = {"query": body.decode("utf-8")}
            except UnicodeDecodeError:
                raise RequestRefused("The request body is not UTF-8 text.") from None
        elif content_type == "application/json":
            try:
                data = json.loads(body, parse_constant=_refuse_constant)
            except (ValueError, RecursionError):  # not UTF-8, not JSON, empty, or nested past Python's limit
                raise RequestRefused("Unable to parse query: the request body is not valid JSON.") from None
            if not isinstance(data, dict | list):
                raise RequestRefused("The request body must be a JSON object, or a list of them for a batch.")
        elif content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            data = request.POST.dict()
        else:
            data = {}
        check_json_body(data)
        return data

    def _operation_response(self, request: HttpRequest, data: Any) -> tuple[dict[str, Any], int]:
        """One operation's answer and status: 400 when it was refused before execution, else 200."""
        try:
            if not isinstance(data, Mapping):
                raise RequestRefused("Each operation of a batch must be a JSON object.")
            query, variables, operation_name = self._params(data)
            result = self.execute_graphql_request(request, dict(data), query, variables, operation_name)
        except RequestRefused as refusal:
            result = ExecutionResult(data=None, errors=[refusal])
        except HttpError as http_error:
            result = ExecutionResult(data=None, errors=[RequestRefused(http_error.message)])
        assert result is not None  # no GraphiQL here
        for error in result.errors or ():
            # The database is away: answered 503 by config.middleware.DatabaseUnavailableMiddleware, not 200.
            if isinstance(getattr(error, "original_error", error), OperationalError | InterfaceError):
                raise getattr(error, "original_error", error)
        if getattr(request, MUTATION_ERRORS_FLAG, False) is True or result.errors:
            set_rollback()  # as graphene-django's view does, under ATOMIC_REQUESTS
        answer: dict[str, Any] = {}
        if result.errors:
            answer["errors"] = [self.format_error(error) for error in result.errors]
        if result.errors and any(not getattr(error, "path", None) for error in result.errors):
            return answer, 400
        answer["data"] = result.data
        return answer, 200

    @staticmethod
    def _params(data: Mapping[str, Any]) -> tuple[str, dict[str, Any] | None, str | None]:
        """The query, variables and operation name of one operation, each of the type it must have."""
        query = data.get("query")
        if not query or not isinstance(query, str):
            raise RequestRefused("Must provide a query string.")
        check_query_text(query)
        variables = data.get("variables")
        if isinstance(variables, str):  # a form's field, or a client that sends them as JSON text
            try:
                variables = json.loads(variables, parse_constant=_refuse_constant) if variables.strip() else None
            except (ValueError, RecursionError):
                raise RequestRefused("Variables are invalid JSON.") from None
            check_json_body(variables)
        if variables is not None and not isinstance(variables, dict):
            raise RequestRefused("Variables must be a JSON object of the variables' values by name.")
        operation_name = data.get("operationName")
        if operation_name in ("", "null"):
            operation_name = None
        if operation_name is not None and not isinstance(operation_name, str):
            raise RequestRefused("The operation's name must be a string.")
        return query, variables, operation_name

    def execute_graphql_request(
        self,
        request: HttpRequest,
        data: dict[str, Any],
        query: str | None,
        variables: dict[str, Any] | None,
        operation_name: str | None,
        show_graphiql: bool = False,
    ) -> ExecutionResult | None:
        """graphene-django's own, with the parsed and validated document taken from `documents`, and the
        query's cost checked against the variables before it runs."""
        if not query:
            if show_graphiql:
                return None
            raise RequestRefused("Must provide a query string.")
        schema = self.schema.graphql_schema
        schema_errors = validate_schema(schema)  # computed once, then kept on the schema
        if schema_errors:
            return ExecutionResult(data=None, errors=schema_errors)
        document, errors = self.documents.get(schema, query, self.validation_rules)
        if document is None:
            return _failed(errors)
        operation = get_operation_ast(document, operation_name)
        if request.method == "GET" and operation is not None and operation.operation != OperationType.QUERY:
            if show_graphiql:
                return None
            raise HttpError(
                HttpResponseNotAllowed(
                    ["POST"], f"Can only perform a {operation.operation.value} operation from a POST request."
                )
            )
        if errors:
            return _failed(errors)
        if operation is not None:
            cost_errors = self._cost_errors(document, operation, variables)
            if cost_errors:
                return _failed(cost_errors)
        # Resolvers here are synchronous (WSGI, batch loaders that load ahead): `execute_sync` skips
        # graphql-core's check of every resolved value for `__await__` (~70,000 checks for a page of 20
        # products with every field).
        options = {
            "root_value": self.get_root_value(request),
            "context_value": self.get_context(request),
            "variable_values": variables,
            "operation_name": operation_name,
            "middleware": self.get_middleware(request),
            "execution_context_class": self.execution_context_class,
        }
        try:
            if (
                operation is not None
                and operation.operation == OperationType.MUTATION
                and (
                    graphene_settings.ATOMIC_MUTATIONS is True
                    or connection.settings_dict.get("ATOMIC_MUTATIONS", False) is True
                )
            ):
                with transaction.atomic():
                    result = on_fresh_chunk(execute_sync, schema, document, **options)
                    if getattr(request, MUTATION_ERRORS_FLAG, False) is True:
                        transaction.set_rollback(True)
                return result
            return on_fresh_chunk(execute_sync, schema, document, **options)  # see marketplace.core.stack
        except Exception as error:
            return _failed([error])

    def _cost_errors(self, document: DocumentNode, operation: Any, variables: dict[str, Any] | None) -> list[Exception]:
        """The variables' coercion errors, or the cost error when the operation asks for more than
        `MAX_QUERY_COST`; none when it may run."""
        cost = self._cost(document, operation, variables)
        if isinstance(cost, list):
            return cost
        if cost <= MAX_QUERY_COST:
            return []
        return [
            QueryCostError(
                f"The query exceeds the maximum cost of {MAX_QUERY_COST}. Actual cost is {cost}.",
                extensions={"cost": {"requestedQueryCost": cost, "maximumAvailable": MAX_QUERY_COST}},
            )
        ]

    def _cost(self, document: DocumentNode, operation: Any, variables: dict[str, Any] | None) -> int | list[Exception]:
        """The operation's cost with these variables (`query_cost`), or the variables' coercion errors."""
        schema = self.schema.graphql_schema
        coerced = get_variable_values(schema, operation.variable_definitions, variables or {})
        if isinstance(coerced, list):
            return list(coerced)
        fragments = {
            definition.name.value: definition
            for definition in document.definitions
            if isinstance(definition, FragmentDefinitionNode)
        }
        return query_cost(schema, operation, fragments, coerced)

    def _batch_cost(self, batch: list[Any]) -> int:
        """What a batch's valid operations cost together; those that are not valid are refused one by one later."""
        total = 0
        for entry in batch:
            try:
                query, variables, operation_name = (
                    self._params(entry) if isinstance(entry, Mapping) else ("", None, None)
                )
            except RequestRefused:
                continue
            document, errors = self.documents.get(self.schema.graphql_schema, query, self.validation_rules)
            operation = get_operation_ast(document, operation_name) if document is not None and not errors else None
            if document is None or operation is None:
                continue
            cost = self._cost(document, operation, variables)
            total += cost if isinstance(cost, int) else 0
        return total
