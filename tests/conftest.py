import copy
import itertools

import pytest

from tests.registry import RegistrySim, write_records

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


@pytest.fixture(autouse=True)
def fresh_catalogue_reads():
    """Cached catalogue reads (counts, search facets) never carry over from one test to the next."""
    from marketplace.catalogue.read_cache import catalogue_version_reset

    catalogue_version_reset()
