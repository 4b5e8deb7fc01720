from typing import Unpack

from marketplace.accounts.models import User
from marketplace.orders.selectors import orders_of_user
from storefront_api.core.connection import PageArgs, paginate
from storefront_api.order.types import OrderCountableConnection


def resolve_user_orders(user: User, **page: Unpack[PageArgs]) -> OrderCountableConnection:
    return paginate(orders_of_user(user=user), OrderCountableConnection, name="orders", **page)
