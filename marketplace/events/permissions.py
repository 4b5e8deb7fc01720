"""The back office's rules for events: operators and the province's trade staff create and run them."""

from __future__ import annotations

from marketplace.accounts.models import Role
from marketplace.accounts.permissions import ALL, Resource, register_model, scope_province_wide
from marketplace.events.models import Event

EVENT = Resource("events.event", grants={Role.OPERATOR: ALL, Role.TRADE_STAFF: ALL})

register_model(Event, scope=scope_province_wide)
