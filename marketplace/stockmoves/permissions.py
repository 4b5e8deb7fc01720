"""The back office's rules for counts and transfers: operators read them (every change goes through the outlet
console's services, so nothing is edited here); outlet staff see their own in the console, not in the back office."""

from __future__ import annotations

from marketplace.accounts.models import Role
from marketplace.accounts.permissions import VIEW, Resource, register_model, scope_operator_only
from marketplace.stockmoves.models import StockCount, StockCountLine, StockTransfer

STOCK_COUNT = Resource("stockmoves.stock_count", grants={Role.OPERATOR: VIEW})
STOCK_TRANSFER = Resource("stockmoves.stock_transfer", grants={Role.OPERATOR: VIEW})

for model in (StockCount, StockCountLine, StockTransfer):
    register_model(model, scope=scope_operator_only)
