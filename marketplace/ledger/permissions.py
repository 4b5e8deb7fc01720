"""The back office's rules for the ledger: operators read the journal, make and pay payout runs and keep the
producers' bank details; no other role sees any of it there. A producer's staff read their own statement and edit
their own bank details in the portal (web/portal), trade staff the months' totals in their console (web/trade)."""

from __future__ import annotations

from marketplace.accounts.models import Role
from marketplace.accounts.permissions import VIEW, Action, Resource, register_model, scope_operator_only
from marketplace.ledger.models import Account, JournalEntry, PayoutDetails, PayoutLine, PayoutRun, Posting

JOURNAL = Resource("ledger.journal_entry", grants={Role.OPERATOR: VIEW})
PAYOUT_RUN = Resource("ledger.payout_run", grants={Role.OPERATOR: frozenset({Action.VIEW, Action.ADD})})
PAYOUT_DETAILS = Resource(
    "ledger.payout_details",
    grants={Role.OPERATOR: frozenset({Action.VIEW, Action.ADD, Action.CHANGE})},
    fixed_after_add=frozenset({"producer"}),
)

for model in (Account, JournalEntry, Posting, PayoutRun, PayoutLine, PayoutDetails):
    register_model(model, scope=scope_operator_only)
