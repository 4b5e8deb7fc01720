"""The back office's rules for the sync's records: sync runs, quarantined records and the feed's cursor.

They are the registry's (the province's own, so not split by province): read-only for everyone; operators
and trade staff with a province see them, and only operators the cursor.
"""

from __future__ import annotations

from catalog_sync.models import QuarantinedRecord, RegistryCursor, SyncRun
from marketplace.accounts.models import Role
from marketplace.accounts.permissions import VIEW, Resource, register_model, scope_province_wide

SYNC_RUN = Resource("catalog_sync.sync_run", grants={Role.OPERATOR: VIEW, Role.TRADE_STAFF: VIEW}, registry_owned=True)
QUARANTINED_RECORD = Resource(
    "catalog_sync.quarantined_record", grants={Role.OPERATOR: VIEW, Role.TRADE_STAFF: VIEW}, registry_owned=True
)
REGISTRY_CURSOR = Resource("catalog_sync.registry_cursor", grants={Role.OPERATOR: VIEW}, registry_owned=True)

register_model(SyncRun, scope=scope_province_wide)
register_model(QuarantinedRecord, scope=scope_province_wide)
register_model(RegistryCursor, scope=scope_province_wide)
