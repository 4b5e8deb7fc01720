"""The back office's rules for home delivery: operators set up the zones and their methods."""

from __future__ import annotations

from marketplace.accounts.models import Role
from marketplace.accounts.permissions import ALL, Resource, register_model, scope_operator_only
from marketplace.shipping.models import ShippingMethod, ShippingZone

SHIPPING_ZONE = Resource("shipping.shipping_zone", grants={Role.OPERATOR: ALL})

register_model(ShippingZone, scope=scope_operator_only)
register_model(ShippingMethod, scope=scope_operator_only)
