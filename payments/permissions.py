"""The back office's rules for payments: operators see them as the gateways reported them, and change nothing."""

from __future__ import annotations

from marketplace.accounts.models import Role
from marketplace.accounts.permissions import VIEW, Resource, register_model, scope_operator_only
from payments.models import TransactionEvent, TransactionItem

PAYMENT = Resource("payments.payment", grants={Role.OPERATOR: VIEW})

register_model(TransactionItem, scope=scope_operator_only)
register_model(TransactionEvent, scope=scope_operator_only)
