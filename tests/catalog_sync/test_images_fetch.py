"""Registry images end to end: the registry stand-in over HTTP, the services, the Celery task (eager)."""

from pathlib import Path

import pytest
from django.db import transaction
from django.utils import timezone
from PIL import Image

from catalog_sync.client import RegistryAuthError, RegistryUnavailable
from catalog_sync.tasks import fetch_product_images_task
from marketplace.catalogue.media_services import (
    product_media_mark_failed,
    product_media_sync_registry_images,
)
from marketplace.catalogue.models import ListingState, Product, ProductMedia
from marketplace.producers.models import Producer

pytestmark = pytest.mark.django_db

REGISTRY = ProductMedia.Source.REGISTRY


@pytest.fixture
def media_root(settings, tmp_path) -> Path:
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def eager_retries(monkeypatch) -> None:
    """Let eager apply() run the task's retries one after another, as a worker would over time.

    With task_eager_propagates on (the test settings), the first Retry would come out of apply() instead.
    """
    monkeypatch.setitem(fetch_product_images_task.app.conf, "task_eager_propagates", False)


@pytest.fixture
def product() -> Product:
    producer = Producer.objects.create(
        registry_id="DNS-IMG-0001", slug="htx-buoi-anh", name="Hợp tác xã Bưởi Tân Triều"
    )
    return Product.objects.create(
        registry_id="DNP-IMG-0001",
        slug="buoi-tan-trieu-anh",
        name="Bưởi Tân Triều",
        producer=producer,
        registry_image_ids=["img-1-1", "broken-1", "bomb-1", "notimage-1"],
        listing_state=ListingState.LISTED,
        listing_changed_at=timezone.now(),
    )


def registry_media(product: Product) -> dict[str, ProductMedia]:
    return {media.registry_media_id: media for media in product.media.filter(source=REGISTRY)}


def test_good_image_is_stored_and_bad_ones_are_recorded(registry_sim, media_root, product):
    registry_sim([])
    listing_before = (product.listing_state, product.listing_changed_at)

    pending = product_media_sync_registry_images(product=product)
    assert len(pending) == 4
    assert [m.registry_media_id for m in ProductMedia.objects.filter(pk__in=pending).order_by("sort_order")] == [
        "img-1-1",
        "broken-1",
        "bomb-1",
        "notimage-1",
    ]

    fetch_product_images_task.delay(product.pk)

    media = registry_media(product)
    good = media["img-1-1"]
    assert good.status == ProductMedia.Status.READY
    assert good.failure_reason == ""
    assert (good.width, good.height) == (640, 480)
    assert good.image.name == f"products/{product.pk}/{good.pk}.webp"
    original = Image.open(media_root / good.image.name)
    assert (original.format, original.size) == ("WEBP", (640, 480))
    assert good.renditions == {
        "256": f"products/{product.pk}/{good.pk}-256.webp",
        "512": f"products/{product.pk}/{good.pk}-512.webp",
    }  # 1024 would be an upscale of a 640-pixel image: skipped
    for size, path in good.renditions.items():
        rendition = Image.open(media_root / path)
        rendition.load()
        assert rendition.format == "WEBP"
        assert max(rendition.size) == int(size)

    assert {key: (m.status, m.failure_reason) for key, m in media.items() if key != "img-1-1"} == {
        "broken-1": ("failed", "truncated or corrupt image"),
        "bomb-1": ("failed", "60000×60000 pixels is over the limit of 40,000,000"),
        "notimage-1": ("failed", "not an image"),
    }
    for bad in ("broken-1", "bomb-1", "notimage-1"):
        assert not media[bad].image
        assert media[bad].renditions == {}

    product.refresh_from_db()
    assert (product.listing_state, product.listing_changed_at) == listing_before
    assert sorted(p.relative_to(media_root).as_posix() for p in media_root.rglob("*.webp")) == sorted(
        [good.image.name, *good.renditions.values()]
    )


def test_queueing_the_task_alone_is_enough(registry_sim, media_root, product, django_capture_on_commit_callbacks):
    # What the sync engine does: save the product's image ids, queue the task on commit.
    registry_sim([])
    with django_capture_on_commit_callbacks(execute=True):
        transaction.on_commit(lambda: fetch_product_images_task.delay(product.pk))

    statuses = {key: m.status for key, m in registry_media(product).items()}
    assert statuses == {"img-1-1": "ready", "broken-1": "failed", "bomb-1": "failed", "notimage-1": "failed"}


def test_task_for_a_deleted_product_does_nothing(registry_sim):
    registry_sim([])
    fetch_product_images_task.delay(0)


def test_running_everything_twice_changes_nothing(registry_sim, media_root, product):
    registry_sim([])
    product_media_sync_registry_images(product=product)
    fetch_product_images_task.delay(product.pk)
    before = {key: (m.pk, m.status, m.failure_reason, m.updated_at) for key, m in registry_media(product).items()}
    files_before = {p: p.stat().st_mtime_ns for p in media_root.rglob("*")}

    assert product_media_sync_registry_images(product=product) == []
    fetch_product_images_task.delay(product.pk)

    assert {key: (m.pk, m.status, m.failure_reason, m.updated_at) for key, m in registry_media(product).items()} == (
        before
    )
    assert {p: p.stat().st_mtime_ns for p in media_root.rglob("*")} == files_before


def test_image_over_the_byte_limit_is_refused_while_downloading(registry_sim, media_root, product, settings):
    registry_sim([])
    settings.OCOP_IMAGE_MAX_BYTES = 100
    product.registry_image_ids = ["img-1-1"]
    product.save()
    product_media_sync_registry_images(product=product)

    fetch_product_images_task.delay(product.pk)

    media = registry_media(product)["img-1-1"]
    assert (media.status, media.failure_reason) == ("failed", "over 100 bytes")


@pytest.mark.usefixtures("eager_retries")
def test_registry_unavailable_leaves_images_pending(registry_sim, media_root, product):
    registry_sim([], extra_args=["--fail-first", "100000"])
    pending = product_media_sync_registry_images(product=product)

    # The client's own attempts, then the task's retries (run at once here), until max_retries.
    result = fetch_product_images_task.apply(args=(product.pk,), throw=False)

    assert result.state == "FAILURE"
    assert isinstance(result.result, RegistryUnavailable)
    assert sorted(pending) == sorted(m.pk for m in registry_media(product).values())
    assert {m.status for m in registry_media(product).values()} == {ProductMedia.Status.PENDING}
    assert not any(media_root.rglob("*.webp"))


@pytest.mark.usefixtures("eager_retries")
def test_task_retry_carries_on_after_the_registry_comes_back(registry_sim, media_root, product, settings):
    # The client gives up after OCOP_REGISTRY_MAX_ATTEMPTS 503s; the task's first retry then gets through.
    registry_sim([], extra_args=["--fail-first", str(settings.OCOP_REGISTRY_MAX_ATTEMPTS)])
    product_media_sync_registry_images(product=product)

    result = fetch_product_images_task.apply(args=(product.pk,), throw=False)

    assert result.state == "SUCCESS"
    statuses = {key: m.status for key, m in registry_media(product).items()}
    assert statuses == {"img-1-1": "ready", "broken-1": "failed", "bomb-1": "failed", "notimage-1": "failed"}


def test_refused_token_leaves_images_pending(registry_sim, media_root, product, settings):
    registry_sim([])
    settings.OCOP_REGISTRY_TOKEN = "wrong-token"
    product_media_sync_registry_images(product=product)

    with pytest.raises(RegistryAuthError):
        fetch_product_images_task.delay(product.pk)

    assert {m.status for m in registry_media(product).values()} == {ProductMedia.Status.PENDING}


def test_sync_follows_the_registry_list_and_leaves_producer_images_alone(
    registry_sim, media_root, product, django_capture_on_commit_callbacks
):
    registry_sim([])
    own = ProductMedia.objects.create(product=product, source=ProductMedia.Source.PRODUCER, sort_order=0)
    product_media_sync_registry_images(product=product)
    fetch_product_images_task.delay(product.pk)
    first = registry_media(product)
    stored = [media_root / first["img-1-1"].image.name, *(media_root / p for p in first["img-1-1"].renditions.values())]
    assert all(path.exists() for path in stored)

    product.registry_image_ids = ["img-2-1", "broken-1", "  ", "img-2-1", 7]  # new first, repeats and junk ignored
    product.save()
    with django_capture_on_commit_callbacks(execute=True):
        pending = product_media_sync_registry_images(product=product)

    now = registry_media(product)
    assert sorted(now) == ["broken-1", "img-2-1"]
    assert pending == [now["img-2-1"].pk]
    assert (now["img-2-1"].sort_order, now["broken-1"].sort_order) == (0, 1)
    assert now["broken-1"].pk == first["broken-1"].pk
    assert now["broken-1"].status == ProductMedia.Status.FAILED  # not retried on every sync
    assert not any(path.exists() for path in stored)  # the dropped image's files went with it
    own.refresh_from_db()
    assert (own.source, own.sort_order, own.status) == ("producer", 0, "pending")

    fetch_product_images_task.delay(product.pk)
    assert registry_media(product)["img-2-1"].status == ProductMedia.Status.READY


def test_services_do_nothing_to_media_no_longer_pending(registry_sim, media_root, product):
    registry_sim([])
    product_media_sync_registry_images(product=product)
    fetch_product_images_task.delay(product.pk)
    good = registry_media(product)["img-1-1"]

    assert product_media_mark_failed(media=good, reason="late") is False

    good.refresh_from_db()
    assert (good.status, good.failure_reason) == ("ready", "")
