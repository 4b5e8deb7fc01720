"""Saleor's scalars shared by several domains."""

from __future__ import annotations

from decimal import Decimal as _Decimal
from typing import Any

import graphene
from graphql import FloatValueNode, GraphQLError


class PositiveInt(graphene.Int):
    """Positive integer scalar implementation. Should be used in places where value must be positive."""

    @staticmethod
    def parse_value(value: Any) -> int:
        parsed = graphene.Int.parse_value(value)
        if not isinstance(parsed, int) or parsed <= 0:
            raise GraphQLError(f"PositiveInt cannot represent value: {value!r}")
        return parsed

    @classmethod
    def parse_literal(cls, node: Any, _variables: Any = None) -> int:
        parsed = graphene.Int.parse_literal(node)
        if not isinstance(parsed, int) or parsed <= 0:
            raise GraphQLError(f"PositiveInt cannot represent value: {getattr(node, 'value', node)!r}")
        return parsed


class Decimal(graphene.Decimal):
    """Saleor's Decimal: a number or a numeric string, e.g. an amount in đồng."""

    # Never NaN or infinite (Saleor's refuses them too): no amount is, and the database's comparisons cannot take them.
    @staticmethod
    def parse_value(value: Any) -> Any:
        try:
            parsed = _Decimal(str(value)) if isinstance(value, int | float) else _Decimal(value)
        except (ArithmeticError, ValueError, TypeError):
            raise GraphQLError(f"Decimal cannot represent value: {value!r}") from None
        if not parsed.is_finite():
            raise GraphQLError(f"Decimal cannot represent value: {value!r}")
        return parsed

    @classmethod
    def parse_literal(cls, node: Any, _variables: Any = None) -> Any:
        if isinstance(node, FloatValueNode):
            return cls.parse_value(node.value)
        return super().parse_literal(node, _variables)
