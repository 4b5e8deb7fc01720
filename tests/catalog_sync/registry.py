"""The registry stand-in (../shared/registry/registry_sim.py) as a test helper: a real HTTP server."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from django.conf import settings

REGISTRY_SIM = settings.SHARED_DIR / "registry" / "registry_sim.py"
DEMO_DATA = settings.SHARED_DIR / "data" / "registry-demo.json"


class RegistrySim:
    """One running registry_sim.py serving a data file that the test can rewrite between syncs."""

    def __init__(self, data_file: Path, *, token: str = "test-token", extra_args: list[str] | None = None) -> None:
        self.data_file = data_file
        self.token = token
        self.process = subprocess.Popen(
            [sys.executable, str(REGISTRY_SIM), "--data", str(data_file), "--port", "0", "--token", token]
            + (extra_args or []),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        line = self.process.stdout.readline().strip()
        if not line.startswith("listening on "):
            self.stop()
            raise RuntimeError(f"registry_sim did not start: {line!r} {self.process.stderr.read()}")
        self.url = line.removeprefix("listening on ")

    def write(self, records: list) -> None:
        write_records(self.data_file, records)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        for stream in (self.process.stdout, self.process.stderr):
            if stream:
                stream.close()


def write_records(path: Path, records: list) -> None:
    """Write atomically, with a new mtime, so the stand-in re-reads the file."""
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)
