"""Every root field of the storefront API against generated documents (hypothesis-graphql), as a visitor, a
signed-in consumer and an operator: no 5xx, no "Internal Server Error", no traceback in the log.

A few derandomized documents per field here; `bench/fuzz_graphql.py` runs the same test with hundreds per field
(FUZZ_GRAPHQL_EXAMPLES, FUZZ_GRAPHQL_RANDOM, FUZZ_GRAPHQL_FIELDS) and writes each field's figures to the file
named by FUZZ_GRAPHQL_REPORT."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.storefront_api.fuzzing import MUTATION_FIELDS, QUERY_FIELDS, ROLES, build_world, fuzz_field

EXAMPLES = int(os.environ.get("FUZZ_GRAPHQL_EXAMPLES", "2"))
DERANDOMIZE = not os.environ.get("FUZZ_GRAPHQL_RANDOM")
ONLY_FIELDS = {name for name in os.environ.get("FUZZ_GRAPHQL_FIELDS", "").split(",") if name}
REPORT = os.environ.get("FUZZ_GRAPHQL_REPORT")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("root", ["query", "mutation"])
def test_every_root_field_answers_generated_documents_cleanly(shop, root, role):
    world = build_world(shop)
    fields = [
        name
        for name in (QUERY_FIELDS if root == "query" else MUTATION_FIELDS)
        if name in ONLY_FIELDS or not ONLY_FIELDS
    ]

    reports = [
        fuzz_field(world, root=root, field_name=name, role=role, examples=EXAMPLES, derandomize=DERANDOMIZE)
        for name in fields
    ]

    if REPORT:
        with Path(REPORT).open("a", encoding="utf-8") as out:
            for report in reports:
                out.write(json.dumps(report.as_json(), ensure_ascii=False) + "\n")
    assert all(report.documents for report in reports)
    failures = [failure for report in reports for failure in report.failures]
    assert not failures, "\n\n".join(str(failure) for failure in failures[:10])
