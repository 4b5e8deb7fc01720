"""The storefront schema: Saleor's storefront queries over the certified catalogue, plus the OCOP extension."""

import graphene

from storefront_api.attribute.queries import AttributeQueries
from storefront_api.channel.queries import ChannelQueries
from storefront_api.collection.queries import CollectionQueries
from storefront_api.producer.queries import ProducerQueries
from storefront_api.product.queries import ProductQueries
from storefront_api.search.queries import SearchQueries


class Query(
    ChannelQueries,
    ProductQueries,
    SearchQueries,
    AttributeQueries,
    CollectionQueries,
    ProducerQueries,
    graphene.ObjectType,
):
    pass


schema = graphene.Schema(query=Query)
