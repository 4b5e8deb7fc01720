"""What one request to `/graphql/` may ask for, checked before anything is executed.

A document is refused, with one clear error and status 400, when it is longer than `MAX_QUERY_LENGTH`
characters or `MAX_QUERY_TOKENS` tokens, nests fields deeper than `MAX_QUERY_DEPTH`, uses more than
`MAX_ALIASES` aliases or `MAX_MUTATIONS` mutations, or would cost more than `MAX_QUERY_COST` (the operations
of a batch share that budget). The cost
(`query_cost`) counts every field the answer would hold, each field under a connection as many times as
the page's `first`/`last` asks for (as Saleor's query cost multiplies by them): at most how many values the
answer holds, and so how long it takes to build. Saleor's storefront's costliest operations, its product lists
(12 products a page, each with up to 50 variants' attributes), cost ~12,000; every one of its 64 operations
passes every limit (docs/reliability.md, "The GraphQL endpoint").
A body is refused when it nests JSON deeper than `MAX_JSON_DEPTH` or holds a NUL character, which PostgreSQL
cannot store and no text of a shop needs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    MaxIntrospectionDepthRule,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    StringValueNode,
    ValidationContext,
    ValidationRule,
    VariableNode,
    get_named_type,
)
from graphql.type import is_interface_type, is_object_type, is_union_type

from storefront_api.core.connection import MAX_PAGE_SIZE

MAX_QUERY_LENGTH = 100_000  # characters of the query text
MAX_QUERY_TOKENS = 15_000  # tokens of the query text (graphql-core stops parsing past them)
MAX_QUERY_DEPTH = 15  # fields nested in fields
MAX_ALIASES = 30  # aliased fields in one document (Saleor's storefront uses at most 16)
MAX_MUTATIONS = 4  # mutation fields in one operation (as Saleor's GRAPHQL_MUTATION_COUNT_LIMIT)
MAX_QUERY_COST = 50_000  # fields the answer may hold, counted by `query_cost`; a batch's operations together
MAX_BATCH_SIZE = 10  # operations in one batch (a JSON list body)
MAX_JSON_DEPTH = 32  # nesting of the JSON body (objects and lists)

PAGE_ARGUMENTS = ("first", "last")
NUL = "\x00"


class RequestRefused(GraphQLError):
    """The request is malformed or asks for too much: answered with this message and `status`, never executed.
    Its `extensions.exception.code` is "GraphQLError", as Saleor's for the same refusals."""

    code = "GraphQLError"

    def __init__(self, message: str, *, status: int = 400, extensions: dict[str, Any] | None = None) -> None:
        super().__init__(message, extensions={"exception": {"code": self.code}, **(extensions or {})})
        self.status = status


class QueryCostError(RequestRefused):
    """The query's cost (`query_cost`) is above `MAX_QUERY_COST`; named as Saleor names it."""

    code = "QueryCostError"


def check_json_body(data: Any) -> None:
    """Refuse a body nested deeper than `MAX_JSON_DEPTH` or holding a NUL character (in a key or a string)."""
    pending: list[tuple[Any, int]] = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, str):
            if NUL in value:
                raise RequestRefused("Strings may not contain the NUL character (U+0000).")
        elif isinstance(value, Mapping | list):
            if depth > MAX_JSON_DEPTH:
                raise RequestRefused(f"The request's JSON is nested deeper than {MAX_JSON_DEPTH} levels.")
            items = value.items() if isinstance(value, Mapping) else enumerate(value)
            for key, item in items:
                if isinstance(key, str) and NUL in key:
                    raise RequestRefused("Strings may not contain the NUL character (U+0000).")
                pending.append((item, depth + 1))


def check_query_text(query: str) -> None:
    if len(query) > MAX_QUERY_LENGTH:
        raise RequestRefused(f"The query is longer than {MAX_QUERY_LENGTH} characters.")


class AliasCountLimitRule(ValidationRule):
    """At most `MAX_ALIASES` aliased fields in a document (Saleor's `AliasCountLimitRule`)."""

    def __init__(self, context: ValidationContext) -> None:
        super().__init__(context)
        self.count = 0

    def enter_field(self, node: FieldNode, *_: Any) -> None:
        if node.alias is not None:
            self.count += 1

    def leave_document(self, *_: Any) -> None:
        if self.count > MAX_ALIASES:
            self.report_error(GraphQLError(f"Number of aliases exceed the limit of {MAX_ALIASES}."))


class MutationCountLimitRule(ValidationRule):
    """At most `MAX_MUTATIONS` mutation fields in an operation (Saleor's `MutationCountLimitRule`)."""

    def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
        if node.operation == OperationType.MUTATION and len(node.selection_set.selections) > MAX_MUTATIONS:
            self.report_error(GraphQLError(f"Number of mutations exceed the limit of {MAX_MUTATIONS}.", node))


class NulStringRule(ValidationRule):
    """No NUL character in a string written in the document (`"\\u0000"`): PostgreSQL cannot store one."""

    def enter_string_value(self, node: StringValueNode, *_: Any) -> None:
        if NUL in node.value:
            self.report_error(GraphQLError("Strings may not contain the NUL character (U+0000).", node))


# graphql-core's own recommended rule: `__Type`'s lists (fields, inputFields, interfaces, possibleTypes) nested in
# each other at most 3 deep, which the standard introspection query (and Saleor's storefront's codegen) stays within.
LIMIT_RULES = (AliasCountLimitRule, MutationCountLimitRule, NulStringRule, MaxIntrospectionDepthRule)


def _page_size(field: FieldNode, variables: Mapping[str, Any]) -> int:
    """How many items a connection field asks for: its `first` or `last`, at most `MAX_PAGE_SIZE`; 1 otherwise."""
    sizes = []
    for argument in field.arguments:
        if argument.name.value not in PAGE_ARGUMENTS:
            continue
        value = argument.value
        if isinstance(value, IntValueNode):
            sizes.append(int(value.value))
        elif isinstance(value, VariableNode):
            given = variables.get(value.name.value)
            sizes.append(given if isinstance(given, int) else MAX_PAGE_SIZE)
    if not sizes:
        return 1
    return max(1, min(max(sizes), MAX_PAGE_SIZE))


def query_cost(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Mapping[str, Any] | None,
) -> int:
    """How many fields the answer to a valid `operation` may hold, each under a connection counted once per
    item its `first`/`last` asks for. Fragments on the several types of a union or interface all count,
    which overestimates only. Stops counting once past `MAX_QUERY_COST`."""
    root_types = {
        OperationType.QUERY: schema.query_type,
        OperationType.MUTATION: schema.mutation_type,
        OperationType.SUBSCRIPTION: schema.subscription_type,
    }
    root = root_types.get(operation.operation)
    if root is None:
        return 0
    given = variables or {}
    memo: dict[tuple[str, str], int] = {}

    def selection_cost(selection_set: SelectionSetNode, parent: Any, seen: frozenset[str]) -> int:
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += field_cost(selection, parent, seen)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = schema.get_type(condition.name.value) if condition else parent
                total += selection_cost(selection.selection_set, inner or parent, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = fragments.get(name)
                if fragment is None or name in seen:
                    continue
                inner = schema.get_type(fragment.type_condition.name.value) or parent
                key = (name, getattr(inner, "name", ""))
                if key not in memo:
                    memo[key] = selection_cost(fragment.selection_set, inner, seen | {name})
                total += memo[key]
            if total > MAX_QUERY_COST:
                return total
        return total

    def field_cost(field: FieldNode, parent: Any, seen: frozenset[str]) -> int:
        if field.selection_set is None:
            return 1
        definition = None
        if is_object_type(parent) or is_interface_type(parent):
            definition = parent.fields.get(field.name.value)
        if definition is None:  # introspection (`__schema`, `__type`) or a union's `__typename`
            inner: Any = schema.get_type("__Schema") if field.name.value == "__schema" else None
        else:
            inner = get_named_type(definition.type)
        if not (is_object_type(inner) or is_interface_type(inner) or is_union_type(inner)):
            inner = parent if isinstance(parent, GraphQLObjectType) else None
        return 1 + _page_size(field, given) * selection_cost(field.selection_set, inner, seen)

    return selection_cost(operation.selection_set, root, frozenset())
