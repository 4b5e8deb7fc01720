"""Building registry records for tests, with dates relative to today in Asia/Ho_Chi_Minh."""

import datetime

from marketplace.core.dates import local_today
from tests.conftest import make_record


def day(offset: int = 0) -> str:
    return (local_today() + datetime.timedelta(days=offset)).isoformat()


def stamp(minutes: int) -> str:
    """A registry `updated_at`, `minutes` after a fixed origin, so feed order is under the test's control."""
    origin = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    return (origin + datetime.timedelta(minutes=minutes)).isoformat().replace("+00:00", "Z")


def cert(
    certificate_id: str = "DN-2025-0001",
    *,
    revision: int = 1,
    product_id: str = "DNP-0001",
    stars: int = 4,
    status: str = "active",
    valid_from: int | None = -100,
    valid_until: int = 900,
    minute: int | None = None,
    supersedes: str | None = None,
    product_name: str = "Bưởi Tân Triều",
    producer_id: str = "DNS-0001",
    **overrides,
) -> dict:
    """A record of CONTRACT.md: valid_from/valid_until are days from today.

    `minute` places `updated_at` (see `stamp`); by default it is the revision, so a later revision of a
    certificate is also later in the feed, as a real registry would publish it.
    """
    record = make_record(
        certificate_id=certificate_id,
        revision=revision,
        updated_at=stamp(revision if minute is None else minute),
        status=status,
        stars=stars,
        score={1: 20.0, 2: 40.0, 3: 60.0, 4: 78.5, 5: 92.0}.get(stars),
        valid_from=day(valid_from) if valid_from is not None else None,
        valid_until=day(valid_until),
        supersedes=supersedes,
    )
    record["decision"]["date"] = record["valid_from"]
    record["product"]["product_id"] = product_id
    record["product"]["name"] = product_name
    record["product"]["images"] = []
    record["producer"]["producer_id"] = producer_id
    record.update(overrides)
    return record
