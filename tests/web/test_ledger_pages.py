"""The ledger's pages: the producer's statement (HTML, XLSX, PDF) and bank details in the portal, the months'
totals in the trade console, balances, statements and payout runs in the back office; each for its roles only."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from marketplace.accounts.models import Role
from marketplace.core.dates import local_today
from marketplace.ledger.models import EntryKind, JournalEntry, PayoutDetails, PayoutRun, PayoutRunStatus
from marketplace.ledger.selectors import producer_balances
from tests.factories import make_producer, make_user
from tests.marketplace.ledger.helpers import give_bank_details, hand_over, place

pytestmark = pytest.mark.django_db


def _client(user, language: str = "vi") -> Client:
    client = Client()
    client.cookies["ocop_language"] = language
    client.force_login(user)
    return client


@pytest.fixture
def sold(shop):
    """A pickup of one coffee (producer A) and one cashew (producer B), handed over; staff of A and an operator."""
    order = hand_over(place(shop))
    return type(
        "Sold",
        (),
        {
            "order": order,
            "coffee": order.fulfillments.get(producer=shop.coffee.producer),
            "cashew": order.fulfillments.get(producer=shop.cashew.producer),
            "staff": make_user(Role.PRODUCER_STAFF, producer=shop.coffee.producer),
            "operator": make_user(Role.OPERATOR, is_staff=True),
        },
    )


def test_the_statement_shows_the_producers_own_sales_in_vietnamese_money_and_dates(sold, shop):
    response = _client(sold.staff).get("/portal/statement/")
    assert response.status_code == 200
    page = response.content.decode()
    number = f"#{sold.order.number}-{sold.coffee.fulfillment_order}"
    assert number in page
    assert f"#{sold.order.number}-{sold.cashew.fulfillment_order}" not in page  # producer B's part
    payout = f"{sold.coffee.payout_amount:,}".replace(",", ".") + " ₫"
    assert payout in page
    assert timezone.localtime().strftime("%d/%m/%Y") in page
    assert "Sao kê tài khoản" in page


def test_the_statement_in_english_writes_money_the_english_way(sold):
    page = _client(sold.staff, "en").get("/portal/statement/").content.decode()
    assert f"{sold.coffee.payout_amount:,} VND" in page


def test_another_month_and_a_bad_month(sold):
    client = _client(sold.staff, "en")
    empty = client.get("/portal/statement/?month=2020-01").content.decode()
    assert f"#{sold.order.number}" not in empty and "01/01/2020" in empty
    bad = client.get("/portal/statement/?month=tháng-13")
    assert bad.status_code == 200 and "A month is written like 2026-11" in bad.content.decode()


def test_the_statement_as_xlsx_and_pdf(sold):
    client = _client(sold.staff)
    month = f"{local_today():%Y-%m}"
    xlsx = client.get(f"/portal/statement/?month={month}&format=xlsx")
    assert xlsx.status_code == 200 and "attachment" in xlsx["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert sheet["A1"].value == sold.coffee.producer.name
    assert values[-1] == sold.coffee.payout_amount  # the closing balance, as a number
    pdf = client.get(f"/portal/statement/?month={month}&format=pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and b"DejaVuSans" in pdf.content


def test_the_statement_page_reads_a_fixed_number_of_queries(sold, shop, django_assert_max_num_queries):
    client = _client(sold.staff)
    client.get("/portal/statement/")
    for _ in range(3):
        hand_over(place(shop, cashew=0))
    # the session, the user, the producer, the opening balance, the period's postings with their entries
    with django_assert_max_num_queries(6):
        assert client.get("/portal/statement/").status_code == 200


def test_bank_details_are_saved_as_the_bank_writes_them(sold):
    client = _client(sold.staff)
    assert client.get("/portal/payout-details/").status_code == 200
    response = client.post(
        "/portal/payout-details/",
        {
            "bank_bin": "970418",
            "bank_name": "BIDV",
            "account_number": "3141.0000.123456",
            "account_holder": "Hợp tác xã Cà phê Xuân Lộc",
        },
    )
    assert response.status_code == 302
    details = PayoutDetails.objects.get(producer=sold.coffee.producer)
    assert (details.account_number, details.account_holder) == ("31410000123456", "HOP TAC XA CA PHE XUAN LOC")


def test_bad_bank_details_are_refused_in_vietnamese(sold):
    response = _client(sold.staff).post(
        "/portal/payout-details/", {"bank_bin": "12", "bank_name": "X", "account_number": "abc", "account_holder": "Y"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Mã BIN của ngân hàng là mã Napas gồm 6 chữ số." in page
    assert "Số tài khoản chỉ gồm từ 6 đến 19 chữ số." in page
    assert not PayoutDetails.objects.exists()


def test_the_trade_console_totals_the_provinces_producers_by_month(sold, shop):
    trade = make_user(Role.TRADE_STAFF)
    page = _client(trade, "en").get("/trade/payouts/").content.decode()
    assert f"{sold.order.subtotal_amount:,} VND" in page  # sales of the month
    owed = sold.coffee.payout_amount + sold.cashew.payout_amount
    assert f"{owed:,} VND" in page
    elsewhere = make_user(Role.TRADE_STAFF, province="Tỉnh Lâm Đồng")
    other = _client(elsewhere, "en").get("/trade/payouts/").content.decode()
    assert f"{sold.order.subtotal_amount:,} VND" not in other


def test_operators_see_every_balance_and_statement_in_the_back_office(sold, shop):
    client = _client(sold.operator, "en")
    balances = client.get("/admin/ledger/journalentry/statements/")
    assert balances.status_code == 200
    assert (
        shop.coffee.producer.name in balances.content.decode()
        and shop.cashew.producer.name in balances.content.decode()
    )
    statement = client.get(f"/admin/ledger/journalentry/statements/{shop.cashew.producer_id}/")
    assert (
        statement.status_code == 200
        and f"#{sold.order.number}-{sold.cashew.fulfillment_order}" in statement.content.decode()
    )
    assert client.get(f"/admin/ledger/journalentry/statements/{make_producer().pk + 1000}/").status_code == 404
    download = f"/portal/statements/{shop.cashew.producer_id}/file/?month={local_today():%Y-%m}&amp;format=pdf"
    assert download in statement.content.decode()
    pdf = client.get(download.replace("&amp;", "&"))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    for user in (sold.staff, make_user(Role.TRADE_STAFF, is_staff=True)):
        assert _client(user).get("/admin/ledger/journalentry/statements/").status_code == 403


def test_a_payout_run_in_the_back_office_from_draft_to_paid(sold, shop):
    client = _client(sold.operator, "en")
    give_bank_details(shop.coffee.producer)
    refused = client.post("/admin/ledger/payoutrun/add/", {"producers": [shop.cashew.producer_id]}, follow=True)
    assert "has no bank details yet" in refused.content.decode() and not PayoutRun.objects.exists()
    response = client.post("/admin/ledger/payoutrun/add/", {"producers": [shop.coffee.producer_id]})
    run = PayoutRun.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/admin/ledger/payoutrun/{run.pk}/change/")
    assert client.get(response["Location"]).status_code == 200
    early = client.post(f"/admin/ledger/payoutrun/{run.pk}/paid/", {"bank_reference": "REF"}, follow=True)
    assert "export its bank file first" in early.content.decode()
    exported = client.post(f"/admin/ledger/payoutrun/{run.pk}/export/")
    assert exported.status_code == 200 and exported.content.decode().startswith("\ufeffSTT,")
    client.post(f"/admin/ledger/payoutrun/{run.pk}/paid/", {"bank_reference": "VCB-0001"})
    run.refresh_from_db()
    assert (run.status, run.bank_reference) == (PayoutRunStatus.PAID, "VCB-0001")
    assert producer_balances(producer_ids=[shop.coffee.producer_id]) == {shop.coffee.producer_id: 0}
    assert JournalEntry.objects.filter(kind=EntryKind.PAYOUT, payout_run=run).count() == 1
    for user in (sold.staff, make_user(Role.TRADE_STAFF, is_staff=True)):
        assert _client(user).post(f"/admin/ledger/payoutrun/{run.pk}/cancel/").status_code == 403
