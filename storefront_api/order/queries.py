import graphene

from marketplace.accounts.models import Role
from marketplace.orders.models import Order
from marketplace.orders.permissions import visible_orders
from storefront_api.account.middleware import info_user
from storefront_api.core.connection import connection_page_args, paginate
from storefront_api.core.errors import StorefrontError
from storefront_api.core.ids import resolve_global_uuid
from storefront_api.order.types import OrderCountableConnection, OrderStageEnum, OrderType


def _user(info):
    return info_user(info)


class OrderQueries(graphene.ObjectType):
    order = graphene.Field(
        OrderType,
        id=graphene.ID(required=True, description="ID of an order."),
        description="Look up an order by ID: its buyer (the id is the guest's receipt), or staff who may see it.",
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
        try:
            pk = resolve_global_uuid(id, only_type="Order", field="id")
        except StorefrontError:
            raise
        order = Order.objects.select_related("channel", "collection_point", "shipping_method").filter(pk=pk).first()
        if order is None:
            return None
        user = _user(info)
        if user is None or user.role == Role.CONSUMER:
            # Guests hold the order's id as their receipt; a logged-in buyer sees only their own.
            return order if user is None or order.user_id in (None, user.pk) else None
        return order if visible_orders(user).filter(pk=order.pk).exists() else None

    @staticmethod
    def resolve_orders(root, info, stage=None, **page):
        orders = visible_orders(_user(info)).select_related("channel", "collection_point", "shipping_method")
        if stage:
            orders = orders.filter(status__in=[getattr(value, "value", value) for value in stage])
        return paginate(orders.order_by("-number"), OrderCountableConnection, name="orders", **page)
