"""VietQR bank transfers: the order placed awaiting the money, the bank's credits matched to it (by notification
and by statement file), the operator's suspense list and differences, refunds owed, and the hold."""

from __future__ import annotations

import datetime
import io
import json
import time

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import Workbook

from marketplace.accounts.models import Role
from marketplace.core.errors import DomainError
from marketplace.inventory.models import Stock
from marketplace.orders.models import ChargeStatus, Order, OrderStatus, PaymentMethod
from marketplace.orders.transfer_reference import candidates
from payments.checkout import checkout_complete
from payments.models import (
    BankCredit,
    CreditSource,
    CreditStatus,
    Gateway,
    RefundStatus,
    StatementImport,
    TransactionItem,
    TransferRefund,
)
from payments.services import transaction_initialize
from payments.transfers import (
    IncomingCredit,
    StatementFile,
    credit_assign,
    credit_dismiss,
    credit_receive,
    credit_settle,
    statement_import,
    transfer_refund_account_give,
    transfer_refund_mark_paid,
    transfers_cancel_unpaid,
)
from payments.vietqr import payload
from payments.vietqr.notifications import SIGNATURE_HEADER, sign
from tests.factories import make_user
from tests.payments.test_payments import INITIALIZE, PRICE, checkout_id, make_checkout

SECRET = "bank_webhook_test_secret"  # config/settings/test.py


def place_transfer_order(*, price: int = PRICE) -> Order:
    checkout = make_checkout(price=price)
    transaction_initialize(checkout=checkout, gateway_id=Gateway.VIETQR.value)
    return checkout_complete(token=checkout.token, user=None)


_bank_ids = iter(range(1_000_000, 10_000_000))


def credit(amount: int, description: str, *, reference: str | None = None) -> IncomingCredit:
    return IncomingCredit(
        bank_reference=reference or f"FT26340{next(_bank_ids)}",
        amount=amount,
        description=description,
        transacted_at=timezone.now(),
    )


def stock_allocated(order: Order) -> int:
    return sum(Stock.objects.filter(allocations__fulfillment__order=order).values_list("quantity_allocated", flat=True))


# --- the reference in what banks write ---


@pytest.mark.parametrize(
    ("description", "expected"),
    [
        ("OCOP 100234", "OCOP100234"),
        ("ocop100234", "OCOP100234"),
        ("OCOP-100234 chuyen tien mua hang", "OCOP100234"),
        ("MBVCB.5512345678.OCOP 100234.CT tu 0071000123456 NGUYEN VAN A toi 1234567890", "OCOP100234"),
        ("NGUYEN VAN A chuyển khoản OCOP 100234", "OCOP100234"),
        ("IBFT OCOP100234 FT26340123456789", "OCOP100234"),
        ("TKThe :0071000123456, tai VCB. OCOP100234-0987654321-Thanh toan", "OCOP100234"),
        ("OCOP1002340987654321", "OCOP100234"),  # the phone number run into the reference
        ("Ocop: 100234", "OCOP100234"),
        ("thanh toan don OCOP OCOP100234", "OCOP100234"),
    ],
)
def test_the_reference_is_found_however_the_bank_wrote_it(description, expected):
    assert expected in candidates(description)


@pytest.mark.parametrize(
    "description", ["NGUYEN VAN A chuyen tien", "DH 100234", "OCOP", "OCOP 12", "OCOPABC100234", ""]
)
def test_no_reference_no_candidate(description):
    assert candidates(description) == []


def test_the_longest_reference_comes_first():
    assert candidates("OCOP1002340987")[:3] == ["OCOP1002340987", "OCOP100234098", "OCOP10023409"]


# --- opening a transfer and placing the order ---


@pytest.mark.django_db
def test_initialize_gives_the_qr_code_and_the_order_takes_the_number_its_reference_carries(db):
    checkout = make_checkout()
    client = Client()
    body = client.post(
        "/graphql/",
        json.dumps({"query": INITIALIZE, "variables": {"id": checkout_id(checkout), "gateway": Gateway.VIETQR}}),
        content_type="application/json",
    ).json()["data"]["transactionInitialize"]

    assert body["errors"] == []
    vietqr = body["data"]["vietqr"]
    assert (vietqr["bankBin"], vietqr["accountNumber"], vietqr["amount"]) == ("970436", "0071000000001", PRICE)
    request = payload.parse(vietqr["payload"])
    assert (request.bank_bin, request.account_number, request.amount) == ("970436", "0071000000001", PRICE)
    assert request.purpose == vietqr["reference"]
    assert vietqr["qrCodeDataUri"].startswith("data:image/png;base64,")
    assert body["transactionEvent"]["type"] == "CHARGE_ACTION_REQUIRED"
    assert body["transaction"]["chargedAmount"]["amount"] == 0

    order = checkout_complete(token=checkout.token, user=None)

    assert f"OCOP {order.number}" == vietqr["reference"]
    assert (order.status, order.payment_method, order.charge_status) == (
        OrderStatus.UNCONFIRMED,
        PaymentMethod.TRANSFER,
        ChargeStatus.NONE,
    )
    assert stock_allocated(order) == 1


# --- credits ---


@pytest.mark.django_db
def test_an_exact_credit_pays_the_order_and_a_repeated_one_changes_nothing(mailoutbox):
    order = place_transfer_order()
    incoming = credit(PRICE, f"MBVCB.123.OCOP {order.number}.CT tu NGUYEN VAN A", reference="FT26340000001")

    row, created = credit_receive(incoming, source=CreditSource.NOTIFICATION)
    again, created_again = credit_receive(incoming, source=CreditSource.STATEMENT)

    assert (created, created_again, again.pk) == (True, False, row.pk)
    assert (row.status, row.difference, row.needs_operator) == (CreditStatus.MATCHED, 0, False)
    order.refresh_from_db()
    assert (order.status, order.charge_status, order.total_charged_amount) == (
        OrderStatus.UNFULFILLED,
        ChargeStatus.FULL,
        PRICE,
    )
    assert TransactionItem.objects.get(order=order).charged_amount == PRICE


@pytest.mark.django_db
def test_a_short_credit_waits_for_an_operator_until_the_rest_comes():
    order = place_transfer_order()

    short, _ = credit_receive(credit(PRICE - 50_000, f"OCOP{order.number}"), source=CreditSource.NOTIFICATION)
    order.refresh_from_db()
    assert (short.status, short.difference, short.needs_operator) == (CreditStatus.SHORT, -50_000, True)
    assert (order.status, order.amount_due) == (OrderStatus.UNCONFIRMED, 50_000)

    rest, _ = credit_receive(credit(50_000, f"ocop {order.number} con lai"), source=CreditSource.NOTIFICATION)

    order.refresh_from_db()
    short.refresh_from_db()
    assert (rest.status, order.status, order.charge_status) == (
        CreditStatus.MATCHED,
        OrderStatus.UNFULFILLED,
        ChargeStatus.FULL,
    )
    assert not short.needs_operator


@pytest.mark.django_db
def test_an_overpayment_pays_the_order_and_the_excess_is_owed_back_once_an_operator_settles_it():
    order = place_transfer_order()
    operator = make_user(Role.OPERATOR)

    over, _ = credit_receive(credit(PRICE + 20_000, f"OCOP {order.number}"), source=CreditSource.NOTIFICATION)
    order.refresh_from_db()
    assert (over.status, over.difference, order.status) == (CreditStatus.OVER, 20_000, OrderStatus.UNFULFILLED)

    credit_settle(credit=over, by_user=operator, note="Refund the 20.000 đ")

    [refund] = TransferRefund.objects.filter(transaction__order=order)
    assert (refund.amount, refund.status) == (20_000, RefundStatus.OWED)
    with pytest.raises(DomainError):
        credit_settle(credit=over, by_user=operator)


@pytest.mark.django_db
def test_a_credit_without_a_reference_waits_in_suspense_until_an_operator_assigns_it():
    order = place_transfer_order()
    operator = make_user(Role.OPERATOR)
    row, _ = credit_receive(credit(PRICE, "NGUYEN VAN A chuyen tien"), source=CreditSource.NOTIFICATION)
    assert (row.status, row.transaction, row.needs_operator) == (CreditStatus.UNMATCHED, None, True)

    with pytest.raises(DomainError) as refused:
        credit_assign(credit=row, order_number=999_999_999, by_user=operator)
    assert refused.value.details[0].code == "NOT_FOUND"

    row = credit_assign(credit=row, order_number=order.number, by_user=operator)

    order.refresh_from_db()
    assert (row.status, row.resolved_by, order.status) == (CreditStatus.ASSIGNED, operator, OrderStatus.UNFULFILLED)


@pytest.mark.django_db
def test_dismissing_a_credit_needs_an_operator_and_a_reason():
    row, _ = credit_receive(credit(10_000, "Lai tien gui"), source=CreditSource.STATEMENT)
    with pytest.raises(DomainError):
        credit_dismiss(credit=row, note=" ", by_user=make_user(Role.OPERATOR))
    with pytest.raises(Exception, match="operators"):
        credit_dismiss(credit=row, note="interest", by_user=make_user(Role.OUTLET_STAFF))

    row = credit_dismiss(credit=row, note="Bank interest", by_user=make_user(Role.OPERATOR))

    assert (row.status, row.needs_operator) == (CreditStatus.DISMISSED, False)


# --- the hold ---


@pytest.mark.django_db
def test_an_unpaid_order_is_cancelled_after_the_hold_with_its_stock_back_and_the_buyer_told(
    settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.OCOP_TRANSFER_HOLD_HOURS = 24
    unpaid = place_transfer_order()
    paid = place_transfer_order()
    credit_receive(credit(PRICE, f"OCOP {paid.number}"), source=CreditSource.NOTIFICATION)
    assert stock_allocated(unpaid) == 1

    assert transfers_cancel_unpaid(now=timezone.now() + datetime.timedelta(hours=23)) == []
    with django_capture_on_commit_callbacks(execute=True):
        canceled = transfers_cancel_unpaid(now=timezone.now() + datetime.timedelta(hours=24, minutes=1))

    assert canceled == [unpaid.number]
    unpaid.refresh_from_db()
    paid.refresh_from_db()
    assert (unpaid.status, paid.status) == (OrderStatus.CANCELED, OrderStatus.UNFULFILLED)
    assert stock_allocated(unpaid) == 0
    [email] = [message for message in mailoutbox if "hủy" in message.subject]
    assert "chưa nhận được chuyển khoản" in email.body


@pytest.mark.django_db
def test_an_order_with_a_short_credit_is_left_to_the_operator_not_cancelled():
    order = place_transfer_order()
    credit_receive(credit(PRICE - 1_000, f"OCOP {order.number}"), source=CreditSource.NOTIFICATION)

    assert transfers_cancel_unpaid(now=timezone.now() + datetime.timedelta(days=3)) == []


@pytest.mark.django_db
def test_money_for_a_cancelled_order_is_owed_back_and_paid_by_an_operator_to_the_buyers_account(
    django_capture_on_commit_callbacks,
):
    order = place_transfer_order()
    with django_capture_on_commit_callbacks(execute=True):
        transfers_cancel_unpaid(now=timezone.now() + datetime.timedelta(days=2))

    late, _ = credit_receive(credit(PRICE, f"OCOP {order.number}"), source=CreditSource.NOTIFICATION)

    [refund] = TransferRefund.objects.filter(transaction__order=order)
    assert (late.status, late.difference, refund.amount) == (CreditStatus.OVER, PRICE, PRICE)
    operator = make_user(Role.OPERATOR)
    with pytest.raises(DomainError, match="not given an account"):
        transfer_refund_mark_paid(refund=refund, by_user=operator, bank_reference="FT999")
    with pytest.raises(DomainError):
        transfer_refund_account_give(refund=refund, account_holder="A", bank_name="VCB", account_number="12ab")

    transfer_refund_account_give(
        refund=refund, account_holder="NGUYEN VAN A", bank_name="Vietcombank", account_number="0071 0001 23456"
    )
    refund = transfer_refund_mark_paid(refund=refund, by_user=operator, bank_reference="FT26341000009")
    transfer_refund_mark_paid(refund=refund, by_user=operator, bank_reference="FT26341000009")  # twice: once

    order.refresh_from_db()
    assert (refund.status, refund.account_number) == (RefundStatus.PAID, "0071000123456")
    assert (order.total_charged_amount, order.total_refunded_amount) == (PRICE, PRICE)
    # The cancellation's own refund run, repeated, owes nothing more.
    from payments.services import order_refund

    order_refund(order=order)
    assert TransferRefund.objects.filter(transaction__order=order).count() == 1


# --- the bank's notification ---


def notify(body: dict | list, *, timestamp: int | None = None, secret: str = SECRET, client: Client | None = None):
    raw = json.dumps(body).encode()
    header = sign(raw, secret=secret, timestamp=timestamp or int(time.time()))
    return (client or Client()).post(
        "/payments/bank/webhook/", raw, content_type="application/json", headers={SIGNATURE_HEADER: header}
    )


def sepay(order: Order, *, amount: int = PRICE, reference: str = "MBVCB.3278907687", kind: str = "in") -> dict:
    return {
        "id": 92704,
        "gateway": "Vietcombank",
        "transactionDate": "2026-12-06 14:02:37",
        "accountNumber": "0071000000001",
        "code": None,
        "content": f"NGUYEN VAN A chuyen tien OCOP {order.number}",
        "transferType": kind,
        "transferAmount": amount,
        "accumulated": 19_077_000,
        "subAccount": None,
        "referenceCode": reference,
        "description": "",
    }


@pytest.mark.django_db
def test_a_signed_notification_pays_the_order_once_however_often_it_comes():
    order = place_transfer_order()

    first = notify(sepay(order))
    second = notify(sepay(order))

    assert first.status_code == second.status_code == 200
    assert first.json()["credits"] == [{"reference": "MBVCB.3278907687", "status": "matched", "new": True}]
    assert second.json()["credits"][0]["new"] is False
    order.refresh_from_db()
    assert (order.status, order.total_charged_amount) == (OrderStatus.UNFULFILLED, PRICE)
    credit_row = BankCredit.objects.get()
    assert credit_row.transacted_at == datetime.datetime(
        2026, 12, 6, 7, 2, 37, tzinfo=datetime.UTC
    )  # 14:02:37 in Vietnam


@pytest.mark.django_db
def test_the_wrapped_shape_with_a_list_is_read_too_and_money_going_out_is_skipped():
    order = place_transfer_order()
    body = {
        "error": 0,
        "data": [
            {
                "id": 1,
                "reference": "FT26340777",
                "description": f"IBFT OCOP{order.number}",
                "amount": PRICE,
                "transactionDateTime": "2026-12-06 09:30:10",
                "accountNumber": "0071000000001",
                "bankName": "Vietcombank",
            },
            {"id": 2, "reference": "FT26340778", "description": "phi", "amount": -11_000, "when": "2026-12-06"},
        ],
    }

    response = notify(body)

    assert response.status_code == 200
    assert (len(response.json()["credits"]), response.json()["skipped"]) == (1, 1)
    order.refresh_from_db()
    assert order.status == OrderStatus.UNFULFILLED


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("timestamp_offset", "secret"),
    [(0, "another-secret"), (-400, SECRET), (400, SECRET)],
    ids=["wrong secret", "replayed later", "from the future"],
)
def test_a_wrong_or_stale_signature_is_refused_and_nothing_recorded(timestamp_offset, secret):
    order = place_transfer_order()

    response = notify(sepay(order), timestamp=int(time.time()) + timestamp_offset, secret=secret)

    assert response.status_code == 401
    assert not BankCredit.objects.exists()


@pytest.mark.django_db
def test_an_unsigned_or_unreadable_notification_is_refused():
    assert Client().post("/payments/bank/webhook/", b"{}", content_type="application/json").status_code == 401
    raw = b"not json"
    header = sign(raw, secret=SECRET, timestamp=int(time.time()))
    response = Client().post(
        "/payments/bank/webhook/", raw, content_type="application/json", headers={SIGNATURE_HEADER: header}
    )
    assert response.status_code == 400
    assert not BankCredit.objects.exists()


@pytest.mark.django_db
def test_a_credit_to_another_account_is_not_ours():
    order = place_transfer_order()
    body = sepay(order) | {"accountNumber": "999999999"}

    response = notify(body)

    assert (response.json()["credits"], response.json()["skipped"]) == ([], 1)


# --- statement files ---


def statement_rows(order_numbers: list[int]) -> list[list[str]]:
    return [
        ["NGÂN HÀNG TMCP NGOẠI THƯƠNG VIỆT NAM", "", "", "", ""],
        ["SAO KÊ TÀI KHOẢN", "", "", "", ""],
        ["Số tài khoản: 0071000000001", "", "", "", ""],
        ["", "", "", "", ""],
        ["Ngày giao dịch", "Số tham chiếu", "Số tiền ghi nợ", "Số tiền ghi có (VND)", "Nội dung"],
        ["06/12/2026 14:02:37", "MBVCB.3278907687", "", "150.000", f"OCOP {order_numbers[0]}"],
        ["06/12/2026 15:10:00", "FT26340555", "", "150,000", f"chuyen khoan ocop-{order_numbers[1]} NGUYEN THI B"],
        ["06/12/2026 16:00:00", "FT26340556", "22.000", "", "Phi dich vu SMS"],
        ["06/12/2026 16:30:00", "FT26340557", "", "75.000", "TRAN VAN C chuyen tien"],
        ["", "", "", "", ""],
        ["Tổng cộng", "", "22.000", "375.000", ""],
    ]


def csv_bytes(rows: list[list[str]]) -> bytes:
    return "\n".join(";".join(row) for row in rows).encode("utf-8-sig")


@pytest.mark.django_db
def test_a_statement_with_credits_already_notified_adds_only_the_new_ones():
    notified = place_transfer_order()
    from_file = place_transfer_order()
    notify(sepay(notified))  # the same bank transaction as the statement's first credit
    operator = make_user(Role.OPERATOR)
    rows = statement_rows([notified.number, from_file.number])
    rows[-1][0] = "06/12/2026"  # the totals row has a date here but nothing in its own credit cell…
    rows[-1][3] = ""  # …so it is skipped like the debit

    record = statement_import(file=StatementFile(name="sao-ke-06-12.csv", content=csv_bytes(rows)), by_user=operator)

    assert (record.credits_new, record.credits_known, record.debits_skipped) == (2, 1, 3)
    assert BankCredit.objects.count() == 3
    notified.refresh_from_db()
    from_file.refresh_from_db()
    assert notified.total_charged_amount == from_file.total_charged_amount == PRICE
    assert BankCredit.objects.get(bank_reference="FT26340557").status == CreditStatus.UNMATCHED


@pytest.mark.django_db
def test_an_xlsx_statement_is_read_with_numbers_and_dates_as_excel_keeps_them():
    order = place_transfer_order()
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Account statement"])
    sheet.append(["Transaction date", "Reference No", "Debit", "Credit Amount", "Description"])
    sheet.append([datetime.datetime(2026, 12, 6, 10, 0), 5512345678, None, PRICE, f"OCOP {order.number}"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    record = statement_import(
        file=StatementFile(name="statement.xlsx", content=buffer.getvalue()), by_user=make_user(Role.OPERATOR)
    )

    assert record.credits_new == 1
    assert BankCredit.objects.get().bank_reference == "5512345678"
    order.refresh_from_db()
    assert order.status == OrderStatus.UNFULFILLED


@pytest.mark.django_db
def test_a_statement_with_an_unreadable_row_is_refused_whole():
    order = place_transfer_order()
    rows = statement_rows([order.number, order.number])
    rows[6][3] = "một trăm nghìn"
    rows[8][0] = "hôm qua"

    with pytest.raises(DomainError) as refused:
        statement_import(file=StatementFile(name="bad.csv", content=csv_bytes(rows)), by_user=make_user(Role.OPERATOR))

    message = refused.value.details[0].message
    assert "Row 7" in message and "Row 9" in message
    assert not BankCredit.objects.exists() and not StatementImport.objects.exists()


@pytest.mark.django_db
def test_a_file_without_the_columns_says_which_headings_it_looked_for():
    with pytest.raises(DomainError, match="No heading row"):
        statement_import(file=StatementFile(name="x.csv", content=b"a,b,c\n1,2,3\n"), by_user=make_user(Role.OPERATOR))


@pytest.mark.django_db
def test_the_operator_names_the_columns_of_an_unusual_export():
    order = place_transfer_order()
    content = f"Ref;When;In;Text\nX1;06/12/2026;{PRICE};OCOP {order.number}\n".encode()

    record = statement_import(
        file=StatementFile(name="odd.csv", content=content),
        by_user=make_user(Role.OPERATOR),
        columns={"reference": ["Ref"], "date": ["When"], "credit": ["In"], "description": ["Text"]},
    )

    assert record.credits_new == 1


# --- what the buyer is told ---


@pytest.mark.django_db
def test_the_buyer_gets_the_transfer_details_then_word_that_the_money_came(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order = place_transfer_order()
    [confirmation] = mailoutbox
    assert f"Nội dung chuyển khoản: OCOP {order.number}" in confirmation.body
    assert "Số tài khoản: 0071000000001" in confirmation.body and "150.000 ₫" in confirmation.body

    with django_capture_on_commit_callbacks(execute=True):
        credit_receive(credit(PRICE, f"OCOP {order.number}"), source=CreditSource.NOTIFICATION)
        credit_receive(credit(1_000, f"OCOP {order.number}"), source=CreditSource.NOTIFICATION)  # confirms nothing more

    [confirmation, received] = mailoutbox
    assert received.subject == f"Đã nhận chuyển khoản cho đơn hàng #{order.number}"
    assert "Đơn hàng đã được xác nhận" in received.body


@pytest.mark.django_db
def test_the_outlet_hears_that_a_pickup_order_is_paid_and_to_prepare(mailoutbox, django_capture_on_commit_callbacks):
    order = place_transfer_order()
    outlet = order.collection_point
    outlet.email = "quay@buulong.example.vn"
    outlet.save(update_fields=["email"])
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        credit_receive(credit(PRICE, f"OCOP {order.number}"), source=CreditSource.NOTIFICATION)

    [to_outlet] = [message for message in mailoutbox if message.to == ["quay@buulong.example.vn"]]
    assert to_outlet.subject == f"Đơn hàng #{order.number} đã thanh toán: cần chuẩn bị"
    assert "× 1" in to_outlet.body and "/outlet/" in to_outlet.body


# --- the back office ---


@pytest.fixture
def operator_client():
    client = Client()
    client.force_login(make_user(Role.OPERATOR, is_staff=True))
    return client


@pytest.mark.django_db
def test_an_operator_assigns_a_credit_from_the_suspense_list_in_the_back_office(operator_client):
    order = place_transfer_order()
    row, _ = credit_receive(credit(PRICE, "chuyen tien mua hang"), source=CreditSource.NOTIFICATION)

    listing = operator_client.get("/admin/payments/bankcredit/?resolved_at__isempty=1&status__in=short,over,unmatched")
    assert listing.status_code == 200 and "chuyen tien mua hang" in listing.content.decode()
    assert operator_client.get(f"/admin/payments/bankcredit/{row.pk}/change/")["Location"].endswith(
        f"/admin/payments/bankcredit/{row.pk}/resolve/"
    )
    refused = operator_client.post(f"/admin/payments/bankcredit/{row.pk}/resolve/", {"action": "assign"})
    assert "Enter the order number." in refused.content.decode()

    response = operator_client.post(
        f"/admin/payments/bankcredit/{row.pk}/resolve/", {"action": "assign", "order_number": order.number}
    )

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.UNFULFILLED


@pytest.mark.django_db
def test_an_operator_imports_a_statement_and_sees_the_rows_to_fix_of_a_bad_one(operator_client):
    order = place_transfer_order()
    rows = statement_rows([order.number, order.number])
    good = operator_client.post("/admin/payments/bankcredit/import/", {"file": _upload("sao-ke.csv", csv_bytes(rows))})
    assert good.status_code == 302
    assert StatementImport.objects.get().credits_new == 3

    rows[5][3] = "abc"
    bad = operator_client.post("/admin/payments/bankcredit/import/", {"file": _upload("bad.csv", csv_bytes(rows))})
    assert bad.status_code == 200 and "Row 6: the amount" in bad.content.decode()


@pytest.mark.django_db
def test_an_operator_records_a_refund_paid_with_the_account_the_buyer_gave_by_phone(
    operator_client, django_capture_on_commit_callbacks
):
    order = place_transfer_order()
    credit_receive(credit(PRICE + 5_000, f"OCOP {order.number}"), source=CreditSource.NOTIFICATION)
    over = BankCredit.objects.get()
    operator_client.post(f"/admin/payments/bankcredit/{over.pk}/resolve/", {"action": "settle", "note": "refund"})
    refund = TransferRefund.objects.get()

    response = operator_client.post(
        f"/admin/payments/transferrefund/{refund.pk}/paid/",
        {
            "account_holder": "TRAN THI B",
            "bank_name": "Techcombank",
            "account_number": "19036543210011",
            "bank_reference": "FT26342000001",
        },
    )

    assert response.status_code == 302
    refund.refresh_from_db()
    order.refresh_from_db()
    assert (refund.status, refund.account_number, order.total_refunded_amount) == (
        RefundStatus.PAID,
        "19036543210011",
        5_000,
    )


@pytest.mark.django_db
def test_only_operators_reach_the_transfer_screens():
    client = Client()
    client.force_login(make_user(Role.TRADE_STAFF, is_staff=True))
    for url in ("/admin/payments/bankcredit/", "/admin/payments/bankcredit/import/"):
        assert client.get(url).status_code in (302, 403)


def _upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="text/csv")


@pytest.mark.django_db(transaction=True)
def test_the_demos_bank_posts_a_signed_credit_that_pays_the_order(live_server):
    from django.core.management import call_command

    order = place_transfer_order()
    out = io.StringIO()

    call_command("bank_credit", order=order.number, url=f"{live_server.url}/payments/bank/webhook/", stdout=out)

    assert '"status": "matched"' in out.getvalue()
    order.refresh_from_db()
    assert order.status == OrderStatus.UNFULFILLED


@pytest.mark.django_db
def test_the_buyers_last_choice_between_transfer_and_cash_is_the_orders_unless_money_came():
    checkout = make_checkout()
    transaction_initialize(checkout=checkout, gateway_id=Gateway.VIETQR.value)
    transaction_initialize(checkout=checkout, gateway_id=Gateway.CASH.value)
    assert checkout_complete(token=checkout.token, user=None).payment_method == PaymentMethod.CASH

    paid_first = make_checkout()
    transaction_initialize(checkout=paid_first, gateway_id=Gateway.VIETQR.value)
    reference = TransactionItem.objects.get(checkout=paid_first).psp_reference
    credit_receive(credit(PRICE, reference), source=CreditSource.NOTIFICATION)  # before checkoutComplete
    transaction_initialize(checkout=paid_first, gateway_id=Gateway.CASH.value)
    order = checkout_complete(token=paid_first.token, user=None)
    assert (order.payment_method, order.status, f"OCOP{order.number}") == (
        PaymentMethod.TRANSFER,
        OrderStatus.UNFULFILLED,
        reference,
    )


# --- a transfer credited to a checkout that was never completed ---


@pytest.mark.django_db
def test_the_reconciliation_places_the_order_of_a_checkout_paid_by_transfer_and_never_completed():
    from payments.reconciliation import reconcile_payments

    checkout = make_checkout()
    transaction_initialize(checkout=checkout, gateway_id=Gateway.VIETQR.value)
    reference = TransactionItem.objects.get(checkout=checkout).psp_reference
    credit_receive(credit(PRICE, reference), source=CreditSource.NOTIFICATION)  # the buyer closed the page

    report = reconcile_payments(now=timezone.now() + datetime.timedelta(minutes=30))

    order = Order.objects.get()
    assert report.orders_placed == [order.number] and f"OCOP{order.number}" == reference
    assert (order.status, order.payment_method) == (OrderStatus.UNFULFILLED, PaymentMethod.TRANSFER)


@pytest.mark.django_db
def test_a_transfer_whose_checkout_cannot_become_an_order_is_owed_back():
    from payments.reconciliation import reconcile_payments

    checkout = make_checkout()
    transaction_initialize(checkout=checkout, gateway_id=Gateway.VIETQR.value)
    item = TransactionItem.objects.get(checkout=checkout)
    credit_receive(credit(PRICE, item.psp_reference), source=CreditSource.NOTIFICATION)
    Stock.objects.filter(variant_id__in=checkout.lines.values("variant_id")).update(quantity=0)  # sold out meanwhile

    report = reconcile_payments(now=timezone.now() + datetime.timedelta(minutes=30))

    assert report.checkouts_refused == 1 and not Order.objects.exists()
    [refund] = TransferRefund.objects.all()
    assert (refund.transaction_id, refund.amount, refund.status) == (item.pk, PRICE, RefundStatus.OWED)
