"""The back office's rules for payments: operators see them as the gateways reported them, and change nothing."""

from __future__ import annotations

from marketplace.accounts.models import Role
from marketplace.accounts.permissions import VIEW, Resource, register_model, scope_operator_only
from payments.models import BankCredit, StatementImport, TransactionEvent, TransactionItem, TransferRefund

PAYMENT = Resource("payments.payment", grants={Role.OPERATOR: VIEW})
# Bank credits, statements and refunds owed are read in the back office and changed only through the transfer
# services' own screens (payments.admin), never edited field by field.
TRANSFER = Resource("payments.transfer", grants={Role.OPERATOR: VIEW})

register_model(TransactionItem, scope=scope_operator_only)
register_model(TransactionEvent, scope=scope_operator_only)
register_model(BankCredit, scope=scope_operator_only)
register_model(StatementImport, scope=scope_operator_only)
register_model(TransferRefund, scope=scope_operator_only)
