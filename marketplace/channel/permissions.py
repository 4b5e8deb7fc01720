"""The back office's rules for sales channels: operators' alone."""

from __future__ import annotations

from marketplace.accounts.models import Role
from marketplace.accounts.permissions import ALL, Resource, register_model, scope_operator_only
from marketplace.channel.models import Channel

CHANNEL = Resource("channel.channel", grants={Role.OPERATOR: ALL})

register_model(Channel, scope=scope_operator_only)
