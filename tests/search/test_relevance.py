"""The search quality targets on the demo catalogue (issue 16): the labelled queries of relevance/queries.yaml run
through each backend as bench/search_quality.py runs them, in a few seconds."""

from __future__ import annotations

import datetime as dt

import pytest

from bench import search_quality as quality

DEMO_DAY = dt.date(2026, 12, 4)  # the day the demo was tried; the demo file's certificates are dated


@pytest.fixture(scope="module")
def demo() -> tuple[list[dict], list]:
    if not quality.DEMO_FILE.exists():
        pytest.skip(f"{quality.DEMO_FILE} is missing (set OCOP_SHARED_DIR)")
    listed = quality.listed_records(quality.load_records("demo", records=0, seed=1, today=DEMO_DAY), DEMO_DAY)
    return listed, quality.documents_of(listed)


def test_the_query_set_is_judged_over_the_demo(demo):
    listed, _ = demo
    queries = [q for q in quality.load_queries() if "demo" in q.catalogues]

    assert len(listed) == 19
    judged = [q for q in queries if any(q.grade(record) for record in listed)]
    assert len(judged) >= 30  # most queries have something relevant to find
    assert {q.kind for q in queries} >= {"kind-vi", "kind-vi-ascii", "english", "typo", "producer", "commune"}


def test_the_demo_meets_the_targets(backend, demo):
    listed, documents = demo
    queries = [q for q in quality.load_queries() if "demo" in q.catalogues]

    figures = quality.run_backend("backend", backend, documents, listed, queries).summary()

    assert figures["precision_at_5"] >= quality.TARGET_PRECISION
    assert figures["first_result_off"] == []  # no first result without the query's words or their translation
    assert figures["shown_for_nothing"] == []  # "mật ong", "cà phê", "bưởi", "honey": nothing, not look-alikes
    assert figures["zero_result_rate"] == 0  # every query with something relevant finds it
    assert figures["ndcg_at_10"] >= 0.9
