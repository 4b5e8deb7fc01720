"""Writes from the consumer pages: a report of a suspected misuse of an OCOP label; the public doors' limits.

Both public forms are limited per client address with `marketplace.core.throttling`: filing misuse reports
(`OCOP_MISUSE_REPORTS_PER_WINDOW` in `OCOP_MISUSE_REPORT_WINDOW_SECONDS`), and looking up certificate numbers
that do not exist (`OCOP_VERIFY_MAX_MISSES` in `OCOP_VERIFY_MISS_WINDOW_SECONDS`: guessing numbers, not
checking a label).
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from marketplace.certification.models import Certification, MisuseReport
from marketplace.core.text import clean_text
from marketplace.core.throttling import Rule, Throttled, attempt_start, attempt_succeeded
from web.selectors import certificate_by_id


class MisuseReportRateLimited(Exception):
    """Too many reports from one address in the window: a flood, not a witness."""


def misuse_report_rule() -> Rule:
    return Rule("misuse-report", settings.OCOP_MISUSE_REPORTS_PER_WINDOW, settings.OCOP_MISUSE_REPORT_WINDOW_SECONDS)


def verify_miss_rule() -> Rule:
    return Rule("verify-miss", settings.OCOP_VERIFY_MAX_MISSES, settings.OCOP_VERIFY_MISS_WINDOW_SECONDS)


def certificate_look_up(*, certificate_id: str, client_address: str) -> Certification | None:
    """The certificate of this number, counted against the address when there is none.

    Raises `Throttled` once the address has looked up too many numbers that do not exist in the window; from
    then on until the window ends, every lookup from it is refused, existing numbers too.
    """
    attempt = attempt_start(verify_miss_rule(), subjects={"address": client_address})
    certificate = certificate_by_id(certificate_id=certificate_id)
    if certificate is not None:
        attempt_succeeded(attempt)
    return certificate


def misuse_report_file(
    *,
    certificate_id: str,
    place: str,
    description: str,
    reporter_name: str = "",
    reporter_contact: str = "",
    language_code: str = "vi",
    client_address: str,
) -> MisuseReport:
    """File a report for trade staff; the certificate and its product are linked when the id is known.

    Raises MisuseReportRateLimited when `client_address` has filed too many reports in the window.
    Text is normalised (NFC, no markup, no control characters) on the way in.
    """
    try:
        attempt_start(misuse_report_rule(), subjects={"address": client_address or "unknown"})
    except Throttled:
        raise MisuseReportRateLimited from None
    typed = clean_text(certificate_id) or ""
    certification = certificate_by_id(certificate_id=typed)
    with transaction.atomic():
        return MisuseReport.objects.create(
            certificate_id=typed[:64],
            certification=certification,
            product=certification.product if certification else None,
            place=(clean_text(place) or "")[:500],
            description=clean_text(description, multiline=True) or "",
            reporter_name=(clean_text(reporter_name) or "")[:255],
            reporter_contact=(clean_text(reporter_contact) or "")[:255],
            language_code=(language_code or "vi")[:8],
        )
