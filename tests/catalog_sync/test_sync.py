"""The sync, end to end over HTTP against registry_sim.py: every rule of the gate and the feed."""

import datetime
import json
import threading
import unicodedata

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from catalog_sync.models import QuarantinedRecord, RegistryCursor, SyncRun
from catalog_sync.sync import SyncAlreadyRunning, run_sync
from marketplace.catalogue.models import ListingEvent, ListingReason, ListingState, Product
from marketplace.catalogue.selectors import listed_products
from marketplace.catalogue.services import catalogue_apply_daily_check
from marketplace.certification.models import Certification
from marketplace.core.dates import local_today
from marketplace.producers.models import Producer
from tests.catalog_sync.helpers import cert, day
from tests.catalog_sync.registry import DEMO_DATA

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _no_images(settings):
    settings.OCOP_SYNC_IMAGES = False


def product(product_id="DNP-0001") -> Product:
    return Product.objects.select_related("current_certification").get(registry_id=product_id)


def test_demo_registry_lists_exactly_the_valid_certificates(registry_sim):
    records = json.loads(DEMO_DATA.read_text(encoding="utf-8"))
    registry_sim(records)

    run = run_sync(page_size=20)

    today = local_today()
    valid = {
        r["product"]["product_id"]
        for r in records
        if r["status"] == "active" and 3 <= r["stars"] <= 5 and r["valid_from"] <= today.isoformat() <= r["valid_until"]
    }
    assert run.status == SyncRun.Status.SUCCEEDED
    assert (run.received, run.created, run.quarantined, run.listed) == (50, 50, 0, len(valid))
    assert set(listed_products().values_list("registry_id", flat=True)) == valid
    assert Product.objects.exclude(registry_id__in=valid).filter(listing_state=ListingState.LISTED).count() == 0


def test_only_active_certificates_of_three_to_five_stars_valid_today_are_listed(registry_sim):
    registry_sim(
        [
            cert("C-OK", product_id="P-OK", stars=3, minute=1),
            cert("C-5", product_id="P-5", stars=5, minute=2),
            cert("C-2STARS", product_id="P-2", stars=2, minute=3),
            cert("C-EXPIRED-BUT-ACTIVE", product_id="P-EXP", valid_from=-1090, valid_until=-1, minute=4),
            cert("C-ENDS-TODAY", product_id="P-TODAY", valid_from=-1000, valid_until=0, minute=5),
            cert("C-FUTURE", product_id="P-FUT", valid_from=3, valid_until=1000, minute=6),
            cert("C-REVOKED", product_id="P-REV", status="revoked", minute=7),
            cert("C-SUSPENDED", product_id="P-SUS", status="suspended", minute=8),
            cert("C-EXPIRED", product_id="P-EXPST", status="expired", minute=9),
        ]
    )

    run = run_sync()

    assert run.created == 9
    assert set(listed_products().values_list("registry_id", flat=True)) == {"P-OK", "P-5", "P-TODAY"}
    assert set(Product.objects.filter(listing_state=ListingState.DRAFT).values_list("registry_id", flat=True)) == {
        "P-2",
        "P-EXP",
        "P-FUT",
        "P-REV",
        "P-SUS",
        "P-EXPST",
    }
    event = ListingEvent.objects.get(product__registry_id="P-OK")
    assert (event.from_state, event.to_state, event.reason, event.certificate_id, event.certificate_revision) == (
        "draft",
        "listed",
        ListingReason.CERTIFIED,
        "C-OK",
        1,
    )


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"stars": 2}, ListingReason.DOWNGRADED),
        ({"status": "revoked"}, ListingReason.REVOKED),
        ({"status": "suspended"}, ListingReason.SUSPENDED),
        ({"status": "expired"}, ListingReason.CERTIFICATE_EXPIRED),
    ],
)
def test_a_change_between_two_syncs_delists_at_once_with_its_reason(registry_sim, change, reason):
    sim = registry_sim([cert()])
    run_sync()
    assert product().listing_state == ListingState.LISTED

    sim.write([cert(), cert(revision=2, minute=10, **change)])
    second = run_sync()

    assert (second.received, second.updated, second.delisted) == (1, 1, 1)
    assert product().listing_state == ListingState.DELISTED
    event = ListingEvent.objects.filter(product=product()).first()
    assert (event.reason, event.certificate_id, event.certificate_revision, event.sync_run_id) == (
        reason,
        "DN-2025-0001",
        2,
        second.pk,
    )
    assert not listed_products().exists()


def test_expiry_while_the_registry_still_says_active_is_caught_by_the_daily_check(registry_sim):
    registry_sim([cert(valid_from=-1095, valid_until=0)])
    run_sync()
    assert product().listing_state == ListingState.LISTED

    tomorrow = local_today() + datetime.timedelta(days=1)
    assert not listed_products(today=tomorrow).exists(), "the shop hides it the moment the day turns"

    changes = catalogue_apply_daily_check(today=tomorrow)

    assert changes.delisted == 1
    assert product().listing_state == ListingState.DELISTED
    assert ListingEvent.objects.filter(product=product()).first().reason == ListingReason.CERTIFICATE_EXPIRED


def test_the_daily_check_lists_a_certificate_whose_validity_begins_today(registry_sim):
    registry_sim([cert(valid_from=1, valid_until=1000)])
    run_sync()
    assert product().listing_state == ListingState.DRAFT

    tomorrow = local_today() + datetime.timedelta(days=1)
    assert catalogue_apply_daily_check(today=tomorrow).listed == 1
    assert product().listing_state == ListingState.LISTED


def test_a_re_evaluation_keeps_the_listing_under_the_new_certificate(registry_sim):
    sim = registry_sim([cert("OLD", valid_from=-900, valid_until=150)])
    run_sync()

    sim.write(
        [
            cert("OLD", revision=2, status="superseded", valid_from=-900, valid_until=150, minute=20),
            cert("NEW", stars=5, valid_from=-1, valid_until=1000, supersedes="OLD", minute=20),
        ]
    )
    run = run_sync()

    assert run.delisted == 0
    current = product()
    assert current.listing_state == ListingState.LISTED
    assert current.current_certification.certificate_id == "NEW"
    assert list(ListingEvent.objects.filter(product=current).values_list("reason", flat=True)) == [
        ListingReason.RECERTIFIED,
        ListingReason.CERTIFIED,
    ]
    assert list(current.certifications.order_by("certificate_id").values_list("certificate_id", "status")) == [
        ("NEW", "active"),
        ("OLD", "superseded"),
    ], "the rating history keeps every certificate"


def test_what_the_producer_entered_survives_a_delisting_and_returns_with_the_relisting(registry_sim):
    from marketplace.catalogue.models import ProductVariant, ProductVariantChannelListing
    from marketplace.channel.services import channel_ensure_default
    from marketplace.inventory.models import Stock
    from marketplace.outlets.models import Outlet

    sim = registry_sim([cert()])
    run_sync()
    item = product()
    item.seller_description = "Bưởi hái tại vườn"
    item.save()
    variant = ProductVariant.objects.create(product=item, sku="BTT-1KG", name="1 kg", weight_grams=1000)
    ProductVariantChannelListing.objects.create(variant=variant, channel=channel_ensure_default(), price_amount=65000)
    outlet = Outlet.objects.create(name="Bửu Long", slug="buu-long", kind="showroom")
    Stock.objects.create(variant=variant, outlet=outlet, quantity=12)

    sim.write([cert(), cert(revision=2, status="revoked", minute=5)])
    run_sync()
    assert product().listing_state == ListingState.DELISTED

    sim.write([cert(), cert(revision=2, status="revoked", minute=5), cert("DN-2026-0002", minute=9)])
    run = run_sync()

    item = product()
    assert run.listed == 1
    assert item.listing_state == ListingState.LISTED
    assert ListingEvent.objects.filter(product=item).first().reason == ListingReason.RELISTED
    assert item.seller_description == "Bưởi hái tại vườn"
    assert item.variants.get().channel_listings.get().price_amount == 65000
    assert Stock.objects.get(variant__product=item).quantity == 12


def test_stale_and_repeated_revisions_change_nothing(registry_sim):
    sim = registry_sim([cert(revision=3, stars=5, minute=1)])
    run_sync()

    sim.write(
        [
            cert(revision=3, stars=5, minute=1),
            cert(revision=3, stars=2, minute=2),  # same revision again, other content: ignored
            cert(revision=1, stars=2, status="revoked", minute=3),  # an old revision arriving late
        ]
    )
    run = run_sync()

    assert (run.received, run.unchanged, run.stale, run.updated, run.delisted) == (2, 1, 1, 0, 0)
    certification = Certification.objects.get()
    assert (certification.revision, certification.stars, certification.status) == (3, 5, "active")
    assert product().listing_state == ListingState.LISTED


def test_records_repeated_in_one_page_are_applied_once(registry_sim):
    registry_sim([cert(revision=1, minute=1), cert(revision=1, minute=1, score=78.5), cert(revision=2, minute=2)])
    run = run_sync()
    assert (run.received, run.created, run.updated, run.unchanged) == (3, 1, 1, 1)
    assert Certification.objects.get().revision == 2


def _bad_records():
    missing_stars = cert("BAD-MISSING", product_id="P-MISSING", minute=1)
    del missing_stars["stars"]
    no_product_name = cert("BAD-NONAME", product_id="P-NONAME", minute=2)
    no_product_name["product"]["name"] = None
    wrong_type = cert("BAD-TYPE", product_id="P-TYPE", minute=3)
    wrong_type["revision"] = "2"
    bad_date = cert("BAD-DATE", product_id="P-DATE", minute=4)
    bad_date["valid_until"] = "31/12/2027"
    naive_stamp = cert("BAD-STAMP", product_id="P-STAMP", minute=5)
    naive_stamp["updated_at"] = "2025-01-01T10:00:00"
    too_long = cert("BAD-LONG", product_id="P-LONG", valid_from=-10, valid_until=2000, minute=6)
    band = cert("BAD-BAND", product_id="P-BAND", stars=5, minute=7)
    band["score"] = 61.0
    group = cert("BAD-GROUP", product_id="P-GROUP", minute=8)
    group["product"]["group"] = {"scheme": "2018", "code": "IV", "name": "Thủ công mỹ nghệ"}
    return [
        missing_stars,
        no_product_name,
        wrong_type,
        bad_date,
        naive_stamp,
        too_long,
        band,
        group,
        cert("BAD-STARS", product_id="P-STARS", stars=7, minute=9),
        cert("BAD-STATUS", product_id="P-STATUS", status="approved", minute=10),
        cert("BAD-KIND", product_id="P-KIND", minute=11, producer={**cert()["producer"], "kind": "state"}),
        "not even an object",
    ]


def test_each_kind_of_bad_record_is_quarantined_with_its_reasons_and_never_listed(registry_sim):
    bad = _bad_records()
    registry_sim([*bad, cert("GOOD", product_id="P-GOOD", minute=30)])

    run = run_sync()

    assert (run.received, run.created, run.quarantined, run.listed) == (len(bad) + 1, 1, len(bad), 1)
    assert list(Product.objects.values_list("registry_id", flat=True)) == ["P-GOOD"]
    reasons = {q.certificate_id: " ".join(q.reasons) for q in QuarantinedRecord.objects.all()}
    assert "stars is required" in reasons["BAD-MISSING"]
    assert "product.name is required" in reasons["BAD-NONAME"]
    assert "revision must be a whole number" in reasons["BAD-TYPE"]
    assert "is not a date" in reasons["BAD-DATE"]
    assert "has no time zone" in reasons["BAD-STAMP"]
    assert "more than 36 months" in reasons["BAD-LONG"]
    assert "does not match 5 stars" in reasons["BAD-BAND"]
    assert "not a group of the 2018 scheme" in reasons["BAD-GROUP"]
    assert "stars is 7, outside 1–5" in reasons["BAD-STARS"]
    assert "status 'approved' is not one of" in reasons["BAD-STATUS"]
    assert "producer.kind 'state'" in reasons["BAD-KIND"]
    assert "must be a JSON object" in reasons[""]
    assert QuarantinedRecord.objects.get(certificate_id="BAD-STARS").raw["stars"] == 7, "raw JSON kept whole"


def test_a_valid_revision_releases_the_quarantine_and_lists(registry_sim):
    sim = registry_sim([cert(stars=7)])
    first = run_sync()
    assert first.quarantined == 1 and not Product.objects.exists()

    sim.write([cert(stars=7), cert(revision=2, minute=5)])
    second = run_sync()

    assert (second.created, second.listed) == (1, 1)
    quarantined = QuarantinedRecord.objects.get()
    assert quarantined.released_at is not None and quarantined.released_by_revision == 2
    assert product().listing_state == ListingState.LISTED


def test_an_invalid_newer_revision_takes_the_certificate_out_until_a_valid_one_comes(registry_sim):
    sim = registry_sim([cert()])
    run_sync()

    sim.write([cert(), cert(revision=2, stars=9, minute=5)])
    run = run_sync()
    assert (run.quarantined, run.delisted) == (1, 1)
    assert product().listing_state == ListingState.DELISTED
    assert ListingEvent.objects.filter(product=product()).first().reason == ListingReason.QUARANTINED
    assert Certification.objects.get().stars == 4, "the last valid revision stays on record"

    sim.write([cert(), cert(revision=2, stars=9, minute=5), cert(revision=1, minute=6), cert(revision=3, minute=7)])
    run = run_sync()
    assert (run.stale, run.updated, run.listed) == (1, 1, 1)
    assert product().listing_state == ListingState.LISTED
    assert Certification.objects.get().quarantined_revision is None


def test_text_is_normalised_to_nfc_and_stripped_of_markup(registry_sim):
    record = cert(product_name=unicodedata.normalize("NFD", "Hạt điều rang muối Đồng Nai"))
    record["product"]["description"] = "<p>Hạt <b>điều</b> loại&nbsp;A</p><script>alert('x')</script>"
    record["producer"]["name"] = unicodedata.normalize("NFD", "<i>Hợp tác xã</i> Điều Bình Phước")
    registry_sim([record])

    run_sync()

    item = product()
    assert item.name == unicodedata.normalize("NFC", "Hạt điều rang muối Đồng Nai")
    assert unicodedata.is_normalized("NFC", item.name)
    assert item.description == "Hạt điều loại A"
    assert item.producer.name == "Hợp tác xã Điều Bình Phước"
    assert item.slug == "hat-dieu-rang-muoi-dong-nai"


def test_producer_addresses_are_shown_in_todays_units(registry_sim):
    old_binh_phuoc = cert("C-BP", product_id="P-BP", producer_id="DNS-BP", minute=2)
    old_binh_phuoc["producer"]["address"] = {
        "line": None,
        "commune": "Xã Lộc Ninh",
        "district": "Huyện Lộc Ninh",
        "province": "Tỉnh Bình Phước",
    }
    registry_sim([cert(), old_binh_phuoc])

    run_sync()

    tan_trieu = Producer.objects.get(registry_id="DNS-0001")
    assert (tan_trieu.address_commune, tan_trieu.address_district) == ("Xã Tân Bình", "Huyện Vĩnh Cửu")
    assert (tan_trieu.commune_today, tan_trieu.province_today) == ("Phường Tân Triều", "Tỉnh Đồng Nai")
    binh_phuoc = Producer.objects.get(registry_id="DNS-BP")
    assert binh_phuoc.address_province == "Tỉnh Bình Phước"
    assert binh_phuoc.province_today == "Tỉnh Đồng Nai"


def test_an_outage_in_the_middle_of_the_feed_fails_the_run_and_the_next_sync_resumes(registry_sim, settings):
    from tests.catalog_sync.faulty_registry import FaultyRegistry

    records = [cert(f"C-{i:02d}", product_id=f"P-{i:02d}", minute=i) for i in range(10)]
    sim = registry_sim(records)
    # Two good pages, then the registry goes down for longer than the client retries.
    proxy = FaultyRegistry(sim.url, ["pass", "pass"] + ["503"] * settings.OCOP_REGISTRY_MAX_ATTEMPTS)
    settings.OCOP_REGISTRY_URL = proxy.url
    try:
        failed = run_sync(page_size=3)
        assert failed.status == SyncRun.Status.FAILED
        assert "failed 4 times" in failed.error
        assert (failed.pages, failed.created) == (2, 6)
        assert Product.objects.count() == 6, "the pages before the outage stay, with their cursor"
        assert RegistryCursor.objects.get().cursor == failed.cursor_after

        resumed = run_sync(page_size=3)
    finally:
        proxy.stop()

    assert resumed.status == SyncRun.Status.SUCCEEDED
    assert resumed.cursor_before == failed.cursor_after
    assert (resumed.received, resumed.created) == (4, 4)
    assert listed_products().count() == 10


@pytest.mark.parametrize("fault", ["503", "429", "500", "broken_json", "close", "hang"])
def test_transient_registry_failures_are_retried(registry_sim, settings, fault):
    from tests.catalog_sync.faulty_registry import FaultyRegistry

    settings.OCOP_REGISTRY_TIMEOUT_SECONDS = 0.5
    sim = registry_sim([cert()])
    proxy = FaultyRegistry(sim.url, [fault, fault])
    settings.OCOP_REGISTRY_URL = proxy.url
    try:
        run = run_sync()
    finally:
        proxy.stop()
    assert run.status == SyncRun.Status.SUCCEEDED, run.error
    assert [behaviour for _, behaviour in proxy.requests] == [fault, fault, "pass"]
    assert product().listing_state == ListingState.LISTED


def test_the_registry_stand_in_own_failure_injection_is_survived(registry_sim):
    registry_sim([cert()], extra_args=["--fail-first", "2"])
    run = run_sync()
    assert run.status == SyncRun.Status.SUCCEEDED
    assert run.listed == 1


def test_a_wrong_token_is_a_clear_error_and_changes_nothing(registry_sim, settings, capsys):
    registry_sim([cert()])
    settings.OCOP_REGISTRY_TOKEN = "wrong-token"

    with pytest.raises(CommandError):
        call_command("sync_registry")

    err = capsys.readouterr().err
    assert "refused the token (401" in err and "OCOP_REGISTRY_TOKEN" in err
    run = SyncRun.objects.get()
    assert (run.status, run.pages) == (SyncRun.Status.FAILED, 0)
    assert not Product.objects.exists()
    assert RegistryCursor.objects.get().cursor == ""


def test_two_syncs_never_run_at_once(registry_sim):
    registry_sim([cert(f"C-{i}", product_id=f"P-{i}", minute=i) for i in range(4)], extra_args=["--latency-ms", "400"])
    outcome = {}

    def first():
        from django.db import connections

        try:
            outcome["first"] = run_sync(page_size=1)
        finally:
            connections.close_all()

    thread = threading.Thread(target=first)
    thread.start()
    try:
        for _ in range(100):
            if SyncRun.objects.exists():
                break
            threading.Event().wait(0.02)
        with pytest.raises(SyncAlreadyRunning):
            run_sync()
    finally:
        thread.join()
    assert outcome["first"].status == SyncRun.Status.SUCCEEDED
    assert SyncRun.objects.count() == 1


def test_the_command_shows_progress_per_page_and_ends_with_counts(registry_sim, capsys):
    registry_sim([cert(f"C-{i}", product_id=f"P-{i}", minute=i) for i in range(5)] + [cert("X", stars=0, minute=9)])

    call_command("sync_registry", page_size=2)

    out = capsys.readouterr().out
    assert out.count("page ") == 3
    assert "received 6, created 5, updated 0, unchanged 0, stale 0, quarantined 1, listed 5, delisted 0." in out


def test_a_second_sync_with_nothing_new_changes_nothing(registry_sim):
    registry_sim([cert()])
    run_sync()
    again = run_sync()
    assert (again.received, again.created, again.updated, again.listed, again.delisted) == (0, 0, 0, 0, 0)
    assert ListingEvent.objects.count() == 1


def test_slugs_keep_vietnamese_readable_and_unique(registry_sim):
    registry_sim(
        [
            cert("C-1", product_id="P-1", product_name="Đặc sản Đồng Nai", minute=1),
            cert("C-2", product_id="P-2", product_name="Đặc sản Đồng Nai", minute=2),
        ]
    )
    run_sync()
    assert sorted(Product.objects.values_list("slug", flat=True)) == ["dac-san-dong-nai", "dac-san-dong-nai-p-2"]
    assert day(0) == local_today().isoformat()


def test_celery_beat_syncs_every_interval_and_checks_expiry_after_midnight(registry_sim, settings):
    from catalog_sync.tasks import sync_registry_task
    from marketplace.catalogue.tasks import delist_expired_task

    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["sync-registry"]["task"] == "catalog_sync.tasks.sync_registry_task"
    assert schedule["sync-registry"]["schedule"].total_seconds() == settings.OCOP_SYNC_INTERVAL_MINUTES * 60
    assert schedule["delist-expired-certificates"]["schedule"].hour == {0}
    assert settings.CELERY_TIMEZONE == "Asia/Ho_Chi_Minh"

    registry_sim([cert()])
    result = sync_registry_task.delay().get(disable_sync_subtasks=False)
    assert (result["status"], result["listed"]) == ("succeeded", 1)
    daily = delist_expired_task.delay().get(disable_sync_subtasks=False)
    assert daily == {"listed": 0, "delisted": 0, "recertified": 0}


def test_registry_images_are_fetched_after_the_page_commits_and_a_bad_one_never_stops_the_listing(
    registry_sim, settings, tmp_path
):
    from marketplace.catalogue.models import ProductMedia

    settings.OCOP_SYNC_IMAGES = True
    settings.MEDIA_ROOT = tmp_path
    record = cert()
    record["product"]["images"] = [
        {"media_id": "img-0001-1", "sha256": None},
        {"media_id": "notimage-0001-2", "sha256": None},
        {"media_id": "bomb-0001-3"},
        {"media_id": None},
        "not an object",
    ]
    registry_sim([record])

    run = run_sync()

    assert (run.quarantined, run.listed) == (0, 1)
    assert product().listing_state == ListingState.LISTED
    media = {m.registry_media_id: m for m in ProductMedia.objects.all()}
    assert set(media) == {"img-0001-1", "notimage-0001-2", "bomb-0001-3"}
    assert media["img-0001-1"].status == ProductMedia.Status.READY
    assert media["img-0001-1"].renditions
    assert media["notimage-0001-2"].status == ProductMedia.Status.FAILED
    assert "over the limit" in media["bomb-0001-3"].failure_reason


def test_images_left_pending_by_an_outage_are_queued_again(registry_sim, settings, tmp_path):
    from catalog_sync.tasks import requeue_pending_images_task
    from marketplace.catalogue.models import ProductMedia

    settings.MEDIA_ROOT = tmp_path
    record = cert()
    record["product"]["images"] = [{"media_id": "img-0001-1"}]
    registry_sim([record])
    run_sync()  # images off: the media row is not even made yet
    item = product()
    ProductMedia.objects.create(product=item, source="registry", registry_media_id="img-0001-1")
    assert requeue_pending_images_task.delay().get(disable_sync_subtasks=False) == 0, "too recent to retry"

    ProductMedia.objects.update(updated_at=timezone.now() - datetime.timedelta(hours=2))
    assert requeue_pending_images_task.delay().get(disable_sync_subtasks=False) == 1
    assert ProductMedia.objects.get().status == ProductMedia.Status.READY


def test_a_slug_taken_by_an_earlier_sync_gets_the_registry_id(registry_sim):
    from marketplace.catalogue.models import Product as P

    sim = registry_sim([cert("C-1", product_id="P-1", product_name="Mật ong Đồng Nai", minute=1)])
    run_sync()
    P.objects.create(registry_id="X-9", slug="mat-ong-dong-nai-p-2", name="x", producer=product("P-1").producer)
    sim.write(
        [
            cert("C-1", product_id="P-1", product_name="Mật ong Đồng Nai", minute=1),
            cert("C-2", product_id="P-2", product_name="Mật ong Đồng Nai", minute=2),
            cert("C-3", product_id="P-3", product_name="Mật ong Đồng Nai", minute=3),
        ]
    )
    run_sync()
    assert dict(P.objects.values_list("registry_id", "slug")) == {
        "P-1": "mat-ong-dong-nai",
        "P-2": "mat-ong-dong-nai-p-2-2",
        "P-3": "mat-ong-dong-nai-p-3",
        "X-9": "mat-ong-dong-nai-p-2",
    }


def test_each_page_announces_the_products_it_changed_once_committed(registry_sim):
    from marketplace.catalogue.signals import products_changed

    announced = []

    def receiver(sender, product_ids, **kwargs):
        announced.append(sorted(Product.objects.filter(pk__in=product_ids).values_list("registry_id", flat=True)))

    products_changed.connect(receiver)
    try:
        sim = registry_sim([cert("C-1", product_id="P-1", minute=1), cert("C-2", product_id="P-2", minute=2)])
        run_sync(page_size=1)
        sim.write(
            [*json.loads(sim.data_file.read_text()), cert("C-2", product_id="P-2", revision=2, stars=2, minute=3)]
        )
        run_sync()
        catalogue_apply_daily_check(today=local_today() + datetime.timedelta(days=5000))
    finally:
        products_changed.disconnect(receiver)
    assert announced == [["P-1"], ["P-2"], ["P-2"], ["P-1"]]
