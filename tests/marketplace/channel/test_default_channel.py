"""A fresh deployment serves the catalogue: `migrate` creates the default channel from the settings, and
`sync_registry` alone (no demo) lists products that `/graphql/` and the catalogue page show in it."""

import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from marketplace.channel.models import Channel
from marketplace.channel.services import channel_ensure_default
from search.tasks import index_marked_products_task
from tests.catalog_sync.helpers import cert

pytestmark = pytest.mark.django_db(transaction=True)

PRODUCTS = """
query { products(channel: "default-channel", first: 20) { totalCount edges { node { name slug } } } }
"""


def migrate_channel_afresh() -> None:
    """Unapply the channel's data migration, drop every channel, and migrate to the latest again: what
    `migrate` does to an empty database, for this app."""
    executor = MigrationExecutor(connection)
    executor.migrate([("channel", "0001_initial")])
    Channel.objects.all().delete()
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_migrations_create_the_default_channel_from_the_settings(settings):
    settings.OCOP_CHANNEL_SLUG = "kenh-ocop"
    settings.OCOP_CHANNEL_NAME = "Kênh OCOP Đồng Nai"

    migrate_channel_afresh()

    channel = Channel.objects.get()
    assert (channel.slug, channel.name, channel.currency_code, channel.default_country, channel.is_active) == (
        "kenh-ocop",
        "Kênh OCOP Đồng Nai",
        "VND",
        "VN",
        True,
    )
    assert channel_ensure_default() == channel


def test_an_existing_channel_is_left_as_it_is():
    kept = Channel.objects.create(slug="default-channel", name="Renamed by an operator", is_active=False)

    executor = MigrationExecutor(connection)
    executor.migrate([("channel", "0001_initial")])
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert list(Channel.objects.values_list("pk", "name", "is_active")) == [(kept.pk, "Renamed by an operator", False)]
    assert channel_ensure_default() == kept


def test_migrate_and_sync_alone_serve_the_listed_products(registry_sim, settings):
    settings.OCOP_SYNC_IMAGES = False
    migrate_channel_afresh()
    registry_sim(
        [
            cert("DN-1", product_id="DNP-1", product_name="Mật ong rừng Mã Đà", minute=1),
            cert("DN-2", product_id="DNP-2", product_name="Hạt điều rang muối", minute=2),
            cert("DN-3", product_id="DNP-3", product_name="Rượu bưởi", stars=2, minute=3),  # not listed
        ]
    )

    call_command("sync_registry")
    index_marked_products_task.delay()  # celery beat's job, every minute: the catalogue page reads the index
    client = Client()
    api = client.post("/graphql/", json.dumps({"query": PRODUCTS}), content_type="application/json").json()
    page = client.get("/products/")

    assert "errors" not in api, api["errors"]
    assert api["data"]["products"]["totalCount"] == 2
    assert sorted(edge["node"]["name"] for edge in api["data"]["products"]["edges"]) == [
        "Hạt điều rang muối",
        "Mật ong rừng Mã Đà",
    ]
    assert page.status_code == 200
    assert page.context["page"].total == 2
    assert "Mật ong rừng Mã Đà" in page.content.decode()
