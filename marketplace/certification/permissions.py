"""The back office's rules for certificates: the registry's, read-only for everyone, scoped through the producer."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from marketplace.accounts.models import Role
from marketplace.accounts.permissions import VIEW, Resource, register_model
from marketplace.certification.models import Certification
from marketplace.producers.permissions import scope_through_producer

CERTIFICATION = Resource(
    "certification.certification",
    grants={Role.OPERATOR: VIEW, Role.TRADE_STAFF: VIEW, Role.PRODUCER_STAFF: VIEW},
    registry_owned=True,
)


def scope_certifications(user: Any, qs: QuerySet[Certification]) -> QuerySet[Certification]:
    return scope_through_producer(user, qs, "producer__")


register_model(Certification, scope=scope_certifications)
