import datetime

from django.db.models import Q

from marketplace.certification.models import MAX_STARS, MIN_LISTED_STARS, CertificationStatus


def valid_certification_q(day: datetime.date, prefix: str = "") -> Q:
    """The gate as a query: active, 3–5 stars, not quarantined, and `day` within its validity."""
    p = prefix
    starts_by_day = (Q(**{f"{p}valid_from__isnull": False}) & Q(**{f"{p}valid_from__lte": day})) | (
        Q(**{f"{p}valid_from__isnull": True})
        & (Q(**{f"{p}decision_date__isnull": True}) | Q(**{f"{p}decision_date__lte": day}))
    )
    return (
        Q(**{f"{p}status": CertificationStatus.ACTIVE})
        & Q(**{f"{p}stars__gte": MIN_LISTED_STARS, f"{p}stars__lte": MAX_STARS})
        & Q(**{f"{p}quarantined_revision__isnull": True})
        & Q(**{f"{p}valid_until__gte": day})
        & starts_by_day
    )
