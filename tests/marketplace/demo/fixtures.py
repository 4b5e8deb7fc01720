"""Fixtures of the demo's tests, shared with the ledger's acceptance test (registered in tests/conftest.py).

`catalogue`: what a registry sync would have left before `seed_demo` runs."""

from __future__ import annotations

import pytest

from marketplace.catalogue.models import ListingState, Product
from marketplace.demo import seed as demo
from marketplace.producers.models import ProducerKind
from tests.factories import make_producer, make_product


@pytest.fixture
def catalogue(db) -> dict[str, Product]:
    """What a registry sync would have left: a few producers and products, one of them already with a variant."""
    suoi_cat = make_producer(
        registry_id=demo.DEMO_COOPERATIVE_ID,
        kind=ProducerKind.COOPERATIVE,
        name="Hợp tác xã Dịch vụ Nông nghiệp Ca cao Suối Cát",
    )
    other_coop = make_producer(registry_id="DNS-0001", kind=ProducerKind.COOPERATIVE)
    enterprise = make_producer(registry_id="DNS-0002", kind=ProducerKind.ENTERPRISE)
    return {
        "cocoa": make_product(
            suoi_cat,
            registry_id="DNP-058",
            name="Bột ca cao nguyên chất Thanh Y Cacao",
            product_set="Cà phê, ca cao",
            listing_state=ListingState.LISTED,
        ),
        "chocolate": make_product(
            suoi_cat, registry_id="DNP-059", name="Sô cô la sữa Thanh Y Cacao", product_set="Cà phê, ca cao"
        ),
        "cashew": make_product(
            enterprise,
            registry_id="DNP-010",
            name="Hạt điều rang muối",
            product_set="Chế biến từ rau, củ, quả, hạt",
            listing_state=ListingState.DELISTED,
        ),
        "melon": make_product(
            other_coop, registry_id="DNP-049", name="Dưa lưới Inthanol RZ", product_set="Rau, củ, quả, hạt tươi"
        ),
        "entered": make_product(enterprise, registry_id="DNP-004", name="Hạt điều vị nguyên bản"),
    }
