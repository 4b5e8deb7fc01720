"""The registry stand-in as a fixture (registered in tests/conftest.py): tests and the demo sync over real HTTP."""

import itertools

import pytest

from tests.catalog_sync.registry import RegistrySim, write_records

_counter = itertools.count(1)


@pytest.fixture
def registry_sim(tmp_path, settings):
    """Start registry_sim.py on a free port over a data file; settings point the marketplace at it.

    Call it with the records (and any extra command-line flags such as ["--fail-first", "2"]).
    """
    started: list[RegistrySim] = []

    def start(records: list, *, extra_args: list[str] | None = None, token: str = "test-token") -> RegistrySim:
        data_file = tmp_path / f"registry-{next(_counter)}.json"
        write_records(data_file, records)
        sim = RegistrySim(data_file, token=token, extra_args=extra_args)
        started.append(sim)
        settings.OCOP_REGISTRY_URL = sim.url
        settings.OCOP_REGISTRY_TOKEN = token
        return sim

    yield start
    for sim in started:
        sim.stop()
