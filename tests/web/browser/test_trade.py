"""The trade console in a real browser: the registry downgrades a product and trade staff see it delisted."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from catalog_sync.sync import run_sync
from marketplace.accounts.models import Role
from marketplace.catalogue.models import Product
from marketplace.orders.models import Order, OrderLine
from tests.catalog_sync.helpers import cert
from tests.factories import DEFAULT_PASSWORD, make_user, make_variant
from tests.order_factories import make_order
from tests.web.browser.helpers import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)

PRODUCT = "Bưởi Tân Triều"


def _sold(product: Product, quantity: int, *, days_ago: int) -> None:
    """An order of the product placed `days_ago` days ago, so the sales page has figures to chart."""
    variant = make_variant(product)
    order = make_order(lines=0)
    OrderLine.objects.create(
        order=order,
        variant=variant,
        producer=product.producer,
        product_name=product.name,
        product_sku=variant.sku,
        certificate_id=product.current_certification.certificate_id,
        quantity=quantity,
        unit_price_amount=150_000,
        total_price_amount=quantity * 150_000,
    )
    Order.objects.filter(pk=order.pk).update(created_at=timezone.now() - datetime.timedelta(days=days_ago))


def test_trade_staff_see_a_product_delisted_after_the_registry_downgrades_it(
    live_server, page: Page, screenshot, registry_sim, settings
):
    settings.OCOP_SYNC_IMAGES = False
    sim = registry_sim([cert("DN-2025-0042", product_id="DNP-0042", product_name=PRODUCT, minute=1)])
    assert run_sync().listed == 1
    _sold(
        Product.objects.select_related("current_certification", "producer").get(registry_id="DNP-0042"), 3, days_ago=2
    )

    sim.write([cert("DN-2025-0042", product_id="DNP-0042", product_name=PRODUCT, revision=2, stars=2, minute=2)])
    assert run_sync().delisted == 1

    user = make_user(Role.TRADE_STAFF)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail hoặc tên đăng nhập").fill(user.username)
    page.get_by_label("Mật khẩu").fill(DEFAULT_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Đăng nhập").click()

    # The dashboard: the delisted product counted, the two syncs listed.
    expect(page).to_have_url(f"{live_server.url}/trade/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Chủ thể được chứng nhận: tổng quan")
    sync_rows = page.locator("#sync-runs ~ .table-wrap tbody tr")
    expect(sync_rows).to_have_count(2)
    expect(page.get_by_role("link", name="1 sản phẩm đã ngừng bán")).to_be_visible()
    screenshot(page, "trade-dashboard")
    assert axe_violations(page) == []

    # The delisting log: when, what, why (in words), which certificate revision, and what triggered it.
    page.get_by_role("link", name="Nhật ký ngừng bán").click()
    row = page.locator("table.trade-log tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(PRODUCT)
    expect(row).to_contain_text("Đang bán → Ngừng bán")
    expect(row).to_contain_text("Bị hạ xuống dưới 3 sao")
    expect(row).to_contain_text("DN-2025-0042")
    expect(row).to_contain_text("Đồng bộ cơ sở dữ liệu OCOP")
    screenshot(page, "trade-delistings")
    assert axe_violations(page) == []

    # The producers page shows it delisted, with the reason.
    page.get_by_role("navigation", name="Trang quản lý của Sở Công Thương").get_by_role(
        "link", name="Chủ thể sản xuất"
    ).click()
    producer_row = page.locator(".producers-table tbody tr", has_text=PRODUCT)
    producer_row.locator("summary").click()  # its products, folded under the producer
    product_row = producer_row.locator(".trade-products li", has_text=PRODUCT)
    expect(product_row).to_be_visible()
    expect(product_row).to_contain_text("Ngừng bán")
    expect(product_row).to_contain_text("Bị hạ xuống dưới 3 sao")

    # Sales: charts drawn on the server, with the table as their text; both exports offered.
    page.get_by_role("link", name="Doanh số", exact=True).click()
    expect(page.get_by_role("img", name="Doanh thu theo xã/phường")).to_be_visible()
    # Stars are the certificate's as the registry holds it now: the downgrade shows.
    expect(page.get_by_role("img", name="Doanh thu theo số sao")).to_contain_text("2★")
    expect(page.locator("table").first).to_contain_text("450.000 ₫")
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel (XLSX)").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    screenshot(page, "trade-sales")
    assert axe_violations(page) == []

    # In English too.
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sales of certified products")


def test_trade_staff_read_the_outlets_days_at_the_counter_on_a_phone(live_server, page: Page, screenshot, shop):
    """A tourist site's day (a walk-in cash sale, a coffee brought back, an online order handed over, closed 10.000 ₫
    short) and a showroom's (a card sale, not closed), read from the trade console on a phone."""
    from tests.web.test_trade_counter import day_with_sales_and_a_close

    day = day_with_sales_and_a_close(shop)
    user = make_user(Role.TRADE_STAFF)
    page.set_viewport_size({"width": 412, "height": 915})  # a phone
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail hoặc tên đăng nhập").fill(user.username)
    page.get_by_label("Mật khẩu").fill(DEFAULT_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(f"{live_server.url}/trade/")

    page.locator('nav.trade-nav a[href="/trade/outlets/days/"]').click()
    rows = page.locator("table.outlet-days tbody tr")
    expect(rows).to_have_count(3)
    tourist = rows.filter(has_text="Khu du lịch Bửu Long").first
    expect(tourist).to_contain_text("670.000 ₫")  # cash sales
    expect(tourist).to_contain_text("890.000 ₫")  # cash expected: 670.000 + 370.000 − 150.000
    expect(tourist).to_contain_text("-10.000 ₫")  # counted 880.000
    expect(page.locator("table.outlet-days td.not-closed")).to_have_count(2)
    assert page.evaluate("document.documentElement.scrollWidth") <= 412  # the table scrolls inside its frame
    screenshot(page, "trade-outlet-days")
    assert axe_violations(page) == []

    # The sales report counts the same counter sales, beside the online orders, on the day.
    page.goto(f"{live_server.url}/trade/sales/?from={day.isoformat()}&to={day.isoformat()}")
    expect(page.locator("table.sales-table tfoot").first).to_contain_text("970.000 ₫")  # counter, less the return
    expect(page.locator("table.sales-table tfoot").first).to_contain_text("1.490.000 ₫")
    assert axe_violations(page) == []


def test_trade_staff_see_where_producers_stand_on_a_phone(live_server, page: Page, screenshot):
    """Issue 16 §6 on a phone: who is certified and selling, who is certified but sells nothing, who lapses this
    month, who lapsed (before the first sync too), and sales per producer."""
    from catalog_sync.models import SyncRun
    from marketplace.catalogue.models import ListingState
    from marketplace.certification.models import CertificationStatus
    from marketplace.core.dates import local_today
    from tests.factories import make_certification, make_outlet, make_producer, make_product, make_stock
    from web.trade.selectors import month_bounds

    today = local_today()
    run = SyncRun.objects.create(registry_url="http://registry", status=SyncRun.Status.SUCCEEDED)
    SyncRun.objects.filter(pk=run.pk).update(started_at=timezone.now() - datetime.timedelta(days=365))
    selling = make_product(make_producer(name="Hợp tác xã Bưởi An Phước"), name="Bưởi An Phước")
    certificate = make_certification(selling, valid_until=today + datetime.timedelta(days=200))
    Product.objects.filter(pk=selling.pk).update(listing_state=ListingState.LISTED, current_certification=certificate)
    variant = make_variant(selling)
    make_stock(variant, make_outlet(), quantity=8)
    idle = make_product(make_producer(name="Cơ sở Mật ong Bình Lộc"), name="Mật ong Bình Lộc")
    make_certification(idle, valid_until=month_bounds(today)[1])  # ends on this month's last day
    lapsed = make_product(make_producer(name="Cơ sở Cà phê Hà Huy Giáp"), name="Cà phê Hà Huy Giáp")
    make_certification(
        lapsed,
        status=CertificationStatus.EXPIRED,
        valid_from=today - datetime.timedelta(days=4 * 365),
        valid_until=today - datetime.timedelta(days=2 * 365),
    )
    order = make_order(lines=0)
    OrderLine.objects.create(
        order=order,
        variant=variant,
        producer=selling.producer,
        product_name=selling.name,
        product_sku=variant.sku,
        certificate_id=certificate.certificate_id,
        quantity=2,
        unit_price_amount=150_000,
        total_price_amount=300_000,
    )

    user = make_user(Role.TRADE_STAFF)
    page.set_viewport_size({"width": 412, "height": 915})  # a phone
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail hoặc tên đăng nhập").fill(user.username)
    page.get_by_label("Mật khẩu").fill(DEFAULT_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(f"{live_server.url}/trade/")
    page.get_by_role("button", name="English").click()

    # The dashboard counts the certified who sell apart from those who do not.
    expect(page.get_by_role("link", name="1 producers certified and selling")).to_be_visible()
    expect(page.get_by_role("link", name="1 producers certified but not selling")).to_be_visible()
    expect(page.get_by_role("link", name="1 producers with a certificate ending this month")).to_be_visible()
    expect(page.get_by_role("link", name="1 producers with a lapsed certificate, not renewed")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 412
    screenshot(page, "trade-dashboard-standing-phone")
    assert axe_violations(page) == []

    # Certified but not selling: the honey, with the nearest expiry.
    page.get_by_role("link", name="1 producers certified but not selling").click()
    rows = page.locator(".producers-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Cơ sở Mật ong Bình Lộc")
    expect(rows.first).to_contain_text(month_bounds(today)[1].strftime("%d/%m/%Y"))
    expect(page.get_by_label("Show")).to_have_value("not-selling")
    assert page.evaluate("document.documentElement.scrollWidth") <= 412
    screenshot(page, "trade-producers-not-selling-phone")
    assert axe_violations(page) == []

    # Lapsing this month, chosen with the month picker's default.
    page.get_by_label("Show").select_option("lapsing")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_label("Lapsing in (month)")).to_have_value(today.strftime("%Y-%m"))
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Bình Lộc")

    # Lapsed: the coffee whose certificate ended before the first sync, never listed, is there.
    page.get_by_label("Show").select_option("lapsed")
    page.get_by_role("button", name="Show").click()
    expect(rows).to_have_count(1)
    rows.first.locator("summary").click()
    product = rows.first.locator(".trade-products li")
    expect(product).to_contain_text("Never listed")
    expect(product).to_contain_text("before the first registry sync")
    screenshot(page, "trade-producers-lapsed-phone")
    assert axe_violations(page) == []

    # Everyone, sorted by the nearest expiry: the honey first, the lapsed coffee (no valid certificate) last.
    page.goto(f"{live_server.url}/trade/producers/")
    page.get_by_label("Sort by").select_option("expiry")  # on a phone the table's headings are folded away
    page.get_by_role("button", name="Show").click()
    expect(rows.first).to_contain_text("Bình Lộc")
    names = [text.split("\n")[0] for text in page.locator(".producers-table tbody th").all_inner_texts()]
    assert names.index("Hợp tác xã Bưởi An Phước") == 1 < names.index("Cơ sở Cà phê Hà Huy Giáp")
    screenshot(page, "trade-producers-by-expiry-phone")
    # On a desktop the column's heading sorts too, and turns the order round.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("link", name="Nearest expiry").click()
    expect(page.get_by_role("columnheader", name="Nearest expiry")).to_have_attribute("aria-sort", "descending")
    expect(rows.first).to_contain_text("An Phước")
    screenshot(page, "trade-producers-by-expiry-desktop")
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 412, "height": 915})

    # The expiring certificates of this month.
    page.goto(f"{live_server.url}/trade/expiring/?days=this-month")
    expect(page.locator("table tbody tr")).to_have_count(1)
    screenshot(page, "trade-expiring-this-month-phone")
    assert axe_violations(page) == []

    # Sales per producer.
    page.goto(f"{live_server.url}/trade/sales/")
    table = page.get_by_role("table", name="Revenue by producer")
    expect(table).to_contain_text("Hợp tác xã Bưởi An Phước")
    expect(table).to_contain_text("300,000 VND")
    assert page.evaluate("document.documentElement.scrollWidth") <= 412
    screenshot(page, "trade-sales-by-producer-phone")
    assert axe_violations(page) == []
