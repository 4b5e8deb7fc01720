"""Building registry records for tests, with dates relative to today in Asia/Ho_Chi_Minh."""

import copy
import datetime

from marketplace.core.dates import local_today


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


def make_record(**overrides) -> dict:
    """A valid registry record (CONTRACT.md), 4 stars, valid today; override any top-level field."""
    record = copy.deepcopy(BASE_RECORD)
    for key, value in overrides.items():
        record[key] = value
    return record


BASE_RECORD = {
    "certificate_id": "DN-2025-0001",
    "revision": 1,
    "updated_at": "2025-08-01T02:00:00Z",
    "status": "active",
    "stars": 4,
    "score": 78.5,
    "council_level": "province",
    "decision": {"number": "1234/QĐ-UBND", "date": "2025-08-01", "issuer": "UBND tỉnh Đồng Nai"},
    "valid_from": "2025-08-01",
    "valid_until": "2028-08-01",
    "supersedes": None,
    "product": {
        "product_id": "DNP-0001",
        "name": "Bưởi Tân Triều",
        "name_en": "Tan Trieu pomelo",
        "group": {"scheme": "2023", "code": "I", "name": "Thực phẩm"},
        "product_set": "Rau, củ, quả, hạt tươi",
        "description": "Bưởi đường lá cam trồng ven sông Đồng Nai.",
        "images": [{"media_id": "img-0001-1", "sha256": None}],
    },
    "producer": {
        "producer_id": "DNS-0001",
        "name": "Hợp tác xã Bưởi Tân Triều",
        "kind": "cooperative",
        "tax_code": "3600000000",
        "representative": "Nguyễn Văn A",
        "phone": "0251 3000 000",
        "email": "htx@example.vn",
        "address": {
            "line": "Ấp Tân Triều",
            "commune": "Xã Tân Bình",
            "district": "Huyện Vĩnh Cửu",
            "province": "Tỉnh Đồng Nai",
            "commune_code": None,
            "lat": 10.99,
            "lng": 106.86,
        },
    },
}
