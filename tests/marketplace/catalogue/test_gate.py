"""The catalogue gate's two pure functions, tested directly: `decide_listing` and `delisting_reason`.

No database: products and certificates are unsaved instances, and every date is counted from
`TODAY`, passed explicitly (the real clock is never read).
"""

import datetime
import itertools

import pytest

from marketplace.catalogue.models import ListingReason, ListingState, Product
from marketplace.catalogue.services import ListingDecision, decide_listing, delisting_reason
from marketplace.certification.models import Certification, CertificationStatus

TODAY = datetime.date(2026, 6, 15)
_pks = itertools.count(1)


def days(n: int) -> datetime.date:
    """The day `n` days from TODAY (negative: before it)."""
    return TODAY + datetime.timedelta(days=n)


A_MONTH_AGO = days(-30)
IN_TEN_MONTHS = days(300)


def certificate(
    *,
    stars: int = 4,
    status: str = CertificationStatus.ACTIVE,
    valid_from: datetime.date | None = A_MONTH_AGO,
    valid_until: datetime.date = IN_TEN_MONTHS,
    decision_date: datetime.date | None = None,
    quarantined_revision: int | None = None,
    updated_minute: int = 0,
    certificate_id: str | None = None,
) -> Certification:
    pk = next(_pks)
    return Certification(
        pk=pk,
        certificate_id=certificate_id or f"OCOP-{pk:04d}",
        revision=1,
        registry_updated_at=datetime.datetime(2026, 1, 1, 8, updated_minute, tzinfo=datetime.UTC),
        status=status,
        stars=stars,
        valid_from=valid_from,
        valid_until=valid_until,
        decision_date=decision_date,
        quarantined_revision=quarantined_revision,
    )


def product(state: str = ListingState.DRAFT, *, listed_under: Certification | None = None) -> Product:
    return Product(pk=next(_pks), listing_state=state, current_certification=listed_under)


def decide(item: Product, *certifications: Certification, current: Certification | None = None) -> ListingDecision:
    return decide_listing(product=item, certifications=certifications, current=current, today=TODAY)


# --- listing -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("stars", [3, 4, 5])
def test_a_valid_certificate_of_three_to_five_stars_lists_a_new_product(stars):
    valid = certificate(stars=stars)

    assert decide(product(), valid) == ListingDecision(ListingState.LISTED, valid, ListingReason.CERTIFIED)


def test_a_delisted_product_with_a_valid_certificate_again_is_relisted():
    valid = certificate()

    decision = decide(product(ListingState.DELISTED), valid)

    assert decision == ListingDecision(ListingState.LISTED, valid, ListingReason.RELISTED)


def test_a_listed_product_still_under_its_valid_certificate_records_nothing():
    valid = certificate()

    decision = decide(product(ListingState.LISTED, listed_under=valid), valid, current=valid)

    assert decision == ListingDecision(ListingState.LISTED, valid, None)


def test_a_newer_valid_certificate_replaces_the_one_a_product_is_listed_under():
    older = certificate(valid_from=days(-400))
    newer = certificate(valid_from=days(-10))

    decision = decide(product(ListingState.LISTED, listed_under=older), older, newer, current=older)

    assert decision == ListingDecision(ListingState.LISTED, newer, ListingReason.RECERTIFIED)


def test_a_listed_product_whose_certificate_moved_to_another_product_is_recertified_under_its_own():
    moved_away = certificate()
    own = certificate()

    decision = decide(product(ListingState.LISTED, listed_under=moved_away), own, current=moved_away)

    assert decision == ListingDecision(ListingState.LISTED, own, ListingReason.RECERTIFIED)


def test_a_listed_product_with_no_current_certificate_but_a_valid_one_is_recertified():
    valid = certificate()

    decision = decide(product(ListingState.LISTED), valid, current=None)

    assert decision == ListingDecision(ListingState.LISTED, valid, ListingReason.RECERTIFIED)


def test_among_valid_certificates_the_latest_to_start_wins_then_the_latest_registry_update_then_the_id():
    early = certificate(valid_from=days(-200), updated_minute=59)
    late_updated_first = certificate(valid_from=days(-5), updated_minute=1, certificate_id="OCOP-B")
    late_updated_last = certificate(valid_from=days(-5), updated_minute=2, certificate_id="OCOP-A")
    same_update_higher_id = certificate(valid_from=days(-5), updated_minute=2, certificate_id="OCOP-C")

    assert decide(product(), early, late_updated_first).certification is late_updated_first
    assert decide(product(), early, late_updated_first, late_updated_last).certification is late_updated_last
    chosen = decide(product(), late_updated_last, same_update_higher_id, early).certification
    assert chosen is same_update_higher_id


def test_an_invalid_certificate_beside_a_valid_one_does_not_stop_the_listing():
    valid = certificate()

    decision = decide(product(), certificate(status=CertificationStatus.REVOKED), certificate(stars=2), valid)

    assert decision == ListingDecision(ListingState.LISTED, valid, ListingReason.CERTIFIED)


# --- validity boundaries (both ends inclusive) ---------------------------------------------------------------


def test_a_certificate_is_still_valid_on_its_last_day():
    last_day = certificate(valid_until=TODAY)

    assert decide(product(), last_day).state == ListingState.LISTED


def test_a_certificate_is_valid_on_its_first_day():
    first_day = certificate(valid_from=TODAY)

    assert decide(product(), first_day).state == ListingState.LISTED


def test_a_certificate_that_ended_yesterday_lists_nothing():
    ended = certificate(valid_until=days(-1))

    assert decide(product(), ended) == ListingDecision(ListingState.DRAFT, None, None)


def test_a_certificate_that_starts_tomorrow_lists_nothing_yet():
    starts_tomorrow = certificate(valid_from=days(1))

    assert decide(product(), starts_tomorrow) == ListingDecision(ListingState.DRAFT, None, None)


def test_without_valid_from_a_certificate_is_valid_from_its_decision_date():
    decided_today = certificate(valid_from=None, decision_date=TODAY)
    decided_tomorrow = certificate(valid_from=None, decision_date=days(1))

    assert decide(product(), decided_today).state == ListingState.LISTED
    assert decide(product(), decided_tomorrow).state == ListingState.DRAFT


def test_without_valid_from_nor_decision_date_a_certificate_is_valid_until_its_end():
    undated = certificate(valid_from=None, decision_date=None)

    assert decide(product(), undated).state == ListingState.LISTED


@pytest.mark.parametrize("stars", [0, 1, 2, 6])
def test_a_rating_outside_three_to_five_stars_lists_nothing(stars):
    assert decide(product(), certificate(stars=stars)) == ListingDecision(ListingState.DRAFT, None, None)


# --- delisting: what decide_listing does with a listed product --------------------------------------------------


@pytest.mark.parametrize(
    ("listed_under", "reason"),
    [
        (lambda: certificate(valid_until=days(-1)), ListingReason.CERTIFICATE_EXPIRED),
        (lambda: certificate(status=CertificationStatus.EXPIRED), ListingReason.CERTIFICATE_EXPIRED),
        (lambda: certificate(status=CertificationStatus.REVOKED), ListingReason.REVOKED),
        (lambda: certificate(status=CertificationStatus.SUSPENDED), ListingReason.SUSPENDED),
        (lambda: certificate(status=CertificationStatus.SUPERSEDED), ListingReason.SUPERSEDED),
        (lambda: certificate(stars=2), ListingReason.DOWNGRADED),
        (lambda: certificate(valid_from=days(1)), ListingReason.NOT_YET_VALID),
        (lambda: certificate(quarantined_revision=2), ListingReason.QUARANTINED),
    ],
    ids=["expired-by-date", "expired", "revoked", "suspended", "superseded", "below-3-stars", "not-yet", "quarantined"],
)
def test_a_listed_product_whose_certificate_no_longer_holds_is_delisted_saying_why(listed_under, reason):
    current = listed_under()

    decision = decide(product(ListingState.LISTED, listed_under=current), current, current=current)

    assert decision == ListingDecision(ListingState.DELISTED, current, reason)


def test_a_superseded_certificate_whose_successor_is_valid_is_replaced_not_delisted():
    replaced = certificate(status=CertificationStatus.SUPERSEDED, valid_from=days(-400))
    successor = certificate(valid_from=days(-1))

    decision = decide(product(ListingState.LISTED, listed_under=replaced), replaced, successor, current=replaced)

    assert decision == ListingDecision(ListingState.LISTED, successor, ListingReason.RECERTIFIED)


def test_a_superseded_certificate_whose_successor_is_not_valid_yet_delists_the_product():
    replaced = certificate(status=CertificationStatus.SUPERSEDED)
    successor = certificate(valid_from=days(10))

    decision = decide(product(ListingState.LISTED, listed_under=replaced), replaced, successor, current=replaced)

    assert decision == ListingDecision(ListingState.DELISTED, replaced, ListingReason.SUPERSEDED)


def test_a_listed_product_without_any_certificate_is_delisted_for_having_none():
    decision = decide(product(ListingState.LISTED), current=None)

    assert decision == ListingDecision(ListingState.DELISTED, None, ListingReason.NO_VALID_CERTIFICATE)


def test_a_listed_product_whose_certificate_moved_to_another_product_and_no_valid_one_of_its_own_is_delisted():
    moved_away = certificate()
    own_expired = certificate(valid_until=days(-1))

    decision = decide(product(ListingState.LISTED, listed_under=moved_away), own_expired, current=moved_away)

    assert decision == ListingDecision(ListingState.DELISTED, moved_away, ListingReason.NO_VALID_CERTIFICATE)


def test_a_listed_product_delisted_on_the_day_after_its_last_valid_day():
    current = certificate(valid_until=TODAY)
    listed = product(ListingState.LISTED, listed_under=current)

    assert decide(listed, current, current=current).reason is None
    decision = decide_listing(product=listed, certifications=[current], current=current, today=days(1))
    assert decision == ListingDecision(ListingState.DELISTED, current, ListingReason.CERTIFICATE_EXPIRED)


@pytest.mark.parametrize("state", [ListingState.DRAFT, ListingState.DELISTED])
def test_a_product_that_is_not_listed_and_has_no_valid_certificate_stays_as_it_is(state):
    expired = certificate(valid_until=days(-1))

    assert decide(product(state), expired, current=expired) == ListingDecision(state, expired, None)
    assert decide(product(state)) == ListingDecision(state, None, None)


# --- delisting_reason on its own -------------------------------------------------------------------------------


def reason_for(current: Certification | None, today: datetime.date = TODAY) -> str:
    return delisting_reason(current=current, today=today)


def test_no_certificate_at_all():
    assert reason_for(None) == ListingReason.NO_VALID_CERTIFICATE


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (CertificationStatus.REVOKED, ListingReason.REVOKED),
        (CertificationStatus.SUSPENDED, ListingReason.SUSPENDED),
        (CertificationStatus.SUPERSEDED, ListingReason.SUPERSEDED),
        (CertificationStatus.EXPIRED, ListingReason.CERTIFICATE_EXPIRED),
    ],
)
def test_the_registry_status_names_the_reason(status, reason):
    assert reason_for(certificate(status=status)) == reason


@pytest.mark.parametrize("stars", [0, 1, 2])
def test_below_three_stars_is_a_downgrade(stars):
    assert reason_for(certificate(stars=stars)) == ListingReason.DOWNGRADED


def test_an_active_certificate_past_its_end_expired_even_though_the_registry_still_says_active():
    assert reason_for(certificate(valid_until=days(-1))) == ListingReason.CERTIFICATE_EXPIRED


def test_the_last_valid_day_is_not_expired_and_the_next_one_is():
    current = certificate(valid_until=TODAY)

    assert reason_for(current, today=days(1)) == ListingReason.CERTIFICATE_EXPIRED
    assert reason_for(current) != ListingReason.CERTIFICATE_EXPIRED


def test_a_certificate_that_starts_later_is_not_yet_valid():
    assert reason_for(certificate(valid_from=days(1))) == ListingReason.NOT_YET_VALID
    assert reason_for(certificate(valid_from=None, decision_date=days(1))) == ListingReason.NOT_YET_VALID


def test_a_certificate_that_starts_today_is_not_called_not_yet_valid():
    assert reason_for(certificate(valid_from=TODAY)) == ListingReason.NO_VALID_CERTIFICATE


def test_a_quarantined_certificate_says_so_before_anything_else():
    quarantined = certificate(status=CertificationStatus.REVOKED, stars=2, valid_until=days(-1), quarantined_revision=3)

    assert reason_for(quarantined) == ListingReason.QUARANTINED


def test_the_status_comes_before_the_stars_and_the_dates():
    assert reason_for(certificate(status=CertificationStatus.SUSPENDED, stars=1)) == ListingReason.SUSPENDED
    revoked_and_past = certificate(status=CertificationStatus.REVOKED, valid_until=days(-10))
    assert reason_for(revoked_and_past) == ListingReason.REVOKED


def test_the_stars_come_before_the_dates():
    assert reason_for(certificate(stars=2, valid_until=days(-1))) == ListingReason.DOWNGRADED
    assert reason_for(certificate(stars=2, valid_from=days(1))) == ListingReason.DOWNGRADED


def test_the_end_date_comes_before_the_start_date():
    never_valid = certificate(valid_from=days(5), valid_until=days(-5))

    assert reason_for(never_valid) == ListingReason.CERTIFICATE_EXPIRED


def test_a_certificate_that_still_holds_has_no_specific_reason():
    """Reached when the certificate a product is listed under is valid but now belongs to another product."""
    assert reason_for(certificate()) == ListingReason.NO_VALID_CERTIFICATE
