"""Benchmark of the product feeds and the open data (web/feeds.py) over a large certified catalogue.

    .venv/bin/python bench/feeds.py [--runs 2]

Uses bench/catalog.py's database, `ocop_catalog_bench`, as bench/pages.py leaves it (run that first to fill it:
100,000 listed products); only reads it. Writes the files into a temporary MEDIA_ROOT, removed at the end.
Prints, per run, the wall time of `refresh_feeds()` (the Google Merchant feed, the Meta catalogue, the open data
as CSV and JSON, each a pass over what is for sale), the items and records written, each file's size, and the
process's peak memory.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.catalog import setup_django  # noqa: E402
from bench.common import log  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="ocop-feeds-") as media:
        os.environ["MEDIA_ROOT"] = media
        setup_django()
        from marketplace.catalogue.selectors import listed_count
        from web.feeds import refresh_feeds

        log(f"{listed_count():,} listed products, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
        for run in range(1, args.runs + 1):
            started = time.perf_counter()
            sizes = refresh_feeds()
            seconds = time.perf_counter() - started
            files = ", ".join(f"{Path(name).name} {size / 1e6:.1f} MB" for name, size in sizes.items())
            log(f"run {run}: {seconds:.1f} s — {files}")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    log(f"peak memory of this process: {peak_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
