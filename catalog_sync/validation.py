"""Checking one registry record against CONTRACT.md and cleaning its text.

`validate_record(raw)` returns a `ValidRecord` (typed, NFC, markup stripped) or raises
`InvalidRecord` with every reason found, so trade staff see the whole story in quarantine.
"""

from __future__ import annotations

import datetime
import math
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from marketplace.catalogue.models import GroupScheme
from marketplace.certification.models import CertificationStatus, CouncilLevel
from marketplace.core.dates import add_months
from marketplace.core.text import clean_text
from marketplace.producers.models import ProducerKind

GROUP_CODES: dict[str, set[str]] = {
    GroupScheme.SCHEME_2018: {"1", "2", "3", "4", "5", "6"},
    GroupScheme.SCHEME_2023: {"I", "II", "III", "IV", "V", "VI"},
}
# The enumerations of CONTRACT.md, as plain tuples (Django's `Choices.values` is rebuilt on every access).
STATUSES = tuple(CertificationStatus.values)
COUNCIL_LEVELS = tuple(CouncilLevel.values)
SCHEMES = tuple(GroupScheme.values)
PRODUCER_KINDS = tuple(ProducerKind.values)
STAR_BANDS = {1: (0, 30), 2: (30, 50), 3: (50, 70), 4: (70, 90), 5: (90, 100.0001)}
VALIDITY_MONTHS = 36
# Dates are entered by hand in many offices: allow a few days' slack on the 36 months.
VALIDITY_SLACK_DAYS = 7


class InvalidRecord(Exception):
    """A record that fails the contract: every reason, what could be read of its identity, and the record as sent."""

    def __init__(
        self, reasons: list[str], *, certificate_id: str = "", revision: int | None = None, raw: Any = None
    ) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons
        self.certificate_id = certificate_id
        self.revision = revision
        self.raw = raw


@dataclass(frozen=True)
class ProducerData:
    producer_id: str
    name: str
    kind: str
    tax_code: str
    representative: str
    phone: str
    email: str
    address_line: str
    address_commune: str
    address_district: str
    address_province: str
    address_commune_code: str
    latitude: float | None
    longitude: float | None


@dataclass(frozen=True)
class ProductData:
    product_id: str
    name: str
    name_en: str
    group_scheme: str
    group_code: str
    group_name: str
    product_set: str
    description: str
    image_ids: tuple[str, ...]


@dataclass(frozen=True)
class ValidRecord:
    certificate_id: str
    revision: int
    updated_at: datetime.datetime
    status: str
    stars: int
    score: Decimal | None
    council_level: str
    decision_number: str
    decision_date: datetime.date | None
    issuer: str
    valid_from: datetime.date | None
    valid_until: datetime.date
    supersedes: str
    product: ProductData
    producer: ProducerData
    raw: dict[str, Any] = field(repr=False, compare=False)


class _Checker:
    """Collects every problem of one record instead of stopping at the first."""

    def __init__(self) -> None:
        self.reasons: list[str] = []

    def fail(self, reason: str) -> None:
        self.reasons.append(reason)

    def obj(self, parent: Any, key: str, path: str, *, required: bool = False) -> dict:
        value = parent.get(key) if isinstance(parent, dict) else None
        if value is None:
            if required:
                self.fail(f"{path} is required")
            return {}
        if not isinstance(value, dict):
            self.fail(f"{path} must be an object, not {type(value).__name__}")
            return {}
        return value

    def text(self, parent: dict, key: str, path: str, *, required: bool = False, multiline: bool = False) -> str:
        value = parent.get(key)
        if value is None:
            if required:
                self.fail(f"{path} is required")
            return ""
        if not isinstance(value, str):
            self.fail(f"{path} must be a string, not {type(value).__name__}")
            return ""
        cleaned = clean_text(value, multiline=multiline) or ""
        if required and not cleaned:
            self.fail(f"{path} is empty")
        return cleaned

    def identifier(self, parent: dict, key: str, path: str, *, required: bool = False) -> str:
        value = self.text(parent, key, path, required=required)
        if value and (len(value) > 64 or any(ch.isspace() for ch in value) or "/" in value):
            self.fail(f"{path} {value[:80]!r} is not an identifier (no spaces or slashes, at most 64 characters)")
            return ""
        return value

    def integer(self, parent: dict, key: str, path: str, *, low: int, high: int | None = None) -> int | None:
        value = parent.get(key)
        if value is None:
            self.fail(f"{path} is required")
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(f"{path} must be a whole number, not {value!r}")
            return None
        if value < low or (high is not None and value > high):
            bounds = f"{low}–{high}" if high is not None else f"at least {low}"
            self.fail(f"{path} is {value}, outside {bounds}")
            return None
        return value

    def date(self, parent: dict, key: str, path: str, *, required: bool = False) -> datetime.date | None:
        value = parent.get(key)
        if value is None:
            if required:
                self.fail(f"{path} is required")
            return None
        if not isinstance(value, str):
            self.fail(f"{path} must be a date string, not {type(value).__name__}")
            return None
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            self.fail(f"{path} {value!r} is not a date (YYYY-MM-DD)")
            return None

    def timestamp(self, parent: dict, key: str, path: str) -> datetime.datetime | None:
        value = parent.get(key)
        if value is None:
            self.fail(f"{path} is required")
            return None
        if not isinstance(value, str):
            self.fail(f"{path} must be an ISO 8601 timestamp, not {type(value).__name__}")
            return None
        try:
            parsed = datetime.datetime.fromisoformat(value)
        except ValueError:
            self.fail(f"{path} {value!r} is not an ISO 8601 timestamp")
            return None
        if parsed.tzinfo is None:
            self.fail(f"{path} {value!r} has no time zone")
            return None
        return parsed

    def choice(self, parent: dict, key: str, path: str, choices: tuple[str, ...], *, required: bool = False) -> str:
        value = parent.get(key)
        if value is None:
            if required:
                self.fail(f"{path} is required")
            return ""
        if value not in choices:
            self.fail(f"{path} {value!r} is not one of {', '.join(choices)}")
            return ""
        return value

    def number(self, parent: dict, key: str, path: str, *, low: float, high: float) -> Decimal | None:
        value = parent.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            self.fail(f"{path} must be a number, not {value!r}")
            return None
        if not low <= value <= high:
            self.fail(f"{path} is {value}, outside {low:g}–{high:g}")
            return None
        return Decimal(str(value)).quantize(Decimal("0.01"))

    def coordinate(self, parent: dict, key: str, path: str, limit: float) -> float | None:
        value = self.number(parent, key, path, low=-limit, high=limit)
        return float(value) if value is not None else None


def validate_record(raw: Any) -> ValidRecord:
    """The record checked and cleaned, or InvalidRecord with every problem of every part of it."""
    if not isinstance(raw, dict):
        raise InvalidRecord([f"a record must be a JSON object, not {type(raw).__name__}"], raw=raw)
    check = _Checker()
    identity = _identity(check, raw)
    certificate = _certificate(check, raw, certificate_id=identity.certificate_id)
    product = _product(check, raw)
    producer = _producer(check, raw)
    return _valid_record(check, raw, identity=identity, certificate=certificate, product=product, producer=producer)


@dataclass(frozen=True)
class _Identity:
    certificate_id: str
    revision: int | None
    updated_at: datetime.datetime | None


@dataclass(frozen=True)
class _Certificate:
    status: str
    stars: int | None
    score: Decimal | None
    council_level: str
    decision_number: str
    decision_date: datetime.date | None
    issuer: str
    valid_from: datetime.date | None
    valid_until: datetime.date | None
    supersedes: str


def _identity(check: _Checker, raw: dict[str, Any]) -> _Identity:
    """Which certificate, which revision of it, and when the registry published that revision."""
    return _Identity(
        certificate_id=check.identifier(raw, "certificate_id", "certificate_id", required=True),
        revision=check.integer(raw, "revision", "revision", low=1),
        updated_at=check.timestamp(raw, "updated_at", "updated_at"),
    )


def _certificate(check: _Checker, raw: dict[str, Any], *, certificate_id: str) -> _Certificate:
    """The rating (status, stars and score, council), the decision that granted it, its validity and lineage."""
    status = check.choice(raw, "status", "status", STATUSES, required=True)
    stars, score = _stars_and_score(check, raw)
    council_level = check.choice(raw, "council_level", "council_level", COUNCIL_LEVELS)
    decision = check.obj(raw, "decision", "decision")
    decision_number = check.text(decision, "number", "decision.number")
    decision_date = check.date(decision, "date", "decision.date")
    issuer = check.text(decision, "issuer", "decision.issuer")
    valid_from, valid_until = _validity(check, raw, decided_on=decision_date)
    supersedes = check.identifier(raw, "supersedes", "supersedes")
    if supersedes and supersedes == certificate_id:
        check.fail("a certificate cannot supersede itself")
    return _Certificate(
        status=status,
        stars=stars,
        score=score,
        council_level=council_level,
        decision_number=decision_number,
        decision_date=decision_date,
        issuer=issuer,
        valid_from=valid_from,
        valid_until=valid_until,
        supersedes=supersedes,
    )


def _stars_and_score(check: _Checker, raw: dict[str, Any]) -> tuple[int | None, Decimal | None]:
    """1–5 stars, and the council's score (optional), which must fall in the band of those stars."""
    stars = check.integer(raw, "stars", "stars", low=1, high=5)
    score = check.number(raw, "score", "score", low=0, high=100)
    if stars is not None and score is not None:
        low, high = STAR_BANDS[stars]
        if not low <= score < high:
            check.fail(f"score {score} does not match {stars} stars (band {low}–<{min(high, 100):g})")
    return stars, score


def _validity(
    check: _Checker, raw: dict[str, Any], *, decided_on: datetime.date | None
) -> tuple[datetime.date | None, datetime.date | None]:
    """valid_from (optional) and valid_until, in that order, and no more than 36 months (with a few days'
    slack) from the decision's date, or else from valid_from."""
    valid_from = check.date(raw, "valid_from", "valid_from")
    valid_until = check.date(raw, "valid_until", "valid_until", required=True)
    if valid_until:
        if valid_from and valid_from > valid_until:
            check.fail(f"valid_from {valid_from} is after valid_until {valid_until}")
        start = decided_on or valid_from
        if start:
            latest = add_months(start, VALIDITY_MONTHS) + datetime.timedelta(days=VALIDITY_SLACK_DAYS)
            if valid_until > latest:
                check.fail(f"valid_until {valid_until} is more than {VALIDITY_MONTHS} months after {start}")
    return valid_from, valid_until


def _product(check: _Checker, raw: dict[str, Any]) -> ProductData:
    """The certified product, its OCOP group and its images."""
    product = check.obj(raw, "product", "product", required=True)
    group = check.obj(product, "group", "product.group")
    scheme, code = _group_scheme_and_code(check, group)
    return ProductData(
        product_id=check.identifier(product, "product_id", "product.product_id", required=True),
        name=check.text(product, "name", "product.name", required=True),
        name_en=check.text(product, "name_en", "product.name_en"),
        group_scheme=scheme,
        group_code=code,
        group_name=check.text(group, "name", "product.group.name"),
        product_set=check.text(product, "product_set", "product.product_set"),
        description=check.text(product, "description", "product.description", multiline=True),
        image_ids=_image_ids(product.get("images")),
    )


def _group_scheme_and_code(check: _Checker, group: dict[str, Any]) -> tuple[str, str]:
    """A group, when given, names its scheme and one of that scheme's codes."""
    scheme = check.choice(group, "scheme", "product.group.scheme", SCHEMES, required=bool(group))
    code = check.text(group, "code", "product.group.code", required=bool(group))
    if scheme and code and code not in GROUP_CODES[scheme]:
        check.fail(f"product.group.code {code!r} is not a group of the {scheme} scheme")
    return scheme, code


def _producer(check: _Checker, raw: dict[str, Any]) -> ProducerData:
    """The producer (a cooperative, an enterprise, a household...), its contacts and its address."""
    producer = check.obj(raw, "producer", "producer", required=True)
    address = check.obj(producer, "address", "producer.address")
    return ProducerData(
        producer_id=check.identifier(producer, "producer_id", "producer.producer_id", required=True),
        name=check.text(producer, "name", "producer.name", required=True),
        kind=check.choice(producer, "kind", "producer.kind", PRODUCER_KINDS),
        tax_code=check.text(producer, "tax_code", "producer.tax_code"),
        representative=check.text(producer, "representative", "producer.representative"),
        phone=check.text(producer, "phone", "producer.phone"),
        email=check.text(producer, "email", "producer.email"),
        address_line=check.text(address, "line", "producer.address.line"),
        address_commune=check.text(address, "commune", "producer.address.commune"),
        address_district=check.text(address, "district", "producer.address.district"),
        address_province=check.text(address, "province", "producer.address.province"),
        address_commune_code=check.text(address, "commune_code", "producer.address.commune_code"),
        latitude=check.coordinate(address, "lat", "producer.address.lat", 90),
        longitude=check.coordinate(address, "lng", "producer.address.lng", 180),
    )


def _valid_record(
    check: _Checker,
    raw: dict[str, Any],
    *,
    identity: _Identity,
    certificate: _Certificate,
    product: ProductData,
    producer: ProducerData,
) -> ValidRecord:
    """The parts as one ValidRecord, or InvalidRecord with every reason found, named by what could be read."""
    revision, updated_at = identity.revision, identity.updated_at
    stars, valid_until = certificate.stars, certificate.valid_until
    # A required value is None only after its problem was reported: without reasons, all four are set.
    if check.reasons or revision is None or updated_at is None or stars is None or valid_until is None:
        raise InvalidRecord(
            check.reasons,
            certificate_id=identity.certificate_id or _raw_text(raw.get("certificate_id")),
            revision=revision if revision is not None else _raw_int(raw.get("revision")),
            raw=raw,
        )
    return ValidRecord(
        certificate_id=identity.certificate_id,
        revision=revision,
        updated_at=updated_at,
        status=certificate.status,
        stars=stars,
        score=certificate.score,
        council_level=certificate.council_level,
        decision_number=certificate.decision_number,
        decision_date=certificate.decision_date,
        issuer=certificate.issuer,
        valid_from=certificate.valid_from,
        valid_until=valid_until,
        supersedes=certificate.supersedes,
        product=product,
        producer=producer,
        raw=raw,
    )


def _image_ids(images: Any) -> tuple[str, ...]:
    """The record's image ids. A bad image entry is the image pipeline's business, not the record's:
    it is dropped here (not an object, no id) or recorded as a failed image later, and never keeps
    the product from being listed."""
    if not isinstance(images, list):
        return ()
    ids: list[str] = []
    for image in images:
        media_id = image.get("media_id") if isinstance(image, dict) else None
        if isinstance(media_id, str):
            media_id = unicodedata.normalize("NFC", media_id.strip())[:128]
            if media_id and media_id not in ids:
                ids.append(media_id)
    return tuple(ids)


def _raw_text(value: Any) -> str:
    return value[:255] if isinstance(value, str) else ""


def _raw_int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _reason_text(reason: object) -> str:
    if isinstance(reason, dict):
        field = reason.get("field") or reason.get("path")
        message = reason.get("message") or reason.get("code") or reason
        return f"{field}: {message}" if field else str(message)
    return str(reason)


def reason_texts(reasons: object) -> list[str]:
    """A quarantined record's reasons as lines of text, for people (the admin, the trade console)."""
    if isinstance(reasons, list):
        return [_reason_text(reason) for reason in reasons]
    if isinstance(reasons, dict):
        return [f"{key}: {value}" for key, value in reasons.items()]
    return [str(reasons)] if reasons else []
