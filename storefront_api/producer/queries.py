from __future__ import annotations

from typing import Unpack

import graphene
from django.db.models import QuerySet

from marketplace.catalogue.selectors import producers_with_listed_products
from marketplace.producers.models import Producer
from storefront_api.core.connection import CountableConnection, PageArgs, connection_page_args, paginate
from storefront_api.core.ids import resolve_global_id
from storefront_api.producer.types import ProducerCountableConnection, ProducerType


class ProducerQueries(graphene.ObjectType):
    producer = graphene.Field(
        ProducerType,
        id=graphene.Argument(graphene.ID, required=True, description="ID of the producer."),
        description="Look up a producer that sells at least one listed product.",
    )
    producers = graphene.Field(
        ProducerCountableConnection,
        description="Producers selling at least one listed product.",
        **connection_page_args(),
    )

    @staticmethod
    def resolve_producer(root: None, info: graphene.ResolveInfo, id: str) -> Producer | None:
        pk = resolve_global_id(id, only_type="Producer", field="id")
        return producers_with_listed_products().filter(pk=pk).first()

    @staticmethod
    def resolve_producers(root: None, info: graphene.ResolveInfo, **page: Unpack[PageArgs]) -> CountableConnection:
        queryset: QuerySet[Producer] = producers_with_listed_products().order_by("name", "pk")
        return paginate(queryset, ProducerCountableConnection, name="producers", **page)
