"""What trade staff do with fairs and rating rounds: publish a round's announcement."""

from __future__ import annotations

import hashlib

from django.db import IntegrityError, transaction

from marketplace.accounts.models import Role, User
from marketplace.accounts.permissions import role_of
from marketplace.core.errors import DomainError, PermissionDenied
from marketplace.core.text import slugify_vi
from marketplace.events.error_codes import EventErrorCode
from marketplace.events.models import RatingAnnouncement
from marketplace.events.selectors import rating_round


def rating_round_publish(*, decision_number: str, by_user: User) -> RatingAnnouncement:
    """The announcement of the rating round of `decision_number` (a decision the registry's certificates carry),
    published now; the one already published, if any (publishing twice changes nothing)."""
    if role_of(by_user) not in (Role.TRADE_STAFF, Role.OPERATOR):
        raise PermissionDenied("Only department of trade staff publish rating rounds.")
    found = rating_round(user=by_user, decision_number=decision_number)
    if found is None:
        raise DomainError(
            "No certificate of your province carries this decision number.",
            code=EventErrorCode.NOT_FOUND,
            field="decision",
        )
    existing = RatingAnnouncement.objects.filter(decision_number=decision_number).first()
    if existing is not None:
        return existing
    slug = slugify_vi(decision_number, max_length=140) or "quyet-dinh"
    if RatingAnnouncement.objects.filter(slug=slug).exists():  # another decision written alike ("12/QĐ", "12-QĐ")
        slug = f"{slug}-{hashlib.sha256(decision_number.encode()).hexdigest()[:8]}"
    try:
        with transaction.atomic():
            return RatingAnnouncement.objects.create(
                decision_number=decision_number, decision_date=found.decision_date, slug=slug, published_by=by_user
            )
    except IntegrityError:  # published a moment ago by another request
        return RatingAnnouncement.objects.get(decision_number=decision_number)
