"""What the department of trade changes: the misuse reports filed with the province. Nothing the registry owns."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.accounts.models import Role, User
from marketplace.accounts.permissions import role_of
from marketplace.certification.models import MisuseReport, MisuseReportStatus
from marketplace.core.errors import DomainError, PermissionDenied
from marketplace.core.text import clean_text
from web.trade.error_codes import TradeErrorCode
from web.trade.selectors import misuse_reports

CLOSING_STATUSES = (MisuseReportStatus.HANDLED, MisuseReportStatus.DISMISSED)


def misuse_report_handle(*, report: MisuseReport, by_user: User, status: str, resolution: str) -> MisuseReport:
    """Close a new report as handled or dismissed, saying what was done; records who closed it and when."""
    with transaction.atomic():
        if role_of(by_user) not in (Role.TRADE_STAFF, Role.OPERATOR):
            raise PermissionDenied(_("Only department of trade staff handle misuse reports."))
        locked = (
            misuse_reports(user=by_user)
            .select_related(None)
            .select_for_update(of=("self",))
            .filter(pk=report.pk)
            .first()
        )
        if locked is None:
            raise PermissionDenied(_("This report is not about a product of your province."))
        if status not in CLOSING_STATUSES:
            raise DomainError(_("Choose handled or dismissed."), code=TradeErrorCode.INVALID, field="status")
        text = clean_text(resolution, multiline=True) or ""
        if not text:
            raise DomainError(_("Say what was done."), code=TradeErrorCode.REQUIRED, field="resolution")
        if locked.status != MisuseReportStatus.NEW:
            raise DomainError(
                _("This report was already closed (%(status)s).") % {"status": locked.get_status_display()},
                code=TradeErrorCode.ALREADY_HANDLED,
                field="status",
            )
        locked.status = status
        locked.resolution = text
        locked.handled_by = by_user
        locked.handled_at = timezone.now()
        locked.save(update_fields=["status", "resolution", "handled_by", "handled_at"])
    return locked
