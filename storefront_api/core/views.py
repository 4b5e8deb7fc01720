"""The `/graphql/` endpoint: POST JSON from any client (no CSRF), GET only for GraphiQL while DEBUG."""

from __future__ import annotations

import logging
from collections import OrderedDict
from threading import Lock
from typing import Any, cast

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseNotAllowed
from graphene.validation import depth_limit_validator
from graphene_django.constants import MUTATION_ERRORS_FLAG
from graphene_django.settings import graphene_settings
from graphene_django.views import GraphQLView, HttpError
from graphql import (
    DocumentNode,
    ExecutionResult,
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

from storefront_api.core.execution import StorefrontExecutionContext

logger = logging.getLogger(__name__)

MAX_QUERY_DEPTH = 12
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
        document = parse(query)
    except Exception as error:  # a syntax error, or a document nested too deeply to parse
        return None, [error]
    errors = validate(schema, document, rules, graphene_settings.MAX_VALIDATION_ERRORS)
    return document, list(errors)


def _failed(errors: list[Exception]) -> ExecutionResult:
    """A result with `errors` and no data. Not every one is a `GraphQLError`, as graphql-core's annotation
    says (a query nested too deeply to parse raises `RecursionError`): `format_error` formats any exception,
    as graphene-django's own view does."""
    return ExecutionResult(data=None, errors=cast(list[GraphQLError], errors))


class StorefrontGraphQLView(GraphQLView):
    """graphene-django's view with a bounded query depth; malformed queries answer 400, never 500.

    Documents are parsed and validated once per query text (`DocumentCache`), then executed with
    `StorefrontExecutionContext` (plain fields resolved without graphql-core's per-field machinery).
    """

    graphiql = True
    execution_context_class = StorefrontExecutionContext
    validation_rules = (*specified_rules, depth_limit_validator(max_depth=MAX_QUERY_DEPTH))
    documents = DocumentCache()

    @classmethod
    def can_display_graphiql(cls, request: HttpRequest, data: dict[str, Any]) -> bool:
        return settings.DEBUG and request.method == "GET" and super().can_display_graphiql(request, data)

    @staticmethod
    def format_error(error: Exception) -> dict[str, Any]:
        """Errors as GraphQL formats them, but an unexpected exception's text only while DEBUG."""
        unexpected = error.original_error if isinstance(error, GraphQLError) else error
        if unexpected is None or isinstance(unexpected, GraphQLError) or settings.DEBUG:
            return GraphQLView.format_error(error)
        logger.error("Storefront API error", exc_info=unexpected)
        formatted = GraphQLView.format_error(error)
        formatted["message"] = "Internal Server Error"
        formatted["extensions"] = {"exception": {"code": type(unexpected).__name__}}
        return formatted

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "GET" and not self.can_display_graphiql(request, {}):
            return HttpResponseNotAllowed(["POST"], "Send GraphQL queries with POST.")
        return super().dispatch(request, *args, **kwargs)

    def execute_graphql_request(
        self,
        request: HttpRequest,
        data: dict[str, Any],
        query: str | None,
        variables: dict[str, Any] | None,
        operation_name: str | None,
        show_graphiql: bool = False,
    ) -> ExecutionResult | None:
        """graphene-django's own, with the parsed and validated document taken from `documents`."""
        if not query:
            if show_graphiql:
                return None
            raise HttpError(HttpResponseBadRequest("Must provide query string."))
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
                    result = execute_sync(schema, document, **options)
                    if getattr(request, MUTATION_ERRORS_FLAG, False) is True:
                        transaction.set_rollback(True)
                return result
            return execute_sync(schema, document, **options)
        except Exception as error:
            return _failed([error])
