"""The trade console sees the showroom counter (issue 15): walk-in sales beside online orders in every breakdown of
the sales reports and their files, and each outlet's days at the counter with their close."""

from __future__ import annotations

import csv
import datetime
import io
import uuid

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from marketplace.accounts.models import Role
from marketplace.core.dates import day_text
from marketplace.counter.day import day_close, day_figures
from marketplace.counter.models import CounterPaymentMethod, CounterRefundMethod, CounterSale, DayClose
from marketplace.counter.selectors import outlet_days
from marketplace.counter.services import (
    CounterPayment,
    ReturnItem,
    SaleItem,
    counter_return_create,
    counter_sale_create,
)
from marketplace.orders.models import OrderLine
from marketplace.orders.services import order_mark_ready_for_pickup
from marketplace.outlets.models import Outlet
from marketplace.producers.models import Producer
from payments.services import order_hand_over_with_cash
from tests.factories import make_outlet, make_user
from tests.marketplace.checkout.helpers import Shop, place_cash_pickup_order
from tests.order_factories import make_order
from web.trade.selectors import SalesChannel, SalesRow, sales_report

pytestmark = pytest.mark.django_db

OTHER_PROVINCE = "Tỉnh Lâm Đồng"


def client_for(user, *, language: str = "en") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["ocop_language"] = language
    return client


def sell(outlet: Outlet, items: dict, *, card: bool = False) -> CounterSale:
    payment = (
        CounterPayment(method=CounterPaymentMethod.CARD_TERMINAL, slip_reference="VCB 0045")
        if card
        else CounterPayment(method=CounterPaymentMethod.CASH, cash_received=10_000_000)
    )
    return counter_sale_create(
        outlet=outlet,
        by_user=make_user(Role.OUTLET_STAFF, outlet=outlet),
        items=[SaleItem(variant_id=variant.pk, quantity=quantity) for variant, quantity in items.items()],
        payment=payment,
        idempotency_key=uuid.uuid4().hex,
    )


def give_back(sale: CounterSale, variant, quantity: int):
    return counter_return_create(
        sale=sale,
        by_user=make_user(Role.OUTLET_STAFF, outlet=sale.outlet),
        items=[ReturnItem(sale_line_id=sale.lines.get(variant=variant).pk, quantity=quantity)],
        refund_method=CounterRefundMethod.CASH,
        idempotency_key=uuid.uuid4().hex,
        reason="Hũ bị nứt",
    )


def day_with_sales_and_a_close(shop: Shop, *, close: bool = True) -> datetime.date:
    """One day of a showroom and a tourist site (coffee 150.000 ₫, of Phường Tân Triều; cashew 220.000 ₫, of Xã
    Phú Lý; both 4★), every figure of it judged on the day the first sale was made:

    - tourist site, cash: coffee 3 + cashew 1 (670.000), one coffee brought back (150.000 refunded in cash);
    - showroom, card: coffee 3 (450.000);
    - online, collected at the tourist site and paid there in cash: coffee 1 + cashew 1 (370.000);
    - online, delivered to the buyer: coffee 1 (150.000);
    - with `close`: the tourist site closes the day with 880.000 counted (10.000 short); the showroom does not. The
      day before, a cashew sold in cash at the tourist site (220.000), not closed.
    """
    Producer.objects.filter(pk=shop.cashew.producer_id).update(commune_today="Xã Phú Lý")
    staff = make_user(Role.OUTLET_STAFF, outlet=shop.tourist_site)
    first = sell(shop.tourist_site, {shop.coffee_variant: 3, shop.cashew_variant: 1})
    give_back(first, shop.coffee_variant, 1)
    sell(shop.showroom, {shop.coffee_variant: 3}, card=True)
    pickup = order_mark_ready_for_pickup(order=place_cash_pickup_order(shop), by_user=staff)
    order_hand_over_with_cash(outlet=shop.tourist_site, code=pickup.pickup_code, by_user=staff, cash_amount=370_000)
    delivered = make_order(lines=0, collection_point=None)
    OrderLine.objects.create(
        order=delivered,
        variant=shop.coffee_variant,
        producer=shop.coffee.producer,
        product_name=shop.coffee.name,
        product_sku=shop.coffee_variant.sku,
        certificate_id=shop.coffee.current_certification.certificate_id,
        quantity=1,
        unit_price_amount=150_000,
        total_price_amount=150_000,
    )
    day = timezone.localdate(first.created_at)
    if close:
        day_close(outlet=shop.tourist_site, day=day, by_user=staff, cash_counted=880_000)
        before = sell(shop.tourist_site, {shop.cashew_variant: 1})
        earlier = before.created_at - datetime.timedelta(days=1)
        CounterSale.objects.filter(pk=before.pk).update(created_at=earlier, paid_at=earlier)
    return day


@pytest.fixture
def day(shop: Shop) -> datetime.date:
    """The day of `day_with_sales_and_a_close`, not closed."""
    return day_with_sales_and_a_close(shop, close=False)


def figures(rows: list[SalesRow]) -> list[tuple]:
    return [
        (row.label, row.online_quantity, row.online_revenue, row.counter_quantity, row.counter_revenue) for row in rows
    ]


def report_for(user, day: datetime.date, channel: str = SalesChannel.ALL):
    return sales_report(user=user, start=day, end=day, channel=channel, language="vi", delivered="Giao tận nơi")


# --- the sales reports --------------------------------------------------------------------------------------


def test_every_breakdown_shows_online_and_counter_side_by_side_and_adds_up_to_the_dong(shop, day):
    report = report_for(make_user(Role.TRADE_STAFF), day)

    assert figures(report.by_outlet) == [
        ("Khu du lịch Bửu Long", 2, 370_000, 3, 520_000),  # the coffee brought back is taken off
        ("Trung tâm OCOP Biên Hòa", 0, 0, 3, 450_000),
        ("Giao tận nơi", 1, 150_000, 0, 0),
    ]
    assert figures(report.by_commune) == [
        ("Phường Tân Triều", 2, 300_000, 5, 750_000),
        ("Xã Phú Lý", 1, 220_000, 1, 220_000),
    ]
    assert figures(report.by_stars) == [("4★", 3, 520_000, 6, 970_000)]
    coffee, cashew = Producer.objects.get(pk=shop.coffee.producer_id), Producer.objects.get(pk=shop.cashew.producer_id)
    assert figures(report.by_producer) == [(coffee.name, 2, 300_000, 5, 750_000), (cashew.name, 1, 220_000, 1, 220_000)]
    assert [(row.quantity, row.revenue) for row in report.by_commune] == [(7, 1_050_000), (2, 440_000)]
    total = report.total
    assert (total.online_quantity, total.online_revenue, total.counter_quantity, total.counter_revenue) == (
        3,
        520_000,
        6,
        970_000,
    )
    assert (report.quantity, report.revenue) == (9, 1_490_000)
    for rows in (report.by_commune, report.by_group, report.by_stars, report.by_outlet, report.by_producer):
        assert sum(row.revenue for row in rows) == 1_490_000
        assert sum(row.counter_revenue for row in rows) == 970_000
        assert sum(row.quantity for row in rows) == 9
    # The counter's revenue is what its receipts took less what it refunded, to the đồng.
    receipts = sum(sale.total_amount for sale in CounterSale.objects.all())
    assert total.counter_revenue == receipts - 150_000


def test_one_channel_at_a_time(shop, day):
    trade = make_user(Role.TRADE_STAFF)
    online = report_for(trade, day, SalesChannel.ONLINE)
    counter = report_for(trade, day, SalesChannel.COUNTER)

    assert figures(online.by_outlet) == [("Khu du lịch Bửu Long", 2, 370_000, 0, 0), ("Giao tận nơi", 1, 150_000, 0, 0)]
    assert figures(counter.by_outlet) == [
        ("Khu du lịch Bửu Long", 0, 0, 3, 520_000),
        ("Trung tâm OCOP Biên Hòa", 0, 0, 3, 450_000),
    ]
    assert online.revenue + counter.revenue == report_for(trade, day).revenue == 1_490_000
    assert (online.shows_online, online.shows_counter, counter.shows_online, counter.shows_counter) == (
        True,
        False,
        False,
        True,
    )


def test_a_sale_brought_back_whole_leaves_no_row(shop):
    sale = sell(shop.showroom, {shop.coffee_variant: 2})
    give_back(sale, shop.coffee_variant, 2)
    report = report_for(make_user(Role.TRADE_STAFF), timezone.localdate(sale.created_at), SalesChannel.COUNTER)
    assert report.by_outlet == report.by_commune == [] and report.revenue == 0


def test_counter_sales_follow_the_producers_province(shop, day):
    assert report_for(make_user(Role.TRADE_STAFF, province=OTHER_PROVINCE), day).by_outlet == []
    assert report_for(make_user(Role.OPERATOR), day).revenue == 1_490_000
    Producer.objects.filter(pk=shop.cashew.producer_id).update(province_today=OTHER_PROVINCE)
    assert figures(report_for(make_user(Role.TRADE_STAFF, province=OTHER_PROVINCE), day).by_outlet) == [
        ("Khu du lịch Bửu Long", 1, 220_000, 1, 220_000)
    ]


def test_the_sales_page_marks_each_channel_and_totals_them(shop, day):
    client = client_for(make_user(Role.TRADE_STAFF))
    period = {"from": day.isoformat(), "to": day.isoformat()}
    response = client.get("/trade/sales/", period)
    page = response.content.decode()
    assert response.context["report"].channel == "all"
    assert page.count(">At the counter</th>") == 5 and page.count(">Online</th>") == 5  # one table per breakdown
    assert 'name="channel"' in page and "Revenue by outlet" in page and "Delivered to the buyer" in page
    assert page.count('<tr class="total">') == 5 and "1,490,000 VND" in page
    assert f"/trade/sales.csv?from={day.isoformat()}&amp;to={day.isoformat()}&amp;channel=all" in page

    only_counter = client.get("/trade/sales/", {**period, "channel": "counter"}).content.decode()
    assert ">At the counter</th>" not in only_counter  # one channel: its two columns only
    assert "970,000 VND" in only_counter and "Delivered to the buyer" not in only_counter
    assert "channel=counter" in only_counter

    wrong = client.get("/trade/sales/", {**period, "channel": "somewhere"})
    assert wrong.context["report"].channel == "all" and 'role="alert"' in wrong.content.decode()


def test_the_sales_files_carry_the_same_columns_and_totals(shop, day):
    client = client_for(make_user(Role.TRADE_STAFF))
    period = {"from": day.isoformat(), "to": day.isoformat()}

    rows = list(csv.reader(io.StringIO(client.get("/trade/sales.csv", period).content.decode("utf-8-sig"))))
    assert rows[0][:5] == ["Period", day_text(day), day_text(day), "Sold", "Online and at the counter"]
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
    outlets = [row for row in rows if row[0] == "Outlet"]
    assert outlets == [
        ["Outlet", "Khu du lịch Bửu Long", "2", "370000", "3", "520000", "5", "890000"],
        ["Outlet", "Trung tâm OCOP Biên Hòa", "0", "0", "3", "450000", "3", "450000"],
        ["Outlet", "Delivered to the buyer", "1", "150000", "0", "0", "1", "150000"],
        ["Outlet", "Total", "3", "520000", "6", "970000", "9", "1490000"],
    ]
    totals = [row for row in rows if row[1] == "Total"]
    assert [row[0] for row in totals] == ["Commune", "Product group", "Stars", "Outlet", "Producer"]
    assert {tuple(row[2:]) for row in totals} == {("3", "520000", "6", "970000", "9", "1490000")}

    counter = client.get("/trade/sales.csv", {**period, "channel": "counter"})
    assert f'filename="ocop-sales-counter-{day.isoformat()}-{day.isoformat()}.csv"' in counter["Content-Disposition"]
    counter_rows = list(csv.reader(io.StringIO(counter.content.decode("utf-8-sig"))))
    assert counter_rows[1] == ["Breakdown", "Label", "Counter: quantity", "Counter: revenue (đồng)"]
    assert ["Outlet", "Total", "6", "970000"] in counter_rows

    book = load_workbook(io.BytesIO(client.get("/trade/sales.xlsx", period).content))
    assert book.sheetnames == ["Commune", "Product group", "Stars", "Outlet", "Producer"]
    sheet = [list(row) for row in book["Outlet"].iter_rows(values_only=True)]
    assert sheet[0][3:5] == ["Sold", "Online and at the counter"]
    assert sheet[1] == [
        "Label",
        "Online: quantity",
        "Online: revenue (đồng)",
        "Counter: quantity",
        "Counter: revenue (đồng)",
        "Quantity",
        "Revenue (đồng)",
    ]
    assert sheet[2] == ["Khu du lịch Bửu Long", 2, 370_000, 3, 520_000, 5, 890_000]
    assert sheet[-1] == ["Total", 3, 520_000, 6, 970_000, 9, 1_490_000]
    assert book["Outlet"].cell(row=len(sheet), column=1).font.bold


def test_the_sales_page_runs_a_fixed_number_of_queries_however_many_sales(shop, day, django_assert_max_num_queries):
    client = client_for(make_user(Role.TRADE_STAFF))
    period = {"from": (day - datetime.timedelta(days=1)).isoformat(), "to": day.isoformat()}
    client.get("/trade/sales/", period)
    with django_assert_max_num_queries(12):  # session, user; per breakdown one query per channel
        client.get("/trade/sales/", period)
    for _ in range(5):  # each a sale kept and one brought back whole
        sell(shop.tourist_site, {shop.coffee_variant: 1}, card=True)
        give_back(sell(shop.tourist_site, {shop.cashew_variant: 1}), shop.cashew_variant, 1)
    with django_assert_max_num_queries(12):
        response = client.get("/trade/sales/", period)
    assert response.context["report"].total.counter_quantity == 6 + 5


# --- the outlets' days --------------------------------------------------------------------------------------


@pytest.fixture
def days(shop: Shop) -> datetime.date:
    """The day of `day_with_sales_and_a_close`, closed at the tourist site, and the day before."""
    return day_with_sales_and_a_close(shop)


def test_each_outlets_days_match_their_close_of_day_to_the_dong(shop, days):
    day = days
    rows = outlet_days(outlets=Outlet.objects.all(), start=day - datetime.timedelta(days=6), end=day)

    assert [(row.day, row.outlet.name) for row in rows] == [
        (day, "Khu du lịch Bửu Long"),
        (day, "Trung tâm OCOP Biên Hòa"),
        (day - datetime.timedelta(days=1), "Khu du lịch Bửu Long"),
    ]
    for row in rows:
        assert row.figures == day_figures(outlet=row.outlet, day=row.day)
    tourist, showroom, before = rows
    assert (tourist.figures.sales_count, tourist.figures.cash_sales, tourist.figures.card_sales) == (1, 670_000, 0)
    assert (tourist.figures.cash_refunds, tourist.figures.online_handed_over, tourist.figures.online_cash) == (
        150_000,
        1,
        370_000,
    )
    assert (tourist.cash_expected, tourist.cash_counted, tourist.difference) == (890_000, 880_000, -10_000)
    assert tourist.close == DayClose.objects.get(outlet=shop.tourist_site)
    assert (showroom.figures.card_sales, showroom.is_closed, showroom.cash_expected, showroom.difference) == (
        450_000,
        False,
        0,
        None,
    )
    assert (before.figures.cash_sales, before.is_closed) == (220_000, False)
    assert outlet_days(
        outlets=Outlet.objects.all(), start=day - datetime.timedelta(days=1), end=day - datetime.timedelta(days=1)
    ) == [before]


def test_the_outlet_days_page_lists_the_last_seven_days_and_filters_by_outlet(shop, days):
    day = days
    client = client_for(make_user(Role.TRADE_STAFF))
    response = client.get("/trade/outlets/days/")
    shown = response.context["shown"]
    assert (shown.end - shown.start).days == 6 and shown.outlet_id is None
    page = client.get(
        "/trade/outlets/days/", {"from": (day - datetime.timedelta(days=6)).isoformat(), "to": day.isoformat()}
    )
    text = page.content.decode()
    assert len(page.context["page"].object_list) == 3
    assert text.count("Not closed") == 2 and "-10,000 VND" in text and "890,000 VND" in text
    assert 'href="/trade/outlets/days/" aria-current="page"' in text

    one = client.get("/trade/outlets/days/", {"outlet": shop.showroom.pk, "to": day.isoformat()})
    assert [row.outlet for row in one.context["page"].object_list] == [shop.showroom]
    assert f"outlet={shop.showroom.pk}" in one.content.decode()


def test_trade_staff_see_their_provinces_outlets_and_operators_all(shop, days):
    day = days
    elsewhere = make_outlet(name="Cửa hàng OCOP Đà Lạt", province=OTHER_PROVINCE)
    DayClose.objects.create(outlet=elsewhere, day=day, cash_expected=0, cash_counted=0)
    period = {"from": day.isoformat(), "to": day.isoformat()}

    trade = client_for(make_user(Role.TRADE_STAFF)).get("/trade/outlets/days/", period)
    assert "Cửa hàng OCOP Đà Lạt" not in trade.content.decode()
    guessed = client_for(make_user(Role.TRADE_STAFF)).get("/trade/outlets/days/", {**period, "outlet": elsewhere.pk})
    assert "Cửa hàng OCOP Đà Lạt" not in guessed.content.decode() and 'role="alert"' in guessed.content.decode()
    operator = client_for(make_user(Role.OPERATOR)).get("/trade/outlets/days/", period)
    assert "Cửa hàng OCOP Đà Lạt" in operator.content.decode()
    there = client_for(make_user(Role.TRADE_STAFF, province=OTHER_PROVINCE)).get("/trade/outlets/days/", period)
    assert [row.outlet for row in there.context["page"].object_list] == [elsewhere]


def test_the_outlet_days_file(shop, days):
    day = days
    client = client_for(make_user(Role.TRADE_STAFF))
    period = {"from": (day - datetime.timedelta(days=1)).isoformat(), "to": day.isoformat()}
    response = client.get("/trade/outlets/days.csv", period)
    assert response["Content-Type"].startswith("text/csv")
    assert f'filename="ocop-outlet-days-{period["from"]}-{period["to"]}.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Day", "Outlet", "Counter sales"] and rows[0][-4:] == [
        "Closed",
        "Cash expected (đồng)",
        "Cash counted (đồng)",
        "Difference (đồng)",
    ]
    assert rows[1:] == [
        [
            day_text(day),
            "Khu du lịch Bửu Long",
            "1",
            "670000",
            "0",
            "0",
            "670000",
            "150000",
            "0",
            "1",
            "370000",
            "Yes",
            "890000",
            "880000",
            "-10000",
        ],
        [
            day_text(day),
            "Trung tâm OCOP Biên Hòa",
            "1",
            "0",
            "450000",
            "0",
            "450000",
            "0",
            "0",
            "0",
            "0",
            "Not closed",
            "0",
            "",
            "",
        ],
        [
            day_text(day - datetime.timedelta(days=1)),
            "Khu du lịch Bửu Long",
            "1",
            "220000",
            "0",
            "0",
            "220000",
            "0",
            "0",
            "0",
            "0",
            "Not closed",
            "220000",
            "",
            "",
        ],
    ]
    only = client.get("/trade/outlets/days.csv", {**period, "outlet": shop.showroom.pk}).content.decode("utf-8-sig")
    assert "Bửu Long" not in only and "Biên Hòa" in only


def test_the_outlet_days_page_runs_a_fixed_number_of_queries(shop, days, django_assert_max_num_queries):
    day = days
    client = client_for(make_user(Role.TRADE_STAFF))
    period = {"from": (day - datetime.timedelta(days=30)).isoformat(), "to": day.isoformat()}
    client.get("/trade/outlets/days/", period)
    # session, user, the outlets to choose from; sales, refunds, handed over, closes, the outlets of the rows
    with django_assert_max_num_queries(8):
        client.get("/trade/outlets/days/", period)
    for back in (2, 3):  # the showroom's two coffees left, on two earlier days
        sale = sell(shop.showroom, {shop.coffee_variant: 1})
        earlier = sale.created_at - datetime.timedelta(days=back)
        CounterSale.objects.filter(pk=sale.pk).update(created_at=earlier, paid_at=earlier)
    for back in range(2, 12):  # ten more outlets, each a closed day
        DayClose.objects.create(
            outlet=make_outlet(), day=day - datetime.timedelta(days=back), cash_expected=0, cash_counted=5
        )
    with django_assert_max_num_queries(8):
        response = client.get("/trade/outlets/days/", period)
    assert len(response.context["page"].object_list) == 3 + 2 + 10
