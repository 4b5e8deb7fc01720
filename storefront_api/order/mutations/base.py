"""What every order mutation shares: `OrderError`, the signed-in staff user, and the order found by its id."""

from __future__ import annotations

import graphene

from marketplace.accounts.models import User
from marketplace.core.errors import DomainError, PermissionDenied
from marketplace.orders.error_codes import OrderErrorCode
from marketplace.orders.models import Order
from storefront_api.account.middleware import info_user
from storefront_api.core.errors import StorefrontError
from storefront_api.core.ids import resolve_global_uuid
from storefront_api.core.mutations import BaseMutation, error_type
from storefront_api.order.types import OrderType

OrderErrorCodeEnum = graphene.Enum.from_enum(OrderErrorCode, name="OrderErrorCode")
OrderError = error_type(
    "OrderError",
    OrderErrorCodeEnum,
    extra={
        "warehouse": graphene.ID(description="Warehouse ID which causes the error."),
        "order_lines": graphene.List(graphene.NonNull(graphene.ID), description="List of order line IDs."),
        "variants": graphene.List(graphene.NonNull(graphene.ID), description="List of product variant IDs."),
    },
)


def signed_in_user(info: graphene.ResolveInfo) -> User:
    """The signed-in user; whether they may act on the order is the service's to decide."""
    user = info_user(info)
    if user is None:
        raise PermissionDenied("Log in first.")
    return user


def order_by_id(id: str) -> Order:
    try:
        pk = resolve_global_uuid(id, only_type="Order", field="id")
    except StorefrontError as error:
        raise DomainError(error.message, code=OrderErrorCode.GRAPHQL_ERROR, field="id") from None
    order = Order.objects.filter(pk=pk).first()
    if order is None:
        raise DomainError(f"Couldn't resolve to a node: {id}", code=OrderErrorCode.NOT_FOUND, field="id")
    return order


class OrderMutation(BaseMutation):
    """Returns `order` (after the change) and `errors`."""

    order = graphene.Field(OrderType)
    errors = graphene.List(graphene.NonNull(OrderError), required=True)

    error_type = OrderError

    class Meta:
        abstract = True
