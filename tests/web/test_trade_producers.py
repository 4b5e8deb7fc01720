"""Trade staff answer their questions in one look (issue 16 §6): which producers are certified and selling, which
lapse this month, which lapsed (before the first sync too), and sales per producer."""

from __future__ import annotations

import csv
import datetime
import io
import zoneinfo

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from catalog_sync.models import SyncRun
from marketplace.accounts.models import Role
from marketplace.catalogue.models import ListingState
from marketplace.certification.models import CertificationStatus
from tests.factories import (
    make_certification,
    make_outlet,
    make_producer,
    make_product,
    make_stock,
    make_user,
    make_variant,
)
from web.trade import selectors

pytestmark = pytest.mark.django_db

OTHER_PROVINCE = "Thành phố Hồ Chí Minh"
SAIGON = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = datetime.date(2026, 12, 7)
FIRST_SYNC = datetime.date(2026, 6, 1)


@pytest.fixture(autouse=True)
def pinned_clock(monkeypatch):
    """Monday 7 December 2026, 10:00 in Đồng Nai: the months below are judged from it."""
    moment = datetime.datetime(2026, 12, 7, 10, 0, tzinfo=SAIGON)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return moment


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


def in_stock(product, quantity: int = 5, *, allocated: int = 0, outlet=None):
    return make_stock(make_variant(product), outlet or make_outlet(), quantity=quantity, quantity_allocated=allocated)


@pytest.fixture
def province(db):
    """Producers of Đồng Nai as the demo has them, one of each kind, and a seller of another province.

    - An: listed, in stock, certificate until 31/03/2027: selling.
    - Bình: listed, but every jar promised to orders; certificate ends 20/12/2026: certified, not selling,
      lapsing this month.
    - Cường: certificate valid until 15/01/2027, product never listed: certified, not selling, lapsing next month.
    - Dũng: listed with stock at a closed outlet only; certificate until 30/06/2027: certified, not selling.
    - Giang: certificate ended 01/11/2026, product delisted: lapsed (after the first sync).
    - Hà: certificate marked expired, ended 01/05/2025, before the first sync: its product was never listed.
    - Khánh: an old certificate lapsed, renewed until 31/08/2028, in stock: selling, not lapsed.
    """
    SyncRun.objects.create(registry_url="http://registry", status=SyncRun.Status.FAILED)
    run = SyncRun.objects.create(registry_url="http://registry", status=SyncRun.Status.SUCCEEDED)
    SyncRun.objects.filter(pk=run.pk).update(
        started_at=datetime.datetime(2026, 6, 1, 9, 0, tzinfo=SAIGON), finished_at=timezone.now()
    )
    SyncRun.objects.create(registry_url="http://registry", status=SyncRun.Status.SUCCEEDED)

    made = {}
    an = make_producer(name="An Phước")
    listed(an_pomelo := make_product(an, name="Bưởi An Phước"), valid_until=datetime.date(2027, 3, 31))
    in_stock(an_pomelo)
    made["an"] = an

    binh = make_producer(name="Bình Lộc")
    listed(binh_honey := make_product(binh, name="Mật ong Bình Lộc"), valid_until=datetime.date(2026, 12, 20))
    in_stock(binh_honey, 3, allocated=3)
    made["binh"] = binh

    cuong = make_producer(name="Cường Thịnh")
    make_certification(make_product(cuong, name="Hạt điều Cường Thịnh"), valid_until=datetime.date(2027, 1, 15))
    made["cuong"] = cuong

    dung = make_producer(name="Dũng Tiến")
    listed(dung_wine := make_product(dung, name="Rượu Dũng Tiến"), valid_until=datetime.date(2027, 6, 30))
    in_stock(dung_wine, outlet=make_outlet(is_active=False))
    made["dung"] = dung

    giang = make_producer(name="Giang Điền")
    giang_cocoa = make_product(giang, name="Ca cao Giang Điền")
    make_certification(giang_cocoa, valid_from=datetime.date(2023, 11, 2), valid_until=datetime.date(2026, 11, 1))
    giang_cocoa.listing_state = ListingState.DELISTED
    giang_cocoa.save(update_fields=["listing_state"])
    made["giang"] = giang

    ha = make_producer(name="Hà Huy Giáp")
    make_certification(
        make_product(ha, name="Cà phê Hà Huy Giáp", name_en="Ha Huy Giap coffee"),
        certificate_id="DN-2022-0042",
        status=CertificationStatus.EXPIRED,
        valid_from=datetime.date(2022, 5, 2),
        valid_until=datetime.date(2025, 5, 1),
    )
    made["ha"] = ha

    khanh = make_producer(name="Khánh Bình")
    khanh_cashew = make_product(khanh, name="Điều Khánh Bình")
    make_certification(
        khanh_cashew,
        status=CertificationStatus.EXPIRED,
        valid_from=datetime.date(2022, 1, 2),
        valid_until=datetime.date(2025, 1, 1),
    )
    listed(khanh_cashew, valid_from=datetime.date(2025, 9, 1), valid_until=datetime.date(2028, 8, 31))
    in_stock(khanh_cashew)
    made["khanh"] = khanh

    elsewhere = make_producer(name="Sài Gòn Xanh", province_today=OTHER_PROVINCE, address_province="")
    listed(saigon_tea := make_product(elsewhere, name="Trà Sài Gòn"), valid_until=datetime.date(2026, 12, 15))
    in_stock(saigon_tea)
    return made


def names(response) -> list[str]:
    return [producer.name for producer in response.context["page"]]


# --- the dashboard ---------------------------------------------------------------------------------------------


def test_the_dashboard_tells_certified_and_selling_from_certified_but_not_selling(province):
    response = client_for(make_user(Role.TRADE_STAFF)).get("/trade/")
    summary = response.context["summary"]
    assert summary.producers == 7
    assert (summary.certified_selling, summary.certified_not_selling) == (2, 3)  # An, Khánh; Bình, Cường, Dũng
    assert summary.lapsed_producers == 2  # Giang, Hà
    assert summary.lapsing_this_month == 1  # Bình
    page = response.content.decode()
    assert "producers certified and selling" in page and "producers certified but not selling" in page
    assert "/trade/producers/?standing=not-selling" in page and "/trade/producers/?standing=lapsed" in page


def test_the_dashboard_of_another_province(province):
    summary = client_for(make_user(Role.TRADE_STAFF, province=OTHER_PROVINCE)).get("/trade/").context["summary"]
    assert (summary.producers, summary.certified_selling, summary.certified_not_selling) == (1, 1, 0)
    assert summary.lapsing_this_month == 1
    nowhere = client_for(make_user(Role.TRADE_STAFF, province="")).get("/trade/").context["summary"]
    assert (nowhere.producers, nowhere.certified_selling, nowhere.lapsed_producers, nowhere.lapsing_this_month) == (
        0,
        0,
        0,
        0,
    )


# --- the producers list ------------------------------------------------------------------------------------------


def test_filter_selling_and_certified_but_not_selling(province):
    client = client_for(make_user(Role.TRADE_STAFF))
    assert names(client.get("/trade/producers/", {"standing": "selling"})) == ["An Phước", "Khánh Bình"]
    assert names(client.get("/trade/producers/", {"standing": "not-selling"})) == [
        "Bình Lộc",
        "Cường Thịnh",
        "Dũng Tiến",
    ]
    assert len(names(client.get("/trade/producers/"))) == 7
    unknown = client.get("/trade/producers/", {"standing": "everything"})
    assert unknown.status_code == 200 and len(names(unknown)) == 7 and 'role="alert"' in unknown.content.decode()


def test_filter_lapsing_in_a_chosen_month_this_month_by_default(province):
    client = client_for(make_user(Role.TRADE_STAFF))
    this_month = client.get("/trade/producers/", {"standing": "lapsing"})
    assert names(this_month) == ["Bình Lộc"]
    page = this_month.content.decode()
    assert 'type="month"' in page and 'value="2026-12"' in page
    assert "ending from 01/12/2026 to 31/12/2026" in page
    assert names(client.get("/trade/producers/", {"standing": "lapsing", "month": "2027-01"})) == ["Cường Thịnh"]
    # A month gone by: the certificates that ran their course then.
    assert names(client.get("/trade/producers/", {"standing": "lapsing", "month": "2026-11"})) == ["Giang Điền"]
    assert names(client.get("/trade/producers/", {"standing": "lapsing", "month": "2025-05"})) == ["Hà Huy Giáp"]
    wrong = client.get("/trade/producers/", {"standing": "lapsing", "month": "12/2026"})
    assert wrong.status_code == 200 and names(wrong) == ["Bình Lộc"]


def test_filter_lapsed_shows_those_that_lapsed_before_the_first_sync(province):
    response = client_for(make_user(Role.TRADE_STAFF)).get("/trade/producers/", {"standing": "lapsed"})
    assert names(response) == ["Giang Điền", "Hà Huy Giáp"]  # not Khánh: renewed
    assert response.context["first_sync"] == FIRST_SYNC
    page = response.content.decode()
    assert "Ha Huy Giap coffee" in page and "Never listed" in page and "DN-2022-0042" in page
    assert "Certificate lapsed 01/05/2025" in page
    assert "before the first registry sync (01/06/2026): never listed" in page
    assert "Certificate lapsed 01/11/2026" in page
    assert page.count("before the first registry sync (") == 1  # Giang's lapsed after it


def test_the_expiry_column_and_sorting_by_it(province):
    client = client_for(make_user(Role.TRADE_STAFF))
    response = client.get("/trade/producers/", {"sort": "expiry"})
    assert names(response) == [
        "Bình Lộc",  # 20/12/2026
        "Cường Thịnh",  # 15/01/2027
        "An Phước",  # 31/03/2027
        "Dũng Tiến",  # 30/06/2027
        "Khánh Bình",  # 31/08/2028
        "Giang Điền",  # no valid certificate: last
        "Hà Huy Giáp",
    ]
    expiries = {producer.name: producer.next_expiry for producer in response.context["page"]}
    assert expiries["An Phước"] == datetime.date(2027, 3, 31) and expiries["Giang Điền"] is None
    page = response.content.decode()
    assert "Nearest expiry" in page and ">20/12/2026</time>" in page and 'aria-sort="ascending"' in page
    assert "?sort=-expiry" in page
    latest_first = names(client.get("/trade/producers/", {"sort": "-expiry"}))
    assert latest_first[:2] == ["Khánh Bình", "Dũng Tiến"] and latest_first[-2:] == ["Giang Điền", "Hà Huy Giáp"]
    # Filters and sorting together, and the search still works beside them.
    both = client.get("/trade/producers/", {"standing": "not-selling", "sort": "-expiry"})
    assert names(both) == ["Dũng Tiến", "Cường Thịnh", "Bình Lộc"]
    assert names(client.get("/trade/producers/", {"q": "khanh", "standing": "selling"})) == ["Khánh Bình"]


def test_another_province_sees_only_its_producers(province):
    client = client_for(make_user(Role.TRADE_STAFF, province=OTHER_PROVINCE))
    assert names(client.get("/trade/producers/", {"standing": "lapsing"})) == ["Sài Gòn Xanh"]
    assert names(client.get("/trade/producers/", {"standing": "lapsed"})) == []
    assert names(client_for(make_user(Role.OPERATOR)).get("/trade/producers/", {"standing": "selling"})) == [
        "An Phước",
        "Khánh Bình",
        "Sài Gòn Xanh",
    ]


@pytest.mark.parametrize("role", [Role.CONSUMER, Role.PRODUCER_STAFF, Role.OUTLET_STAFF])
@pytest.mark.parametrize(
    "url", ["/trade/producers/?standing=lapsed", "/trade/expiring/?days=this-month", "/trade/sales/"]
)
def test_other_roles_are_refused(province, role, url):
    assert client_for(make_user(role)).get(url).status_code == 403


def test_the_producers_selector_reads_the_standing(province):
    user = make_user(Role.TRADE_STAFF)
    rows = {
        p.name: (p.certified, p.selling, p.lapsed_on) for p in selectors.producers_with_products(user=user, today=TODAY)
    }
    assert rows == {
        "An Phước": (True, True, None),
        "Bình Lộc": (True, False, None),
        "Cường Thịnh": (True, False, None),
        "Dũng Tiến": (True, False, None),
        "Giang Điền": (False, False, datetime.date(2026, 11, 1)),
        "Hà Huy Giáp": (False, False, datetime.date(2025, 5, 1)),
        "Khánh Bình": (True, True, None),
    }
    # After 20/12/2026 Bình's certificate has lapsed too.
    later = selectors.producers_with_products(user=user, today=datetime.date(2026, 12, 21), standing="lapsed")
    assert [p.name for p in later] == ["Bình Lộc", "Giang Điền", "Hà Huy Giáp"]


def _more_producers(count: int) -> None:
    for index in range(count):
        producer = make_producer(name=f"Hợp tác xã {index}")
        product = make_product(producer)
        listed(product, valid_until=datetime.date(2026, 12, 28))
        in_stock(product)
        make_certification(make_product(producer), valid_until=datetime.date(2025, 1, 1))


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"standing": "selling"},
        {"standing": "not-selling"},
        {"standing": "lapsing", "month": "2026-12"},
        {"standing": "lapsed", "sort": "expiry"},
    ],
)
def test_the_producers_list_runs_a_fixed_number_of_queries(province, django_assert_max_num_queries, query):
    client = client_for(make_user(Role.TRADE_STAFF))
    # session, user, the first sync, count, producers, their products
    with django_assert_max_num_queries(6):
        client.get("/trade/producers/", query)
    _more_producers(25)  # more than a page
    with django_assert_max_num_queries(6):
        response = client.get("/trade/producers/", query)
    assert response.status_code == 200


# --- the expiring certificates ------------------------------------------------------------------------------------


def test_the_expiring_view_offers_this_month_and_next(province):
    client = client_for(make_user(Role.TRADE_STAFF))
    this_month = client.get("/trade/expiring/", {"days": "this-month"})
    assert [c.producer.name for c in this_month.context["page"]] == ["Bình Lộc"]
    assert "Certificates expiring from 01/12/2026 to 31/12/2026" in this_month.content.decode()
    next_month = client.get("/trade/expiring/", {"days": "next-month"})
    assert [c.producer.name for c in next_month.context["page"]] == ["Cường Thịnh"]
    page = client.get("/trade/expiring/").content.decode()
    assert 'value="this-month"' in page and 'value="next-month"' in page and 'value="90"' in page
    assert [c.producer.name for c in client.get("/trade/expiring/", {"days": 90}).context["page"]] == [
        "Bình Lộc",
        "Cường Thịnh",
    ]


def test_the_expiring_selector_by_month():
    user = make_user(Role.OPERATOR)
    ends_new_year = make_certification(valid_until=datetime.date(2026, 12, 31))
    make_certification(valid_until=datetime.date(2027, 1, 1))
    make_certification(valid_until=datetime.date(2026, 12, 5))  # already over
    december = selectors.expiring_certifications(user=user, month=datetime.date(2026, 12, 1), today=TODAY)
    assert list(december) == [ends_new_year]


# --- sales per producer ------------------------------------------------------------------------------------------


def _sell(variant, quantity: int, unit_price: int):
    from marketplace.orders.models import OrderLine
    from tests.order_factories import make_order

    order = make_order(lines=0)
    OrderLine.objects.create(
        order=order,
        variant=variant,
        producer=variant.product.producer,
        product_name=variant.product.name,
        product_sku=variant.sku,
        quantity=quantity,
        unit_price_amount=unit_price,
        total_price_amount=quantity * unit_price,
    )


def test_sales_per_producer_on_screen_and_in_both_files(province):
    pomelo = make_variant(province["an"].products.get())
    cashew = make_variant(province["khanh"].products.get())
    tea = make_variant(make_product(make_producer(name="Sài Gòn", province_today=OTHER_PROVINCE)))
    _sell(pomelo, 2, 100_000)
    _sell(cashew, 1, 250_000)
    _sell(pomelo, 1, 100_000)
    _sell(tea, 9, 10_000)
    client = client_for(make_user(Role.TRADE_STAFF))

    response = client.get("/trade/sales/")
    report = response.context["report"]
    assert [
        (row.label, row.online_quantity, row.online_revenue, row.counter_revenue) for row in report.by_producer
    ] == [
        ("An Phước", 3, 300_000, 0),
        ("Khánh Bình", 1, 250_000, 0),
    ]
    page = response.content.decode()
    assert "Revenue by producer" in page and page.count('<tr class="total">') == 5

    rows = list(csv.reader(io.StringIO(client.get("/trade/sales.csv").content.decode("utf-8-sig"))))
    assert [row for row in rows if row[0] == "Producer"] == [
        ["Producer", "An Phước", "3", "300000", "0", "0", "3", "300000"],
        ["Producer", "Khánh Bình", "1", "250000", "0", "0", "1", "250000"],
        ["Producer", "Total", "4", "550000", "0", "0", "4", "550000"],
    ]
    book = load_workbook(io.BytesIO(client.get("/trade/sales.xlsx").content))
    assert book.sheetnames[-1] == "Producer"
    assert [list(row) for row in book["Producer"].iter_rows(values_only=True)][2:] == [
        ["An Phước", 3, 300_000, 0, 0, 3, 300_000],
        ["Khánh Bình", 1, 250_000, 0, 0, 1, 250_000],
        ["Total", 4, 550_000, 0, 0, 4, 550_000],
    ]
