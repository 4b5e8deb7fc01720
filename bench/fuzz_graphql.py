"""Fuzzing every root field of the storefront API with generated documents, hundreds each, and the figures.

    .venv/bin/python bench/fuzz_graphql.py [--examples 200] [--derandomize] [--fields products,order]
                                           [--roles anonymous,consumer,operator]

Runs tests/storefront_api/test_fuzz_schema.py under pytest (the test database of DATABASE_URL, as the tests
use it) with FUZZ_GRAPHQL_EXAMPLES documents per field and role: hypothesis-graphql writes each document
from the schema, with ids, tokens and words of the world `tests/storefront_api/fuzzing.py` builds (one account
per role, consumers' addresses, checkouts and orders, a guest's, a voucher, pages, menus...) half of the time
and random ones otherwise; each is sent through Django's test client as a visitor, a signed-in consumer and an
operator, in a savepoint rolled back afterwards. A failure is a 5xx status, an "Internal Server Error" or
"An unknown error occurred." message, or anything logged at ERROR or with a traceback during the request.

It also runs the check that the fuzzer finds what it is for: with the zero-hit search failure of 2026-12-04
put back (`cached_count` raising EmptyResultSet), 300 derandomized documents of `products` must report it.

Prints per field the documents sent and the failures, the totals, and writes every figure (with each failing
document) to bench/out/fuzz-graphql-last.json. Exits 1 when anything failed. Random by default (a new seed
each run, printed by Hypothesis on failure); --derandomize repeats the same documents.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
TEST = "tests/storefront_api/test_fuzz_schema.py"
# With the count of 2026-12-04 put back, 300 derandomized documents of `products` must report its failure.
DETECTION = (
    "tests/storefront_api/test_fuzz_findings.py::test_the_fuzzer_finds_the_zero_hit_search_failure_of_2026_12_04"
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examples", type=int, default=200, help="documents per field and role (default 200)")
    parser.add_argument("--derandomize", action="store_true", help="the same documents on every run")
    parser.add_argument("--fields", default="", help="only these root fields, comma-separated")
    parser.add_argument("--roles", default="", help="only these of anonymous,consumer,operator")
    args = parser.parse_args()

    OUT.mkdir(parents=True, exist_ok=True)
    report = OUT / "fuzz-graphql-last.jsonl"
    report.unlink(missing_ok=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings.test"),
        "FUZZ_GRAPHQL_EXAMPLES": str(args.examples),
        "FUZZ_GRAPHQL_FIELDS": args.fields,
        "FUZZ_GRAPHQL_REPORT": str(report),
    }
    if not args.derandomize:
        env["FUZZ_GRAPHQL_RANDOM"] = "1"
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider", TEST, DETECTION]
    if args.roles:
        command += ["-k", " or ".join([*args.roles.split(","), "zero_hit"])]
    started = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    detection = "zero-hit search failure of 2026-12-04 found again: " + (
        "yes" if "test_fuzz_findings.py" not in _failed_tests(result.stdout) else "NO"
    )
    if not report.exists():
        print(result.stdout[-4000:], result.stderr[-4000:], sep="\n")
        return 2

    rows = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines() if line]
    per_field: dict[tuple[str, str], dict] = collections.defaultdict(lambda: {"documents": 0, "failures": 0})
    statuses: collections.Counter[str] = collections.Counter()
    failures = []
    for row in rows:
        entry = per_field[(row["root"], row["field"])]
        entry["documents"] += row["documents"]
        entry["failures"] += len(row["failures"])
        statuses.update({str(status): count for status, count in row["statuses"].items()})
        failures += [{"field": row["field"], "role": row["role"], **failure} for failure in row["failures"]]

    print(f"{'root':9} {'field':32} {'documents':>9} {'failures':>8}")
    for (root, field), entry in sorted(per_field.items()):
        print(f"{root:9} {field:32} {entry['documents']:>9} {entry['failures']:>8}")
    documents = sum(entry["documents"] for entry in per_field.values())
    print(
        f"\n{len(per_field)} root fields, {documents} documents in {seconds:.0f} s "
        f"(statuses {dict(sorted(statuses.items()))}), {len(failures)} failures"
    )
    print(detection)
    for failure in failures[:20]:
        print(f"\n{failure['field']} as {failure['role']}: {failure['reason']}\n{failure['document']}")
    summary = {
        "examples_per_field_and_role": args.examples,
        "derandomized": args.derandomize,
        "root_fields": len(per_field),
        "documents": documents,
        "statuses": dict(statuses),
        "seconds": round(seconds),
        "failures": failures,
        "zero_hit_detection": detection,
        "per_field": {f"{root}.{field}": entry for (root, field), entry in sorted(per_field.items())},
    }
    (OUT / "fuzz-graphql-last.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    report.unlink(missing_ok=True)
    return 1 if failures or result.returncode else 0


def _failed_tests(output: str) -> str:
    return "\n".join(line for line in output.splitlines() if line.startswith(("FAILED", "ERROR")))


if __name__ == "__main__":
    sys.exit(main())
