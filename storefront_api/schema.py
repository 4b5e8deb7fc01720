"""The storefront schema: Saleor's storefront queries over the certified catalogue, plus the OCOP extension."""

import graphene

from storefront_api.channel.queries import ChannelQueries
from storefront_api.producer.queries import ProducerQueries
from storefront_api.product.queries import ProductQueries


class Query(ChannelQueries, ProductQueries, ProducerQueries, graphene.ObjectType):
    pass


schema = graphene.Schema(query=Query)
