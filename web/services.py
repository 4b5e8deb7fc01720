"""Writes from the consumer pages: a report of a suspected misuse of an OCOP label."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from marketplace.certification.models import MisuseReport
from marketplace.core.text import clean_text
from web.selectors import certificate_by_id

# At most this many reports per client address in the window (settings may override both).
MISUSE_REPORTS_PER_WINDOW = 5
MISUSE_REPORT_WINDOW_SECONDS = 3600


class MisuseReportRateLimited(Exception):
    """Too many reports from one address in the window: a flood, not a witness."""


def _rate_key(address: str) -> str:
    return f"misuse-reports:address:{hashlib.sha256(address.encode()).hexdigest()[:32]}"


def _limit() -> tuple[int, int]:
    return (
        getattr(settings, "OCOP_MISUSE_REPORTS_PER_WINDOW", MISUSE_REPORTS_PER_WINDOW),
        getattr(settings, "OCOP_MISUSE_REPORT_WINDOW_SECONDS", MISUSE_REPORT_WINDOW_SECONDS),
    )


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
    most, window = _limit()
    key = _rate_key(client_address or "unknown")
    cache.add(key, 0, window)
    if cache.incr(key) > most:
        raise MisuseReportRateLimited
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
