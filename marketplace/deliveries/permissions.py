"""The back office's rules for deliveries: operators read them (with their lines and the lots kept at outlets).
Cooperatives announce and follow their deliveries in the portal (web/portal), outlets receive them in the outlet
console (web/outletdesk); every change goes through `marketplace.deliveries.services`, never through the admin."""

from __future__ import annotations

from marketplace.accounts.models import Role
from marketplace.accounts.permissions import VIEW, Resource, register_model, scope_operator_only
from marketplace.deliveries.models import Delivery, DeliveryLine, StockLot

DELIVERY = Resource("deliveries.delivery", grants={Role.OPERATOR: VIEW})
STOCK_LOT = Resource("deliveries.stock_lot", grants={Role.OPERATOR: VIEW})

for model in (Delivery, DeliveryLine, StockLot):
    register_model(model, scope=scope_operator_only)
