"""Saleor's scalars that payments need: JSON (any value) and PositiveDecimal."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

import graphene
from graphene.types.generic import GenericScalar
from graphql import GraphQLError


class JSON(GenericScalar):
    """Any JSON value: object, list, string, number, boolean or null."""


class PositiveDecimal(graphene.Decimal):
    """Positive decimal scalar implementation. Should be used in places where value must be positive."""

    @staticmethod
    def parse_value(value: Any) -> Decimal:
        try:
            decimal = Decimal(str(value))
        except (InvalidOperation, ValueError) as error:
            raise GraphQLError(f"PositiveDecimal cannot represent value: {value!r}") from error
        if not decimal.is_finite() or decimal < 0:
            raise GraphQLError(f"PositiveDecimal cannot represent value: {value!r}")
        return decimal

    @classmethod
    def parse_literal(cls, node: Any, _variables: Any = None) -> Decimal:
        return cls.parse_value(getattr(node, "value", node))
