"""The storefront schema: Saleor's storefront queries over the certified catalogue, plus the OCOP extension."""

import graphene

from storefront_api.account.mutations import AccountMutations
from storefront_api.account.queries import AccountQueries
from storefront_api.attribute.assigned import ASSIGNED_ATTRIBUTE_TYPES
from storefront_api.attribute.queries import AttributeQueries
from storefront_api.channel.queries import ChannelQueries
from storefront_api.checkout.mutations import CheckoutMutations
from storefront_api.checkout.queries import CheckoutQueries
from storefront_api.collection.queries import CollectionQueries
from storefront_api.core.directives import DIRECTIVES
from storefront_api.menu.queries import MenuQueries
from storefront_api.meta.mutations import MetaMutations
from storefront_api.order.mutations import OrderMutations
from storefront_api.order.queries import OrderQueries
from storefront_api.page.queries import PageQueries
from storefront_api.payment.mutations import PaymentMutations
from storefront_api.producer.queries import ProducerQueries
from storefront_api.product.queries import ProductQueries
from storefront_api.search.queries import SearchQueries
from storefront_api.warehouse.types import ShippingMethodType, Warehouse


class Query(
    ChannelQueries,
    ProductQueries,
    SearchQueries,
    AttributeQueries,
    CollectionQueries,
    ProducerQueries,
    AccountQueries,
    CheckoutQueries,
    OrderQueries,
    MenuQueries,
    PageQueries,
    graphene.ObjectType,
):
    pass


class Mutation(
    AccountMutations, CheckoutMutations, MetaMutations, OrderMutations, PaymentMutations, graphene.ObjectType
):
    pass


schema = graphene.Schema(
    query=Query,
    mutation=Mutation,
    types=[Warehouse, ShippingMethodType, *ASSIGNED_ATTRIBUTE_TYPES],
    directives=DIRECTIVES,
)
