from typing import Unpack

from marketplace.accounts.models import User
from marketplace.orders.models import Order
from storefront_api.core.connection import PageArgs, paginate
from storefront_api.order.types import OrderCountableConnection


def resolve_user_orders(user: User, **page: Unpack[PageArgs]) -> OrderCountableConnection:
    orders = Order.objects.filter(user=user).select_related("channel", "collection_point", "shipping_method")
    return paginate(orders.order_by("-number"), OrderCountableConnection, name="orders", **page)
