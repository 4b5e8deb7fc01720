"""The back office's rules for producers, and the province rule every row reached through a producer follows.

Producers come from the registry: operators change only the slug; trade staff see their province's, a
producer's staff their own. Nobody adds or deletes one here.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models
from django.db.models import Q, QuerySet

from marketplace.accounts.models import Role
from marketplace.accounts.permissions import VIEW, VIEW_CHANGE, Resource, register_model, role_of, within_scope
from marketplace.producers.models import PRODUCER_REGISTRY_FIELDS, Producer

_M = TypeVar("_M", bound=models.Model)

PRODUCER = Resource(
    "producers.producer",
    grants={Role.OPERATOR: VIEW_CHANGE, Role.TRADE_STAFF: VIEW, Role.PRODUCER_STAFF: VIEW},
    registry_fields=frozenset({"registry_id", *PRODUCER_REGISTRY_FIELDS}),
    editable_by={Role.OPERATOR: frozenset({"slug"})},
)


def producer_in_province(province: str, prefix: str = "") -> Q:
    """A producer belongs to a province by today's units, or by the registry's address when those are unknown.

    `prefix` is the path from the filtered model to the producer ("producer__", "product__producer__", ...).
    """
    return Q(**{f"{prefix}province_today": province}) | Q(
        **{f"{prefix}province_today": "", f"{prefix}address_province": province}
    )


def scope_through_producer(user: Any, qs: QuerySet[_M], prefix: str) -> QuerySet[_M]:
    """Rows reached through a producer: producer staff see their producer's, trade staff their province's."""
    role = role_of(user)
    if role == Role.OPERATOR:
        return qs
    if role == Role.PRODUCER_STAFF and user.producer_id:
        return qs.filter(**{f"{prefix}pk": user.producer_id})
    if role == Role.TRADE_STAFF and user.province:
        return qs.filter(producer_in_province(user.province, prefix))
    return qs.none()


def scope_producers(user: Any, qs: QuerySet[Producer]) -> QuerySet[Producer]:
    return scope_through_producer(user, qs, "")


register_model(Producer, scope=scope_producers, choices=within_scope)
