"""Saleor's scalars shared by several domains."""

from __future__ import annotations

from typing import Any

import graphene
from graphql import GraphQLError


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
