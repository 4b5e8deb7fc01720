"""The OCOP extension: the producer (an OCOP subject) behind a product, as the registry knows it."""

from __future__ import annotations

import graphene

from marketplace.producers.models import Producer, ProducerKind
from storefront_api.core.connection import CountableConnection
from storefront_api.core.execution import plain

ProducerKindEnum = graphene.Enum(
    "ProducerKindEnum", [(kind.name, kind.value) for kind in ProducerKind], description="The legal form of a producer."
)


class ProducerAddress(graphene.ObjectType):
    """The address as the registry gives it, and its commune and province after the July 2025 reorganisation."""

    line = graphene.String(required=True)
    commune = graphene.String(required=True)
    district = graphene.String(required=True)
    province = graphene.String(required=True)
    commune_today = graphene.String(required=True)
    province_today = graphene.String(required=True)


class ProducerType(graphene.ObjectType):
    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    kind = graphene.Field(ProducerKindEnum)
    address = graphene.Field(ProducerAddress, required=True)
    phone = graphene.String()

    class Meta:
        name = "Producer"
        interfaces = (graphene.relay.Node,)
        description = "An OCOP producer: an enterprise, cooperative, cooperative group or household business."

    @staticmethod
    @plain
    def resolve_kind(root: Producer, info: graphene.ResolveInfo) -> str | None:
        return root.kind or None

    @staticmethod
    @plain
    def resolve_address(root: Producer, info: graphene.ResolveInfo) -> ProducerAddress:
        return ProducerAddress(
            line=root.address_line,
            commune=root.address_commune,
            district=root.address_district,
            province=root.address_province,
            commune_today=root.commune_today,
            province_today=root.province_today,
        )

    @staticmethod
    @plain
    def resolve_phone(root: Producer, info: graphene.ResolveInfo) -> str | None:
        return root.phone or None


class ProducerCountableConnection(CountableConnection):
    class Meta:
        node = ProducerType
        strict_types = True
