"""The order's life after checkout: outlet staff make pickups ready and hand them over against the code,
producers ship their parts of delivery orders, operators confirm deliveries, and orders are canceled."""

import graphene

from marketplace.core.errors import DomainError, PermissionDenied
from marketplace.orders import services
from marketplace.orders.error_codes import OrderErrorCode
from marketplace.orders.models import Fulfillment, Order
from marketplace.outlets.models import Outlet
from storefront_api.account.middleware import info_user
from storefront_api.core.errors import StorefrontError
from storefront_api.core.ids import resolve_global_id, resolve_global_uuid
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


def _staff(info):
    user = info_user(info)
    if user is None:
        raise PermissionDenied("Log in first.")
    return user


def _order(id: str) -> Order:
    try:
        pk = resolve_global_uuid(id, only_type="Order", field="id")
    except StorefrontError as error:
        raise DomainError(error.message, code=OrderErrorCode.GRAPHQL_ERROR, field="id") from None
    order = Order.objects.filter(pk=pk).first()
    if order is None:
        raise DomainError(f"Couldn't resolve to a node: {id}", code=OrderErrorCode.NOT_FOUND, field="id")
    return order


class OrderMutation(BaseMutation):
    order = graphene.Field(OrderType)
    errors = graphene.List(graphene.NonNull(OrderError), required=True)

    error_type = OrderError

    class Meta:
        abstract = True


class OrderMarkReadyForPickup(OrderMutation):
    """Outlet staff: the order is put aside. The buyer gets an e-mail with the pickup code and the last day."""

    class Arguments:
        id = graphene.ID(required=True, description="ID of the order.")

    @classmethod
    def perform_mutation(cls, root, info, id):
        user = _staff(info)
        return cls(order=services.order_mark_ready_for_pickup(order=_order(id), by_user=user))


class OrderPickUp(OrderMutation):
    """Outlet staff at the counter: the buyer's pickup code (typed or scanned) releases the order. A cash
    order must be paid in full (`cashAmount`). A wrong code, another outlet's order or a second handover is
    refused."""

    class Arguments:
        pickup_code = graphene.String(required=True, description="The 6-character code, or the QR code's text.")
        outlet_id = graphene.ID(description="The counter's outlet (`Warehouse` id); defaults to the staff's outlet.")
        cash_amount = graphene.Int(description="Cash taken at the counter, in đồng, for orders paid at pickup.")

    @classmethod
    def perform_mutation(cls, root, info, pickup_code, outlet_id=None, cash_amount=None):
        user = _staff(info)
        if outlet_id:
            try:
                outlet_pk = resolve_global_id(outlet_id, only_type="Warehouse", field="outletId")
            except StorefrontError as error:
                raise DomainError(error.message, code=OrderErrorCode.GRAPHQL_ERROR, field="outletId") from None
        else:
            outlet_pk = user.outlet_id
        outlet = Outlet.objects.filter(pk=outlet_pk).first() if outlet_pk else None
        if outlet is None:
            raise DomainError("Say which outlet's counter this is.", code=OrderErrorCode.REQUIRED, field="outletId")
        from payments.services import order_hand_over_with_cash

        order = order_hand_over_with_cash(outlet=outlet, code=pickup_code, by_user=user, cash_amount=cash_amount)
        return cls(order=order)


class FulfillmentMarkShipped(OrderMutation):
    """Producer staff: their part of a delivery order has been sent."""

    class Arguments:
        id = graphene.ID(required=True, description="ID of the fulfilment.")
        tracking_number = graphene.String(description="The courier's tracking number.")

    @classmethod
    def perform_mutation(cls, root, info, id, tracking_number=""):
        user = _staff(info)
        try:
            pk = resolve_global_id(id, only_type="Fulfillment", field="id")
        except StorefrontError as error:
            raise DomainError(error.message, code=OrderErrorCode.GRAPHQL_ERROR, field="id") from None
        fulfillment = Fulfillment.objects.select_related("order").filter(pk=pk).first()
        if fulfillment is None:
            raise DomainError(f"Couldn't resolve to a node: {id}", code=OrderErrorCode.NOT_FOUND, field="id")
        order = services.fulfillment_mark_shipped(
            fulfillment=fulfillment, by_user=user, tracking_number=tracking_number or ""
        )
        return cls(order=order)


class OrderMarkDelivered(OrderMutation):
    """Operators: the courier delivered the order (taking `cashAmount` for cash on delivery)."""

    class Arguments:
        id = graphene.ID(required=True, description="ID of the order.")
        cash_amount = graphene.Int(description="Cash collected on delivery, in đồng.")

    @classmethod
    def perform_mutation(cls, root, info, id, cash_amount=None):
        user = _staff(info)
        order = _order(id)
        if cash_amount is not None:
            from payments.services import order_record_cash_on_delivery

            order = order_record_cash_on_delivery(order=order, by_user=user, cash_amount=cash_amount)
        return cls(order=services.order_mark_delivered(order=order, by_user=user))


class OrderCancel(OrderMutation):
    """Cancel an order not yet handed over or shipped: stock is released and payments refunded. Buyers may
    cancel their own orders until they are ready; staff their outlet's; operators any."""

    class Arguments:
        id = graphene.ID(required=True, description="ID of the order to cancel.")

    @classmethod
    def perform_mutation(cls, root, info, id):
        user = _staff(info)
        return cls(order=services.order_cancel(order=_order(id), by_user=user, reason="canceled"))
