"""The department of trade's console (/trade/): who may open it, what each page shows, and its one write."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.translation import override
from openpyxl import load_workbook

from catalog_sync.models import QuarantinedRecord, SyncRun
from catalog_sync.sync import run_sync
from marketplace.accounts.models import Role
from marketplace.catalogue.models import (
    Category,
    ListingEvent,
    ListingReason,
    ListingState,
    ListingTrigger,
)
from marketplace.certification.models import CertificationStatus, MisuseReport, MisuseReportStatus
from marketplace.core.dates import day_text, local_today
from marketplace.orders.models import Order, OrderLine, OrderStatus
from tests.catalog_sync.helpers import cert
from tests.factories import (
    DEFAULT_PASSWORD,
    make_certification,
    make_producer,
    make_product,
    make_user,
    make_variant,
)
from tests.order_factories import make_order
from web.trade.vocabulary import DOMAIN_LABELS

OTHER_PROVINCE = "Thành phố Hồ Chí Minh"
PAGES = [
    "/trade/",
    "/trade/producers/",
    "/trade/producers/?standing=lapsing&month=2026-12&sort=expiry",
    "/trade/producers/?standing=lapsed",
    "/trade/expiring/",
    "/trade/expiring/?days=this-month",
    "/trade/delistings/",
    "/trade/quarantine/",
    "/trade/reports/",
    "/trade/sales/",
    "/trade/sales.csv",
    "/trade/sales.xlsx",
    "/trade/sales/?channel=counter",
    "/trade/outlets/days/",
    "/trade/outlets/days.csv",
]


def client_for(user, *, language: str = "en") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["ocop_language"] = language
    return client


def listed(product, **kw):
    certification = make_certification(product, **kw)
    product.listing_state = ListingState.LISTED
    product.listing_changed_at = timezone.now()
    product.current_certification = certification
    product.save(update_fields=["listing_state", "listing_changed_at", "current_certification"])
    return certification


def delisted(product, reason=ListingReason.CERTIFICATE_EXPIRED):
    product.listing_state = ListingState.DELISTED
    product.listing_changed_at = timezone.now()
    product.save(update_fields=["listing_state", "listing_changed_at"])
    return ListingEvent.objects.create(
        product=product,
        from_state=ListingState.LISTED,
        to_state=ListingState.DELISTED,
        reason=reason,
        certificate_id="C-OLD",
        certificate_revision=3,
        trigger=ListingTrigger.DAILY_CHECK,
    )


@pytest.fixture
def trade_staff(db):
    return make_user(Role.TRADE_STAFF)


@pytest.fixture
def seller(db):
    """A producer of Đồng Nai with a listed and a delisted product, and one of another province."""
    producer = make_producer(name="Hợp tác xã Bưởi Tân Triều")
    pomelo = make_product(producer, name="Bưởi Tân Triều", name_en="Tan Trieu pomelo")
    listed(pomelo)
    honey = make_product(producer, name="Mật ong rừng Mã Đà", name_en="Ma Da forest honey")
    delisted(honey)
    elsewhere = make_producer(name="Công ty Cà phê Sài Gòn", province_today=OTHER_PROVINCE, address_province="")
    coffee = make_product(elsewhere, name="Cà phê Sài Gòn")
    listed(coffee, valid_until=local_today() + datetime.timedelta(days=5))
    delisted(make_product(elsewhere, name="Trà Sài Gòn"))
    return producer


# --- who may open what -------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(db, url):
    response = Client().get(url)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/?next=")


@pytest.mark.parametrize("role", [Role.CONSUMER, Role.PRODUCER_STAFF, Role.OUTLET_STAFF])
@pytest.mark.parametrize("url", PAGES)
def test_other_roles_are_refused(db, role, url):
    assert client_for(make_user(role)).get(url).status_code == 403


@pytest.mark.parametrize("role", [Role.TRADE_STAFF, Role.OPERATOR])
@pytest.mark.parametrize("url", PAGES)
def test_trade_staff_and_operators_open_every_page(db, seller, role, url):
    assert client_for(make_user(role)).get(url).status_code == 200


@pytest.mark.parametrize("role", [Role.CONSUMER, Role.PRODUCER_STAFF, Role.OUTLET_STAFF])
def test_other_roles_cannot_close_a_report(db, role):
    report = MisuseReport.objects.create(certificate_id="X-1", place="Chợ", description="?")
    response = client_for(make_user(role)).post(
        f"/trade/reports/{report.pk}/handle/",
        {f"report-{report.pk}-status": "handled", f"report-{report.pk}-resolution": "ok"},
    )
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.status == MisuseReportStatus.NEW


def test_the_layout_links_trade_staff_to_their_console(trade_staff):
    response = client_for(trade_staff).get("/")
    assert 'href="/trade/"' in response.content.decode()


def test_trade_staff_see_only_their_province(seller):
    mine = client_for(make_user(Role.TRADE_STAFF))
    theirs = client_for(make_user(Role.TRADE_STAFF, province=OTHER_PROVINCE))

    page = mine.get("/trade/producers/").content.decode()
    assert "Hợp tác xã Bưởi Tân Triều" in page and "Ma Da forest honey" in page
    assert "Cà phê Sài Gòn" not in page

    other = theirs.get("/trade/producers/").content.decode()
    assert "Công ty Cà phê Sài Gòn" in other
    assert "Bưởi Tân Triều" not in other and "Ma Da forest honey" not in other
    assert "Ma Da forest honey" not in theirs.get("/trade/delistings/").content.decode()
    assert "Trà Sài Gòn" in theirs.get("/trade/delistings/").content.decode()
    assert "Cà phê Sài Gòn" in theirs.get("/trade/expiring/").content.decode()
    assert "Cà phê Sài Gòn" not in mine.get("/trade/expiring/").content.decode()

    summary = mine.get("/trade/").context["summary"]
    assert (summary.producers, summary.listed_products, summary.delisted_products) == (1, 1, 1)


def test_trade_staff_without_a_province_see_nothing(seller):
    page = client_for(make_user(Role.TRADE_STAFF, province="")).get("/trade/producers/")
    assert page.status_code == 200
    assert "Bưởi Tân Triều" not in page.content.decode()


# --- pages -------------------------------------------------------------------------------------------------


def test_the_producers_page_lists_listed_and_delisted_products_and_searches(seller):
    client = client_for(make_user(Role.TRADE_STAFF))
    page = client.get("/trade/producers/").content.decode()
    assert "Tan Trieu pomelo" in page and "Ma Da forest honey" in page
    assert "Certificate expired" in page  # why the honey is delisted
    assert "Bưởi" in client.get("/trade/producers/", {"q": "tân triều"}).content.decode()
    assert "Bưởi" in client.get("/trade/producers/", {"q": "HOP TAC XA buoi tan trieu"}).content.decode()
    assert "Tan Trieu pomelo" not in client.get("/trade/producers/", {"q": "không có"}).content.decode()


def test_the_console_is_in_vietnamese_by_default(seller):
    page = client_for(make_user(Role.TRADE_STAFF), language="vi").get("/trade/delistings/").content.decode()
    assert 'lang="vi"' in page
    with override("vi"):
        from django.utils.translation import gettext

        assert gettext("Certificate expired") != "Certificate expired"
        assert gettext("Certificate expired") in page


def test_registry_text_is_escaped(trade_staff):
    producer = make_producer(name="<script>alert('producer')</script>")
    product = make_product(producer, name="<b>Bưởi</b><script>alert(1)</script>")
    listed(product, valid_until=local_today() + datetime.timedelta(days=3))
    delisted(make_product(producer, name="<img src=x onerror=alert(2)>"))
    client = client_for(trade_staff)
    for url in ("/trade/producers/", "/trade/expiring/", "/trade/delistings/"):
        page = client.get(url).content.decode()
        assert "<script>alert" not in page and "<img src=x" not in page
    assert (
        "&lt;script&gt;alert(&#x27;producer&#x27;)&lt;/script&gt;" in client.get("/trade/producers/").content.decode()
    )


def test_expiring_certificates_within_30_and_90_days(trade_staff):
    today = local_today()
    soon = listed(make_product(name="Hạt điều Bình Phước"), valid_until=today + datetime.timedelta(days=10))
    later = listed(make_product(name="Bưởi Tân Triều"), valid_until=today + datetime.timedelta(days=60))
    listed(make_product(name="Cà phê Đồng Nai"), valid_until=today + datetime.timedelta(days=200))
    listed(make_product(name="Hết hạn"), valid_until=today - datetime.timedelta(days=1))
    listed(make_product(name="Bị thu hồi"), valid_until=today + datetime.timedelta(days=5), status="revoked")
    listed(make_product(name="Hai sao"), valid_until=today + datetime.timedelta(days=5), stars=2)
    client = client_for(trade_staff)

    within_30 = client.get("/trade/expiring/", {"days": 30})
    assert [c.certificate_id for c in within_30.context["page"]] == [soon.certificate_id]
    within_90 = client.get("/trade/expiring/", {"days": 90})
    assert [c.certificate_id for c in within_90.context["page"]] == [soon.certificate_id, later.certificate_id]
    assert client.get("/trade/expiring/", {"days": 7}).context["days"] == 30  # only the two windows
    assert client.get("/trade/").context["summary"].expiring == {30: 1, 90: 2}


def test_the_dashboard_shows_the_last_sync_runs(trade_staff):
    SyncRun.objects.create(
        registry_url="http://registry", status=SyncRun.Status.SUCCEEDED, received=120, created=7, delisted=3
    )
    SyncRun.objects.create(registry_url="http://registry", status=SyncRun.Status.FAILED, error="registry down")
    page = client_for(trade_staff).get("/trade/").content.decode()
    assert "Succeeded" in page and "Failed" in page and "registry down" in page
    assert "<td>120</td>" in page


@pytest.mark.django_db(transaction=True)
def test_the_delisting_log_after_the_registry_downgrades_a_product(registry_sim, settings):
    settings.OCOP_SYNC_IMAGES = False
    user = make_user(Role.TRADE_STAFF)
    sim = registry_sim([cert("DN-2025-0042", product_id="DNP-0042", product_name="Bưởi Tân Triều", minute=1)])
    first = run_sync()
    assert first.listed == 1
    client = client_for(user)
    assert "Bưởi Tân Triều" not in client.get("/trade/delistings/").content.decode()

    sim.write(
        [cert("DN-2025-0042", product_id="DNP-0042", product_name="Bưởi Tân Triều", revision=2, stars=2, minute=2)]
    )
    second = run_sync()
    assert second.delisted == 1

    response = client.get("/trade/delistings/")
    [event] = list(response.context["page"])
    assert (event.reason, event.certificate_id, event.certificate_revision) == (
        ListingReason.DOWNGRADED,
        "DN-2025-0042",
        2,
    )
    page = response.content.decode()
    for text in ("Bưởi Tân Triều", "Hợp tác xã Bưởi Tân Triều", "Listed → Delisted", "Downgraded below 3 stars"):
        assert text in page
    assert "Registry sync" in page
    # Filtering: by that reason it shows; by another it does not; listings show the first sync's.
    assert len(client.get("/trade/delistings/", {"reason": ListingReason.DOWNGRADED}).context["page"]) == 1
    assert len(client.get("/trade/delistings/", {"reason": ListingReason.REVOKED}).context["page"]) == 0
    assert len(client.get("/trade/delistings/", {"state": "listed"}).context["page"]) == 1
    assert len(client.get("/trade/delistings/", {"state": "all"}).context["page"]) == 2
    tomorrow = (local_today() + datetime.timedelta(days=1)).isoformat()
    assert len(client.get("/trade/delistings/", {"from": tomorrow}).context["page"]) == 0
    # The producers page shows it delisted; the dashboard counts the runs.
    producers_page = client.get("/trade/producers/").content.decode()
    assert "Delisted" in producers_page and "Downgraded below 3 stars" in producers_page
    home = client.get("/trade/")
    assert [run.pk for run in home.context["sync_runs"]] == [second.pk, first.pk]
    assert home.context["summary"].delisted_products == 1


def test_quarantined_records_show_their_reasons_and_escaped_raw_json(trade_staff):
    QuarantinedRecord.objects.create(
        certificate_id="DN-BAD-1",
        revision=4,
        raw={"certificate_id": "DN-BAD-1", "stars": 7, "product": {"name": "<script>alert('raw')</script>"}},
        reasons=["stars must be 1 to 5, not 7", {"field": "product.name", "message": "<b>markup</b>"}],
    )
    QuarantinedRecord.objects.create(
        certificate_id="DN-OLD", raw={}, reasons=["old"], released_at=timezone.now(), released_by_revision=2
    )
    client = client_for(trade_staff)
    page = client.get("/trade/quarantine/").content.decode()
    assert "DN-BAD-1" in page and "DN-OLD" not in page
    assert "stars must be 1 to 5, not 7" in page
    assert "product.name: &lt;b&gt;markup&lt;/b&gt;" in page
    assert "<script>alert" not in page
    assert "&quot;name&quot;: &quot;&lt;script&gt;alert(&#x27;raw&#x27;)&lt;/script&gt;&quot;" in page
    assert "DN-OLD" in client.get("/trade/quarantine/", {"released": "on"}).content.decode()


# --- misuse reports ----------------------------------------------------------------------------------------


def _report(product=None, **kw) -> MisuseReport:
    defaults = {
        "certificate_id": "DN-2025-0001",
        "product": product,
        "place": "Chợ Biên Hòa",
        "description": "Nhãn OCOP <script>x</script> trên bao bì",
    }
    defaults.update(kw)
    return MisuseReport.objects.create(**defaults)


def test_misuse_reports_are_handled_with_a_note(trade_staff, seller):
    report = _report(seller.products.first())
    client = client_for(trade_staff)
    page = client.get("/trade/reports/").content.decode()
    assert "Chợ Biên Hòa" in page and "<script>x</script>" not in page
    assert 'name="csrfmiddlewaretoken"' in page

    prefix = f"report-{report.pk}"
    response = client.post(
        f"/trade/reports/{report.pk}/handle/",
        {f"{prefix}-status": "handled", f"{prefix}-resolution": "Đã liên hệ cơ sở, gỡ nhãn."},
    )
    assert response.status_code == 302 and response.url == "/trade/reports/"
    report.refresh_from_db()
    assert report.status == MisuseReportStatus.HANDLED
    assert report.handled_by == trade_staff and report.handled_at is not None
    assert report.resolution == "Đã liên hệ cơ sở, gỡ nhãn."
    # New reports are shown by default; the closed one under its status, without a form.
    assert "Chợ Biên Hòa" not in client.get("/trade/reports/").content.decode()
    closed = client.get("/trade/reports/", {"status": "handled"}).content.decode()
    assert "Đã liên hệ cơ sở, gỡ nhãn." in closed and f'action="/trade/reports/{report.pk}/handle/"' not in closed
    # Closing it again is refused.
    again = client.post(
        f"/trade/reports/{report.pk}/handle/", {f"{prefix}-status": "dismissed", f"{prefix}-resolution": "x"}
    )
    assert again.status_code == 400 and "already closed" in again.content.decode()
    report.refresh_from_db()
    assert report.status == MisuseReportStatus.HANDLED


def test_a_report_needs_a_resolution(trade_staff):
    report = _report()
    prefix = f"report-{report.pk}"
    response = client_for(trade_staff).post(
        f"/trade/reports/{report.pk}/handle/", {f"{prefix}-status": "dismissed", f"{prefix}-resolution": " "}
    )
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    report.refresh_from_db()
    assert report.status == MisuseReportStatus.NEW


def test_closing_a_report_needs_the_csrf_token(trade_staff):
    report = _report()
    client = Client(enforce_csrf_checks=True)
    client.force_login(trade_staff)
    prefix = f"report-{report.pk}"
    response = client.post(
        f"/trade/reports/{report.pk}/handle/", {f"{prefix}-status": "dismissed", f"{prefix}-resolution": "x"}
    )
    assert response.status_code == 403


def test_reports_about_another_provinces_products_are_not_theirs(seller):
    elsewhere = make_product(make_producer(province_today=OTHER_PROVINCE, address_province=""))
    report = _report(elsewhere, place="Quận 1")
    _report(None, certificate_id="UNKNOWN-1", place="Chợ Long Khánh")
    client = client_for(make_user(Role.TRADE_STAFF))
    page = client.get("/trade/reports/").content.decode()
    assert "Quận 1" not in page and "Chợ Long Khánh" in page
    prefix = f"report-{report.pk}"
    response = client.post(
        f"/trade/reports/{report.pk}/handle/", {f"{prefix}-status": "dismissed", f"{prefix}-resolution": "x"}
    )
    assert response.status_code == 404


# --- sales -------------------------------------------------------------------------------------------------


def _group(code: str, name: str, name_en: str) -> Category:
    return Category.objects.create(
        kind=Category.Kind.GROUP, scheme="2023", code=code, name=name, name_en=name_en, slug=f"group-{code}"
    )


def _sell(variant, quantity: int, unit_price: int, *, status=OrderStatus.UNFULFILLED, days_ago=1, certificate=""):
    order = make_order(lines=0, status=status)
    OrderLine.objects.create(
        order=order,
        variant=variant,
        producer=variant.product.producer,
        product_name=variant.product.name,
        product_sku=variant.sku,
        certificate_id=certificate,
        quantity=quantity,
        unit_price_amount=unit_price,
        total_price_amount=quantity * unit_price,
    )
    Order.objects.filter(pk=order.pk).update(created_at=timezone.now() - datetime.timedelta(days=days_ago))
    return order


@pytest.fixture
def sales(db):
    food = _group("I", "Thực phẩm", "Food")
    drinks = _group("II", "Đồ uống", "Drinks")
    city = make_producer(commune_today="Phường Trấn Biên")
    village = make_producer(commune_today="", address_commune="Xã Phú Hữu")
    elsewhere = make_producer(commune_today="Phường Bến Nghé", province_today=OTHER_PROVINCE, address_province="")
    pomelo = make_product(city, group=food)
    four_stars = listed(pomelo, stars=4, certificate_id="C-POMELO")
    wine = make_product(village, group=drinks)
    listed(wine, stars=5)
    coffee = make_product(elsewhere, group=drinks)
    listed(coffee, stars=3)
    pomelo_box, wine_bottle, coffee_bag = make_variant(pomelo), make_variant(wine), make_variant(coffee)

    _sell(pomelo_box, 2, 100_000, certificate=four_stars.certificate_id)
    _sell(wine_bottle, 1, 250_000)  # no certificate on the line: the product's current one (5★)
    _sell(pomelo_box, 3, 100_000, status=OrderStatus.PICKED_UP, certificate=four_stars.certificate_id)
    _sell(wine_bottle, 10, 250_000, status=OrderStatus.CANCELED)
    _sell(pomelo_box, 5, 100_000, days_ago=40, certificate=four_stars.certificate_id)
    _sell(coffee_bag, 7, 80_000)
    return {"food": food, "drinks": drinks}


def _figures(rows):
    return [(row.label, row.quantity, row.revenue) for row in rows]


def test_sales_by_commune_group_and_stars_over_the_last_30_days(sales, trade_staff):
    response = client_for(trade_staff).get("/trade/sales/")
    report = response.context["report"]
    assert (report.end - report.start).days == 29
    assert _figures(report.by_commune) == [("Phường Trấn Biên", 5, 500_000), ("Xã Phú Hữu", 1, 250_000)]
    assert _figures(report.by_group) == [("I. Food (2023)", 5, 500_000), ("II. Drinks (2023)", 1, 250_000)]
    assert _figures(report.by_stars) == [("5★", 1, 250_000), ("4★", 5, 500_000)]
    assert (report.quantity, report.revenue) == (6, 750_000)
    page = response.content.decode()
    assert page.count('role="img"') >= 3 and "<title id=" in page
    assert "500,000 VND" in page


def test_sales_over_a_chosen_period(sales, trade_staff):
    start = (local_today() - datetime.timedelta(days=60)).isoformat()
    report = client_for(trade_staff).get("/trade/sales/", {"from": start}).context["report"]
    assert _figures(report.by_commune)[0] == ("Phường Trấn Biên", 10, 1_000_000)
    wrong = client_for(trade_staff).get("/trade/sales/", {"from": "2026-02-01", "to": "2026-01-01"})
    assert wrong.status_code == 200 and 'role="alert"' in wrong.content.decode()


def test_sales_of_another_province_are_theirs(sales):
    report = client_for(make_user(Role.TRADE_STAFF, province=OTHER_PROVINCE)).get("/trade/sales/").context["report"]
    assert _figures(report.by_commune) == [("Phường Bến Nghé", 7, 560_000)]
    assert _figures(report.by_stars) == [("3★", 7, 560_000)]


def test_sales_exports(sales, trade_staff):
    client = client_for(trade_staff)
    period = {"from": (local_today() - datetime.timedelta(days=29)).isoformat(), "to": local_today().isoformat()}

    response = client.get("/trade/sales.csv", period)
    assert response["Content-Type"].startswith("text/csv")
    assert f'filename="ocop-sales-{period["from"]}-{period["to"]}.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    first, last = local_today() - datetime.timedelta(days=29), local_today()
    assert rows[0] == ["Period", day_text(first), day_text(last), "Sold", "Online and at the counter", "", "", ""]
    assert rows[1] == [
        "Breakdown",
        "Label",
        "Online: quantity",
        "Online: revenue (đồng)",
        "Counter: quantity",
        "Counter: revenue (đồng)",
        "Quantity",
        "Revenue (đồng)",
    ]
    outlet_rows = [row for row in rows if row[0] == "Outlet"]
    assert rows[2 : rows.index(outlet_rows[0])] == [
        ["Commune", "Phường Trấn Biên", "5", "500000", "0", "0", "5", "500000"],
        ["Commune", "Xã Phú Hữu", "1", "250000", "0", "0", "1", "250000"],
        ["Commune", "Total", "6", "750000", "0", "0", "6", "750000"],
        ["Product group", "I. Food (2023)", "5", "500000", "0", "0", "5", "500000"],
        ["Product group", "II. Drinks (2023)", "1", "250000", "0", "0", "1", "250000"],
        ["Product group", "Total", "6", "750000", "0", "0", "6", "750000"],
        ["Stars", "5★", "1", "250000", "0", "0", "1", "250000"],
        ["Stars", "4★", "5", "500000", "0", "0", "5", "500000"],
        ["Stars", "Total", "6", "750000", "0", "0", "6", "750000"],
    ]
    assert outlet_rows[-1] == ["Outlet", "Total", "6", "750000", "0", "0", "6", "750000"]
    producer_rows = [row for row in rows if row[0] == "Producer"]
    assert rows[-len(producer_rows) :] == producer_rows
    assert [row[1:] for row in producer_rows][-1] == ["Total", "6", "750000", "0", "0", "6", "750000"]
    assert sorted(int(row[7]) for row in producer_rows[:-1]) == [250_000, 500_000]

    response = client.get("/trade/sales.xlsx", period)
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Commune", "Product group", "Stars", "Outlet", "Producer"]
    values = {name: [list(row) for row in book[name].iter_rows(values_only=True)] for name in book.sheetnames}
    assert values["Commune"][2:] == [
        ["Phường Trấn Biên", 5, 500_000, 0, 0, 5, 500_000],
        ["Xã Phú Hữu", 1, 250_000, 0, 0, 1, 250_000],
        ["Total", 6, 750_000, 0, 0, 6, 750_000],
    ]
    assert values["Stars"][2:] == [
        ["5★", 1, 250_000, 0, 0, 1, 250_000],
        ["4★", 5, 500_000, 0, 0, 5, 500_000],
        ["Total", 6, 750_000, 0, 0, 6, 750_000],
    ]
    assert values["Commune"][0][1].date().isoformat() == period["from"]


def test_exported_labels_are_never_formulas(trade_staff):
    producer = make_producer(commune_today='=HYPERLINK("http://evil.example","x")')
    product = make_product(producer)
    listed(product)
    _sell(make_variant(product), 1, 100_000)
    client = client_for(trade_staff)
    rows = list(csv.reader(io.StringIO(client.get("/trade/sales.csv").content.decode("utf-8-sig"))))
    assert rows[2][1] == '\'=HYPERLINK("http://evil.example","x")'
    book = load_workbook(io.BytesIO(client.get("/trade/sales.xlsx").content))
    cell = book["Commune"]["A3"]
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://evil.example","x")'
    page = client.get("/trade/sales/").content.decode()
    assert "=HYPERLINK(&quot;http://evil.example&quot;,&quot;x&quot;)" in page


# --- the service ---------------------------------------------------------------------------------------------


def test_the_domain_words_the_pages_show_have_vietnamese():
    from catalog_sync.models import SyncRun as Run

    labels = set()
    with override("en"):  # the labels as written, whatever language an earlier test left active
        for choices in (
            ListingReason,
            ListingTrigger,
            ListingState,
            MisuseReportStatus,
            CertificationStatus,
            Run.Status,
        ):
            labels |= {str(label) for label in choices.labels}
    assert labels <= set(DOMAIN_LABELS)
    with override("vi"):
        from django.utils.translation import gettext

        assert [label for label in DOMAIN_LABELS if gettext(label) == label] == []


# --- query counts --------------------------------------------------------------------------------------------


def _many_sellers(count: int) -> None:
    for index in range(count):
        producer = make_producer(name=f"Hợp tác xã {index}")
        product = make_product(producer)
        listed(product, valid_until=local_today() + datetime.timedelta(days=20))
        delisted(make_product(producer))
        SyncRun.objects.create(registry_url="http://registry", status=SyncRun.Status.SUCCEEDED)
        QuarantinedRecord.objects.create(certificate_id=f"BAD-{index}", raw={"stars": 9}, reasons=["stars"])
        _report(product)
        _sell(make_variant(product), 1, 100_000)


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # session, user, then: counts (producers, products, certificates, reports, quarantine) and sync runs
        ("/trade/", 8),
        ("/trade/producers/", 6),  # session, user, the first sync, count, producers, their products
        ("/trade/delistings/", 4),  # session, user, count, events with product and producer
        ("/trade/expiring/", 4),
        ("/trade/quarantine/", 4),
        ("/trade/reports/", 4),
        # session, user, per breakdown (commune, group, stars, outlet, producer) one query per channel
        ("/trade/sales/", 12),
        ("/trade/outlets/days/", 8),  # session, user, outlets to choose from, four kinds of record, their outlets
    ],
)
def test_pages_run_a_fixed_number_of_queries(trade_staff, django_assert_max_num_queries, url, queries):
    client = client_for(trade_staff)
    _many_sellers(2)
    client.get(url)
    with django_assert_max_num_queries(queries):
        client.get(url)
    _many_sellers(25)  # more than a page
    with django_assert_max_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200


def test_sign_in_lands_trade_staff_on_their_console(db):
    user = make_user(Role.TRADE_STAFF)
    response = Client().post("/accounts/login/", {"username": user.username, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302 and response.url == "/trade/"


def test_the_bar_chart_escapes_its_labels_and_is_one_named_image():
    from web.trade.charts import bar_chart_svg

    svg = str(
        bar_chart_svg(
            chart_id="chart-test",
            title="Revenue <by> commune",
            description="From A & B",
            bars=[("<script>alert(1)</script>", 300), ("Xã Phú Hữu", 100), ("Zero", 0)],
        )
    )
    assert svg.startswith('<svg class="bar-chart" id="chart-test" role="img"')
    assert 'aria-labelledby="chart-test-title chart-test-desc"' in svg
    assert '<title id="chart-test-title">Revenue &lt;by&gt; commune</title>' in svg
    assert "From A &amp; B" in svg and "<script>" not in svg and "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    widths = [int(part.split('"')[1]) for part in svg.split("width=")[2:]]
    assert widths[0] > widths[1] > widths[2] == 0  # bars in proportion, the longest first
