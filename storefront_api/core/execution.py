"""graphql-core's execution with a short path for the fields that only read their parent object.

For every field graphql-core builds a response path, a `ResolveInfo` and the argument values,
calls the resolver, then completes the value through a chain of type checks: ~10 µs a field, and
a page of 20 products with every field has ~2,200 of them. Most of those fields take no arguments
and read an attribute of their parent: graphene's default resolver, a resolver marked `@plain`
(it reads its root, never `info`), or a default resolver marked `@plain` (the channel-context
types' `core.context.resolve_node_attribute`). `StorefrontExecutionContext` resolves such a field
directly when its type is a scalar or an enum, an object type, or a list of object types, and
executes the sub-selection of an object the way graphql-core does.

Anything unusual leaves the short path for graphql-core's own: a null for a non-null field, a
resolver or serializer that raises, a value that is not a list where a list is expected. That
path resolves the field again from the start, so errors and nulls come out exactly as before.
The executor is synchronous, like every resolver here (the view runs it with `execute_sync`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, NamedTuple, TypeVar

from graphene.relay.node import GlobalID
from graphene.types.resolver import dict_or_attr_resolver
from graphql import (
    ExecutionContext,
    FieldNode,
    GraphQLField,
    GraphQLFieldResolver,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    located_error,
)
from graphql.execution.execute import get_field_def
from graphql.execution.values import get_argument_values
from graphql.pyutils import Path, Undefined
from graphql.type import is_leaf_type

F = TypeVar("F", bound=Callable[..., Any])

LEAF, OBJECT, OBJECT_LIST = 1, 2, 3
_PLAIN_ATTR = "storefront_plain_resolver"


def plain(resolver: F) -> F:
    """Mark a resolver `(root, info)` that reads only `root`: the executor may call it as `resolver(root, None)`.

    A default resolver `(attname, default_value, root, info)` may be marked too: graphene gives it to each
    field as `partial(resolver, attname, default_value)`, which the executor calls as `(root, None)`.
    """
    setattr(resolver, _PLAIN_ATTR, True)
    return resolver


Getter = Callable[[Any], Any]


class Plan(NamedTuple):
    """How the short path resolves one field (of one object type)."""

    kind: int  # LEAF, OBJECT or OBJECT_LIST
    getter: Getter | None  # the value from the root alone; None: call `resolve` with a `ResolveInfo`
    resolve: GraphQLFieldResolver
    field_def: GraphQLField
    inner: Any  # the leaf or object type, without NonNull and List
    items_non_null: bool  # OBJECT_LIST: whether the items are NonNull


_plans: dict[int, tuple[GraphQLField, Plan | None]] = {}


def _attribute_getter(name: str, default: Any) -> Getter:
    def get(root: Any) -> Any:
        return root.get(name, default) if isinstance(root, dict) else getattr(root, name, default)

    return get


def _plain_getter(resolve: Callable[..., Any]) -> Getter:
    def get(root: Any) -> Any:
        return resolve(root, None)

    return get


def _getter(resolve: Any, parent_type: GraphQLObjectType) -> Getter | None:
    """A function of the root alone giving what `resolve(root, info)` gives, or None if it needs `info`."""
    if getattr(resolve, _PLAIN_ATTR, False):
        return _plain_getter(resolve)
    if isinstance(resolve, partial) and getattr(resolve.func, _PLAIN_ATTR, False):
        # A plain default resolver `(attname, default_value, root, info)`, given its first two by graphene.
        return _plain_getter(resolve)
    if isinstance(resolve, partial) and not resolve.keywords and resolve.func is dict_or_attr_resolver:
        name, default = resolve.args
        return _attribute_getter(name, default)
    if isinstance(resolve, partial) and resolve.func is GlobalID.id_resolver and len(resolve.args) == 2:
        parent_resolver, node = resolve.args
        inner = _getter(parent_resolver, parent_type)
        if inner is None or set(resolve.keywords) - {"parent_type_name"}:
            return None
        type_name = resolve.keywords.get("parent_type_name") or parent_type.name
        return lambda root: node.to_global_id(type_name, inner(root))
    return None


def _plan(field_def: GraphQLField, parent_type: GraphQLObjectType) -> Plan | None:
    """How to take the short path for this field, or None when only graphql-core's path will do."""
    resolve = field_def.resolve
    if resolve is None or field_def.subscribe is not None:
        return None
    getter = None if field_def.args else _getter(resolve, parent_type)
    field_type = field_def.type
    inner = field_type.of_type if isinstance(field_type, GraphQLNonNull) else field_type
    if is_leaf_type(inner):
        return Plan(LEAF, getter, resolve, field_def, inner, False)
    if isinstance(inner, GraphQLObjectType) and inner.is_type_of is None:
        return Plan(OBJECT, getter, resolve, field_def, inner, False)
    if isinstance(inner, GraphQLList):
        item = inner.of_type
        item_inner = item.of_type if isinstance(item, GraphQLNonNull) else item
        if isinstance(item_inner, GraphQLObjectType) and item_inner.is_type_of is None:
            return Plan(OBJECT_LIST, getter, resolve, field_def, item_inner, isinstance(item, GraphQLNonNull))
    return None


def field_plan(field_def: GraphQLField, parent_type: GraphQLObjectType) -> Plan | None:
    """The plan of a field, made once per field definition."""
    found = _plans.get(id(field_def))
    if found is None or found[0] is not field_def:
        found = (field_def, _plan(field_def, parent_type))
        _plans[id(field_def)] = found
    return found[1]


_SLOW = object()  # the short path gives way: graphql-core's own path resolves the field


def _regular(plan: Plan, result: Any) -> bool:
    """Whether the short path completes `result` as graphql-core would; otherwise graphql-core's path must."""
    if isinstance(result, Exception):  # graphql-core raises a returned exception (`Undefined` is one too)
        return False
    if result is None:
        return not isinstance(plan.field_def.type, GraphQLNonNull)
    if plan.kind == OBJECT_LIST:
        return isinstance(result, list | tuple) and not any(
            item is None or isinstance(item, Exception) for item in result
        )
    return True


def _serialized(leaf_type: Any, result: Any) -> Any:
    try:
        serialized = leaf_type.serialize(result)
    except Exception:
        return _SLOW
    return _SLOW if serialized is None or serialized is Undefined else serialized


class StorefrontExecutionContext(ExecutionContext):
    """`ExecutionContext` with the short path for plain fields (see the module's docstring)."""

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        fields: dict[str, list[FieldNode]],
    ) -> Any:
        if self.middleware_manager is not None and self.middleware_manager.middlewares:
            return super().execute_fields(parent_type, source_value, path, fields)
        results: dict[str, Any] = {}
        schema = self.schema
        for response_name, field_nodes in fields.items():
            field_def = get_field_def(schema, parent_type, field_nodes[0])
            plan = field_plan(field_def, parent_type) if field_def is not None else None
            if plan is not None:
                value = self._execute_plain_field(plan, parent_type, source_value, field_nodes, path, response_name)
                if value is not _SLOW:
                    results[response_name] = value
                    continue
            result = self.execute_field(
                parent_type, source_value, field_nodes, Path(path, response_name, parent_type.name)
            )
            if result is not Undefined:
                results[response_name] = result
        return results

    def _execute_plain_field(
        self,
        plan: Plan,
        parent_type: GraphQLObjectType,
        source: Any,
        field_nodes: list[FieldNode],
        path: Path | None,
        response_name: str,
    ) -> Any:
        """The field's completed value, or `_SLOW` when graphql-core's `execute_field` must resolve it."""
        field_type = plan.field_def.type
        if plan.getter is not None:
            # A plain resolver: no ResolveInfo, and any surprise is left to graphql-core's path, which
            # calls the resolver again (it only reads its root) and reports the error as it always has.
            try:
                result = plan.getter(source)
            except Exception:
                return _SLOW
            if not _regular(plan, result):
                return _SLOW
            if result is None:
                return None
            if plan.kind == LEAF:
                return _serialized(plan.inner, result)
            field_path = Path(path, response_name, parent_type.name)
        else:
            field_path = Path(path, response_name, parent_type.name)
            info = self.build_resolve_info(plan.field_def, field_nodes, parent_type, field_path)
            try:
                args = self._argument_values(plan.field_def, field_nodes[0]) if plan.field_def.args else {}
                result = plan.resolve(source, info, **args)
                if not _regular(plan, result):
                    return self.complete_value(field_type, field_nodes, info, field_path, result)
                if result is None:
                    return None
                if plan.kind == LEAF:
                    serialized = _serialized(plan.inner, result)
                    if serialized is _SLOW:
                        return self.complete_value(field_type, field_nodes, info, field_path, result)
                    return serialized
            except Exception as raw_error:
                error = located_error(raw_error, field_nodes, field_path.as_list())
                self.handle_field_error(error, field_type, field_path)
                return None
        try:
            return self._complete_objects(plan, result, field_nodes, field_path)
        except Exception as raw_error:
            error = located_error(raw_error, field_nodes, field_path.as_list())
            self.handle_field_error(error, field_type, field_path)
            return None

    def _argument_values(self, field_def: GraphQLField, node: FieldNode) -> dict[str, Any]:
        """The field's arguments at `node`, coerced once per operation: the same for every object the node is
        asked of (the variables do not change during an operation)."""
        cache: dict[int, dict[str, Any]] = self.__dict__.setdefault("_argument_cache", {})
        found = cache.get(id(node))
        if found is None:
            found = cache[id(node)] = get_argument_values(field_def, node, self.variable_values)
        return found

    def _complete_objects(self, plan: Plan, result: Any, field_nodes: list[FieldNode], field_path: Path) -> Any:
        """An object, or a list of objects, completed as `complete_object_value` and `complete_list_value` do."""
        object_type = plan.inner
        sub_fields = self.collect_subfields(object_type, field_nodes)
        if plan.kind == OBJECT:
            return self.execute_fields(object_type, result, field_path, sub_fields)
        item_type = GraphQLNonNull(object_type) if plan.items_non_null else object_type
        completed = []
        for index, item in enumerate(result):
            item_path = field_path.add_key(index, None)
            try:
                completed.append(self.execute_fields(object_type, item, item_path, sub_fields))
            except Exception as raw_error:
                error = located_error(raw_error, field_nodes, item_path.as_list())
                self.handle_field_error(error, item_type, item_path)
                completed.append(None)
        return completed
