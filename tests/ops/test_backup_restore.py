"""scripts/backup.sh and scripts/restore.sh, run as an operator runs them: a backup of this test database restored
into a fresh one holds every order, certificate and listing event, and the media files; both fail loudly."""

from __future__ import annotations

import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from catalog_sync.models import SyncRun
from marketplace.catalogue.models import ListingEvent
from marketplace.catalogue.services import products_refresh_listing
from marketplace.certification.models import Certification
from marketplace.orders.models import Order
from tests.factories import listed_product, make_certification, make_product
from tests.order_factories import make_order

SCRIPTS = Path(settings.BASE_DIR) / "scripts"


def _url(name: str) -> str:
    params = connection.settings_dict
    auth = params["USER"] + (f":{params['PASSWORD']}" if params["PASSWORD"] else "")
    return f"postgres://{auth}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{name}"


def _run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(arg) for arg in args], capture_output=True, text=True, timeout=120)


@pytest.fixture
def restored_name() -> Iterator[str]:
    """A database name of our own for the restore, dropped afterwards whatever happened."""
    name = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    yield name
    with psycopg.connect(_url("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _ids(url: str, table: str) -> set:
    with psycopg.connect(url) as conn:
        return {row[0] for row in conn.execute(f"SELECT id FROM {table}")}


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_fresh_database_with_every_order_certificate_and_listing_event(
    tmp_path, restored_name
):
    orders = [make_order(), make_order(lines=2), make_order(status="canceled")]
    listed = [listed_product() for _ in range(2)]
    delisted = make_product()
    make_certification(delisted, status="revoked")
    products_refresh_listing(product_ids=[delisted.pk, *(p.pk for p in listed)], trigger="staff")
    SyncRun.objects.create(registry_url="r", status=SyncRun.Status.SUCCEEDED)
    assert ListingEvent.objects.count() >= 2
    media = tmp_path / "media"
    (media / "products" / "renditions").mkdir(parents=True)
    (media / "products" / "renditions" / "buoi-512.webp").write_bytes(b"RIFF\x00image bytes")
    backups = tmp_path / "backups"
    backups.mkdir()

    backup = _run(SCRIPTS / "backup.sh", "-d", _url(connection.settings_dict["NAME"]), "-m", media, backups)
    assert backup.returncode == 0, backup.stderr
    (made,) = backups.iterdir()
    assert made.name.startswith("ocop-backup-")
    assert {path.name for path in made.iterdir()} == {"database.dump", "media.tar.gz", "MANIFEST", "SHA256SUMS"}

    restored_media = tmp_path / "restored-media"
    restore = _run(SCRIPTS / "restore.sh", "-m", restored_media, made, _url(restored_name))
    assert restore.returncode == 0, restore.stderr
    assert f"{len(orders)} orders" in restore.stdout

    target = _url(restored_name)
    assert _ids(target, "orders_order") == {order.pk for order in Order.objects.all()} == {o.pk for o in orders}
    assert _ids(target, "certification_certification") == set(Certification.objects.values_list("pk", flat=True))
    assert _ids(target, "catalogue_listingevent") == set(ListingEvent.objects.values_list("pk", flat=True))
    assert (restored_media / "products" / "renditions" / "buoi-512.webp").read_bytes() == b"RIFF\x00image bytes"

    # Restoring again over what now exists is refused, and leaves it alone.
    again = _run(SCRIPTS / "restore.sh", "--no-media", made, target)
    assert again.returncode == 1
    assert "already exists" in again.stderr
    assert _ids(target, "orders_order") == {o.pk for o in orders}


def test_the_scripts_explain_themselves_and_refuse_bad_arguments(tmp_path):
    for script in ("backup.sh", "restore.sh"):
        helped = _run(SCRIPTS / script, "--help")
        assert helped.returncode == 0
        assert helped.stdout.startswith("Usage: scripts/")
        bare = _run(SCRIPTS / script)
        assert bare.returncode == 2
        assert "Usage:" in bare.stderr

    missing = _run(SCRIPTS / "backup.sh", "-m", tmp_path / "no-such-media", tmp_path)
    assert missing.returncode == 1
    assert "does not exist" in missing.stderr


def test_a_damaged_backup_is_refused_before_anything_is_created(tmp_path):
    backup = tmp_path / "ocop-backup-20261205T000000Z"
    backup.mkdir()
    (backup / "database.dump").write_bytes(b"PGDMP not really")
    (backup / "SHA256SUMS").write_text("0" * 64 + "  database.dump\n")

    result = _run(SCRIPTS / "restore.sh", "--no-media", backup, "postgres://postgres@127.0.0.1:5432/never_created_x")

    assert result.returncode == 1
    assert "checksums" in result.stderr
