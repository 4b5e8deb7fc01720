import datetime
from collections.abc import Iterable

from django.db.models import F, Q

from marketplace.certification.models import MAX_STARS, MIN_LISTED_STARS, Certification, CertificationStatus
from marketplace.core.db import AnyOf
from marketplace.core.statements import Statement


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


_CERTIFICATIONS_OF_PRODUCTS = Statement(
    lambda product_ids: (
        Certification.objects.filter(AnyOf("product_id", product_ids))
        .defer("raw")
        .order_by("product_id", F("valid_from").desc(nulls_last=True), "-decision_date", "-certificate_id")
    )
)


def certifications_of_products(*, product_ids: Iterable[int]) -> list[Certification]:
    """Every certificate these products ever held (the rating history), newest first."""
    return _CERTIFICATIONS_OF_PRODUCTS(product_ids=list(product_ids))
