"""Reads whose SQL is compiled once per process, then only bound to new values.

Django builds and compiles a queryset's SQL every time it runs: for the few reads every checkout step makes
(the checkout, its lines with prices, their stock) that was more than half of the time the step spent in its
service, for SQL that differs from one request to the next only in its parameters. A `Statement` is such a
read: a function that builds the queryset from its arguments, compiled the first time it runs and then reused,
the arguments bound into the parameters they became.

Which parameters they became is found by compiling the function twice, with two sets of stand-in values of
the arguments' types: a parameter that follows an argument is bound to it, one that stays the same is part of
the shape. A function whose SQL or other parameters change with its arguments (a list that becomes one
parameter per item, a date the function computes another from) cannot be a statement and is refused the first
time it runs. Arguments are ids, UUIDs, dates, text and lists of ids (through `AnyOf`: one parameter).
"""

from __future__ import annotations

import copy
import datetime
import itertools
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import connections
from django.db.models import QuerySet

from marketplace.core.db import ids_in_bigint_range

Row = TypeVar("Row")  # a model instance, or a tuple for `values_list`

_numbers = itertools.count(1)


@dataclass(frozen=True)
class _Compiled:
    queryset: QuerySet  # the first stand-in's, whose compiler read the shape of its rows
    compiler: Any
    sql: str
    params: tuple[Any, ...]
    slots: tuple[tuple[int, str], ...]  # (position in params, argument)


class Statement(Generic[Row]):
    """`build(**arguments)` → a queryset (of model instances, or of `values_list` rows), compiled once; call it with
    the arguments."""

    def __init__(self, build: Callable[..., QuerySet[Any, Row]]) -> None:
        self.build = build
        self._compiled: _Compiled | None = None
        self._lock = threading.Lock()

    def __call__(self, **arguments: Any) -> list[Row]:
        return self._run(arguments, suffix="", extra=())

    def page(self, *, offset: int, limit: int, **arguments: Any) -> list[Row]:
        """`limit` rows from `offset` in the queryset's order, bound as parameters: one statement for every page."""
        if offset < 0 or limit < 0:
            raise ValueError("a page starts at an offset ≥ 0 and holds ≥ 0 rows")
        compiled = self._compiled or self._compile(arguments)
        if compiled.queryset.query.is_sliced:
            raise TypeError("a sliced queryset has its page already: build it unsliced to page it")
        return self._run(arguments, suffix=" LIMIT %s OFFSET %s", extra=(limit, offset))

    def first(self, **arguments: Any) -> Row | None:
        """The first row, or None."""
        rows = self(**arguments)
        return rows[0] if rows else None

    def _run(self, arguments: dict[str, Any], *, suffix: str, extra: tuple[int, ...]) -> list[Row]:
        compiled = self._compiled or self._compile(arguments)
        params = list(compiled.params)
        for position, name in compiled.slots:
            params[position] = _bound(arguments[name])
        params.extend(extra)
        sql = compiled.sql + suffix
        queryset = compiled.queryset.all()  # a copy of the first stand-in's, for its model and rows' shape
        database = queryset.db
        compiler = copy.copy(compiled.compiler)  # its shape shared; the SQL, parameters and connection its own
        compiler.connection = connections[database]
        compiler.as_sql = lambda *args, **kwargs: (sql, tuple(params))
        queryset.query.get_compiler = lambda *args, **kwargs: compiler  # type: ignore[method-assign]
        return list(queryset)

    def _compile(self, arguments: dict[str, Any]) -> _Compiled:
        with self._lock:
            if self._compiled is None:
                self._compiled = self._compile_now(arguments)
            return self._compiled

    def _compile_now(self, arguments: dict[str, Any]) -> _Compiled:
        first = {name: _stand_in(value) for name, value in arguments.items()}
        second = {name: _stand_in(value) for name, value in arguments.items()}
        compiled = []
        for values in (first, second):
            queryset = self.build(**values)
            compiler = queryset.query.get_compiler(using=queryset.db)
            sql, params = compiler.as_sql()
            compiled.append((queryset, compiler, sql, tuple(params)))
        (queryset, compiler, sql, params), (_, _, other_sql, other_params) = compiled
        name = getattr(self.build, "__qualname__", repr(self.build))
        if sql != other_sql or len(params) != len(other_params):
            raise TypeError(f"{name}: its SQL changes with its arguments, so it cannot be compiled once")
        slots = []
        for position, (one, other) in enumerate(zip(params, other_params, strict=True)):
            if _same(one, other):
                continue
            bound = [key for key in arguments if _same(first[key], one) and _same(second[key], other)]
            if len(bound) != 1:
                raise TypeError(f"{name}: parameter {position} follows none of its arguments as it is given")
            slots.append((position, bound[0]))
        return _Compiled(queryset=queryset, compiler=compiler, sql=sql, params=params, slots=tuple(slots))


def _bound(value: Any) -> Any:
    """The argument as its parameter: a list of ids as `AnyOf` binds it."""
    return ids_in_bigint_range(value) if isinstance(value, list) else value


def _same(one: Any, other: Any) -> bool:
    return type(one) is type(other) and one == other


def _stand_in(value: Any) -> Any:
    """A value of `value`'s type that no query holds as a constant, different at each call."""
    number = next(_numbers)
    if isinstance(value, bool):
        raise TypeError("a flag changes a statement's shape: build one statement for each value")
    if isinstance(value, int):
        return 2_100_000_000 + number  # within a 4-byte integer column's range
    if isinstance(value, uuid.UUID):
        return uuid.uuid4()
    if isinstance(value, datetime.datetime):
        raise TypeError("a time of day is not a statement's argument (its time zone may change it)")
    if isinstance(value, datetime.date):
        return datetime.date(1900, 1, 1) + datetime.timedelta(days=number)
    if isinstance(value, str):
        return f"stand-in-{number}"
    if isinstance(value, list) and all(isinstance(item, int) and not isinstance(item, bool) for item in value):
        return [2_100_000_000 + number]
    raise TypeError(f"a {type(value).__name__} is not a statement's argument: pass ids, UUIDs, dates or text")
