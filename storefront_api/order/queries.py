import graphene

from marketplace.accounts.models import Role
from marketplace.orders.models import Order
from marketplace.orders.permissions import visible_orders
from storefront_api.account.middleware import info_user
from storefront_api.core.connection import connection_page_args, paginate
from storefront_api.core.ids import resolve_global_uuid
from storefront_api.order.types import (
    OrderCountableConnection,
    OrderStageEnum,
    OrderType,
    reveal_buyer_details,
)


def _user(info):
    return info_user(info)


class OrderQueries(graphene.ObjectType):
    order = graphene.Field(
        OrderType,
        id=graphene.ID(required=True, description="ID of an order."),
        description="Look up an order by ID, its receipt: anyone holding the id reads it, its buyer's e-mail, names, "
        "street and phone masked and no pickup code unless signed in as the buyer; staff only the orders they may see.",
    )
    orders = graphene.Field(
        OrderCountableConnection,
        stage=graphene.List(graphene.NonNull(OrderStageEnum), description="Only orders at these stages."),
        **connection_page_args(),
        description="Orders staff may see: an outlet's staff its pickups, a producer's staff the orders with its "
        "products, operators all. Newest first.",
    )

    @staticmethod
    def resolve_order(root, info, id):
        pk = resolve_global_uuid(id, only_type="Order", field="id")
        order = (
            Order.objects.select_related(
                "channel", "collection_point", "shipping_method", "billing_address", "shipping_address"
            )
            .filter(pk=pk)
            .first()
        )
        if order is None:
            return None
        user = _user(info)
        if user is None or user.role == Role.CONSUMER or order.user_id == user.pk:
            # The id is the receipt (`marketplace.orders.privacy`): anyone holding it reads the order, its buyer
            # in full only when signed in as the buyer, masked for anyone else, signed in or not.
            return order
        # Staff read only the orders they may see, with their buyer in full.
        return reveal_buyer_details(order) if visible_orders(user).filter(pk=order.pk).exists() else None

    @staticmethod
    def resolve_orders(root, info, stage=None, **page):
        orders = visible_orders(_user(info)).select_related("channel", "collection_point", "shipping_method")
        if stage:
            orders = orders.filter(status__in=[getattr(value, "value", value) for value in stage])
        connection = paginate(orders.order_by("-number"), OrderCountableConnection, name="orders", **page)
        for edge in connection.edges:  # staff's own orders to see, their buyers in full
            reveal_buyer_details(edge.node)
        return connection
