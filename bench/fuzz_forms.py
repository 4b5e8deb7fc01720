"""Fuzz every form of the pages and consoles with many generated inputs, and print what came back.

    .venv/bin/python bench/fuzz_forms.py [--examples N] [-k EXPR]

Runs tests/web/test_form_fuzz.py::test_hostile_input_gets_a_clear_answer_and_stores_nothing_half with
`OCOP_FUZZ_EXAMPLES=N` (default 300) generated inputs per form, random (not the tests' fixed seed), counting
instead of stopping at the first failure (`OCOP_FUZZ_TALLY`). Each input is sent to the form by Django's test
client inside a savepoint rolled back afterwards, over the tests' database (the `test_` copy of
`DATABASE_URL`'s), with Redis at `REDIS_URL`. Prints, per form, the requests, the answers by status, how many
were refused and accepted, and the failures (an answer of 5xx or another unexpected status, a refused input that
changed rows, an accepted one that left rows invalid); exits 1 when there is any. The figures are also written
to bench/out/fuzz-forms-last-result.json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "fuzz-forms-last-result.json"
TEST = "tests/web/test_form_fuzz.py::test_hostile_input_gets_a_clear_answer_and_stores_nothing_half"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examples", type=int, default=300, help="generated inputs per form (default 300)")
    parser.add_argument("-k", dest="only", default="", help="only the forms whose name matches (pytest -k)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        tally = Path(scratch) / "tally.json"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "OCOP_FUZZ_EXAMPLES": str(args.examples),
            "OCOP_FUZZ_TALLY": str(tally),
        }
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider", TEST]
        if args.only:
            command += ["-k", args.only]
        started = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - started
        figures = json.loads(tally.read_text()) if tally.exists() else {}
    if not figures:
        print(done.stdout[-3000:], done.stderr[-3000:], sep="\n")
        return 2

    width = max(len(name) for name in figures)
    print(f"{'form':<{width}}  requests  refused  accepted  failures  answers by status")
    totals = {"requests": 0, "refused": 0, "accepted": 0, "failures": 0}
    for name, row in figures.items():
        statuses = " ".join(f"{status}×{count}" for status, count in row["statuses"].items())
        print(
            f"{name:<{width}}  {row['requests']:>8}  {row['refused']:>7}  {row['accepted']:>8}"
            f"  {len(row['failures']):>8}  {statuses}"
        )
        for key in ("requests", "refused", "accepted"):
            totals[key] += row[key]
        totals["failures"] += len(row["failures"])
    print(
        f"{'total':<{width}}  {totals['requests']:>8}  {totals['refused']:>7}  {totals['accepted']:>8}"
        f"  {totals['failures']:>8}  in {seconds:.0f} s ({len(figures)} forms, {args.examples} inputs each)"
    )
    failures = [failure for row in figures.values() for failure in row["failures"]]
    for failure in failures:
        print("FAILURE", failure)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"examples": args.examples, "seconds": round(seconds), "forms": figures}, indent=1))
    return 1 if failures or done.returncode else 0


if __name__ == "__main__":
    raise SystemExit(main())
