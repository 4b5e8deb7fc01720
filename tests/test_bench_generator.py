"""The benchmark's feed generator (bench/generate_records.py): deterministic, the promised mix, CONTRACT.md-shaped.

No database: a few hundred records in memory.
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from collections import Counter, defaultdict

import pytest

from bench.generate_records import (
    BROKEN_KINDS,
    EXPIRED,
    EXPIRED_ACTIVE,
    HISTORY,
    INACTIVE,
    LOW_STARS,
    MARKUP,
    NFD_TEXT,
    QUARANTINE_KINDS,
    REPEAT,
    STALE,
    STATUSES,
    SUPERSEDED,
    VALID,
    WELL_FORMED_KINDS,
    add_months,
    generate,
    mutate,
)

TODAY = dt.date(2026, 11, 29)
N = 300


@pytest.fixture(scope="module")
def feed():
    return generate(N, seed=7, today=TODAY)


def walk(record: dict, path: tuple[str, ...]):
    value = record
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return KeyError
        value = value[key]
    return value


def contract_problems(record) -> list[str]:
    """The basic checks of CONTRACT.md: required fields, types and ranges, ISO dates, clean text."""
    if not isinstance(record, dict):
        return ["not an object"]
    problems = []
    for path in [("certificate_id",), ("revision",), ("updated_at",), ("status",), ("stars",), ("valid_until",)]:
        if walk(record, path) in (KeyError, None):
            problems.append(f"{'.'.join(path)} missing")
    for path in [("product", "product_id"), ("product", "name"), ("producer", "producer_id"), ("producer", "name")]:
        value = walk(record, path)
        if not isinstance(value, str) or not value:
            problems.append(f"{'.'.join(path)} missing")
        elif unicodedata.normalize("NFC", value) != value:
            problems.append(f"{'.'.join(path)} not NFC")
    revision = record.get("revision")
    if not (isinstance(revision, int) and not isinstance(revision, bool) and revision >= 1):
        problems.append(f"revision {revision!r}")
    stars = record.get("stars")
    if not (isinstance(stars, int) and not isinstance(stars, bool) and 1 <= stars <= 5):
        problems.append(f"stars {stars!r}")
    if record.get("status") not in STATUSES:
        problems.append(f"status {record.get('status')!r}")
    try:
        updated = dt.datetime.fromisoformat(record["updated_at"])
        if updated.tzinfo is None:
            problems.append("updated_at without zone")
    except (KeyError, TypeError, ValueError):
        problems.append(f"updated_at {record.get('updated_at')!r}")
    try:
        until = dt.date.fromisoformat(record["valid_until"])
        decision = dt.date.fromisoformat(record["decision"]["date"])
        if record.get("valid_from") is not None and dt.date.fromisoformat(record["valid_from"]) > until:
            problems.append("valid_from after valid_until")
        if until > add_months(decision, 36):
            problems.append("valid for more than 36 months")
    except (KeyError, TypeError, ValueError):
        problems.append(f"dates {record.get('valid_from')!r} {record.get('valid_until')!r}")
    description = walk(record, ("product", "description"))
    if isinstance(description, str) and (
        "<" in description or unicodedata.normalize("NFC", description) != description
    ):
        problems.append("description has markup or is not NFC")
    return problems


def test_the_same_seed_gives_the_same_feed(feed):
    again = generate(N, seed=7, today=TODAY)
    assert json.dumps(again.records, ensure_ascii=False) == json.dumps(feed.records, ensure_ascii=False)
    assert again.tags == feed.tags
    assert generate(N, seed=8, today=TODAY).records != feed.records


def test_exactly_n_records_in_the_promised_mix(feed):
    assert len(feed.records) == len(feed.tags) == N
    summary = feed.summary
    products, current = summary["products"], Counter(summary["current"])
    assert summary["records"] == N
    assert current.total() == products
    assert current[VALID] / products == pytest.approx(0.70, abs=0.03)
    assert (current[EXPIRED_ACTIVE] + current[EXPIRED]) / products == pytest.approx(0.20, abs=0.03)
    assert current[EXPIRED_ACTIVE] > 0 and current[EXPIRED] > 0
    assert current[LOW_STARS] / products == pytest.approx(0.05, abs=0.02)
    assert current[INACTIVE] >= 1
    assert all(current[kind] >= 1 for kind in BROKEN_KINDS)
    assert sum(current[kind] for kind in BROKEN_KINDS) / products <= 0.06
    tags = Counter(feed.tags)
    assert tags[SUPERSEDED] / products == pytest.approx(1 / 3, abs=0.05)
    assert tags[REPEAT] >= 1 and tags[STALE] >= 1 and tags[HISTORY] >= 1
    # Producers are shared: about 3,000 per 20,000 records.
    assert summary["producers"] == round(N * 3000 / 20000)
    owners = {r["producer"]["producer_id"] for r, t in zip(feed.records, feed.tags, strict=True) if t == VALID}
    assert len(owners) < current[VALID]


def test_well_formed_records_pass_the_contract_checks(feed):
    for record, tag in zip(feed.records, feed.tags, strict=True):
        if tag in WELL_FORMED_KINDS:
            assert contract_problems(record) == [], (tag, record)


def test_valid_certificates_are_active_3_to_5_stars_and_valid_today(feed):
    for record, tag in zip(feed.records, feed.tags, strict=True):
        if tag == VALID:
            starts = dt.date.fromisoformat(record["valid_from"] or record["decision"]["date"])
            assert record["status"] == "active" and 3 <= record["stars"] <= 5
            assert starts <= TODAY <= dt.date.fromisoformat(record["valid_until"])
        elif tag == EXPIRED_ACTIVE:
            assert record["status"] == "active" and dt.date.fromisoformat(record["valid_until"]) < TODAY
        elif tag == EXPIRED:
            assert record["status"] == "expired"
        elif tag == LOW_STARS:
            assert record["stars"] in (1, 2)


def test_broken_records_are_there_and_broken(feed):
    by_kind = defaultdict(list)
    for record, tag in zip(feed.records, feed.tags, strict=True):
        by_kind[tag].append(record)
    for kind in QUARANTINE_KINDS:
        assert by_kind[kind], kind
        for record in by_kind[kind]:
            assert contract_problems(record), (kind, record)
    assert all(r["stars"] not in range(1, 6) for r in by_kind["stars_out_of_range"])
    for record in by_kind[NFD_TEXT]:
        name = record["product"]["name"]
        assert unicodedata.normalize("NFC", name) != name
    for record in by_kind[MARKUP]:
        assert "<" in record["product"]["description"]


def test_superseded_stale_and_repeated_records(feed):
    records = [r for r in feed.records if isinstance(r, dict) and isinstance(r.get("certificate_id"), str)]
    by_id = defaultdict(list)
    for record in records:
        by_id[record["certificate_id"]].append(record)
    named = {r["supersedes"]: r for r in records if r.get("supersedes")}
    for record, tag in zip(feed.records, feed.tags, strict=True):
        if tag == SUPERSEDED:
            assert record["status"] == "superseded"
            newer = named[record["certificate_id"]]
            assert newer["product"]["product_id"] == record["product"]["product_id"]
            assert newer["decision"]["date"] > record["decision"]["date"]
        elif tag == STALE:
            top = max(r["revision"] for r in by_id[record["certificate_id"]])
            current = next(r for r in by_id[record["certificate_id"]] if r["revision"] == top)
            assert record["revision"] < top and record["updated_at"] > current["updated_at"]
        elif tag == REPEAT:
            assert sum(r["revision"] == record["revision"] for r in by_id[record["certificate_id"]]) >= 2


def test_addresses_names_and_dates_look_like_the_registry(feed):
    producers = {
        r["producer"]["producer_id"]: r["producer"] for r, t in zip(feed.records, feed.tags, strict=True) if t == VALID
    }
    addresses = [p["address"] for p in producers.values()]
    assert any(a["district"] for a in addresses) and any(a["district"] is None for a in addresses)
    assert any(a["province"] == "Tỉnh Bình Phước" for a in addresses)
    assert all(p["kind"] in ("enterprise", "cooperative", "cooperative_group", "household") for p in producers.values())
    years = {r["updated_at"][:4] for r in feed.records if isinstance(r.get("updated_at"), str)}
    assert {"2022", "2026"} <= years
    assert max(r["updated_at"] for r in feed.records if isinstance(r.get("updated_at"), str)) < "2026-11-29"


def test_mutate_changes_one_percent_with_new_revisions_after_everything():
    feed = generate(N, seed=7, today=TODAY)
    before = [json.dumps(r, ensure_ascii=False, sort_keys=True) for r in feed.records]
    latest = max(r["updated_at"] for r in feed.records if isinstance(r.get("updated_at"), str))
    changes = mutate(feed, fraction=0.01, seed=7, now=dt.datetime(2026, 11, 29, 3, 0, tzinfo=dt.UTC))
    changed = [i for i, r in enumerate(feed.records) if json.dumps(r, ensure_ascii=False, sort_keys=True) != before[i]]
    assert len(changed) == changes["changed"] == max(1, round(changes["certificates"] * 0.01))
    for index in changed:
        old, new = json.loads(before[index]), feed.records[index]
        assert new["certificate_id"] == old["certificate_id"]
        assert new["revision"] == old["revision"] + 1 and new["updated_at"] > latest
        assert contract_problems(new) == []
