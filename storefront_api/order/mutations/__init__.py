"""The order's life after checkout: outlet staff make pickups ready and hand them over against the code,
producers ship their parts of delivery orders, operators confirm deliveries, and orders are canceled."""

import graphene

from storefront_api.order.mutations.fulfillment_mark_shipped import FulfillmentMarkShipped
from storefront_api.order.mutations.order_cancel import OrderCancel
from storefront_api.order.mutations.order_mark_delivered import OrderMarkDelivered
from storefront_api.order.mutations.order_mark_ready_for_pickup import OrderMarkReadyForPickup
from storefront_api.order.mutations.order_pick_up import OrderPickUp


class OrderMutations(graphene.ObjectType):
    order_mark_ready_for_pickup = OrderMarkReadyForPickup.Field()
    order_pick_up = OrderPickUp.Field()
    fulfillment_mark_shipped = FulfillmentMarkShipped.Field()
    order_mark_delivered = OrderMarkDelivered.Field()
    order_cancel = OrderCancel.Field()
