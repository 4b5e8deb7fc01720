"""The back office's rules for the counter: operators read every outlet's walk-in sales, returns and closes of day;
nothing there changes them (sales, returns and closes are made at the counter, in the outlet console)."""

from __future__ import annotations

from marketplace.accounts.models import Role
from marketplace.accounts.permissions import VIEW, Resource, register_model, scope_operator_only
from marketplace.counter.models import CounterReturn, CounterReturnLine, CounterSale, CounterSaleLine, DayClose

COUNTER = Resource("counter.counter_sale", grants={Role.OPERATOR: VIEW})

for model in (CounterSale, CounterSaleLine, CounterReturn, CounterReturnLine, DayClose):
    register_model(model, scope=scope_operator_only)
