"""The counter in the outlet console: find goods (by name or a scanned label), the basket, the sale made once
however often it is sent, and its receipt."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import timezone

from marketplace.accounts.models import Role
from marketplace.counter.models import CounterSale
from marketplace.inventory.models import Stock
from payments.models import CreditSource
from payments.transfers import IncomingCredit, credit_receive
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(shop) -> Client:
    client = Client()
    client.cookies["ocop_language"] = "vi"
    client.force_login(make_user(Role.OUTLET_STAFF, outlet=shop.tourist_site))
    return client


def text(response) -> str:
    return response.content.decode()


def test_staff_find_goods_by_name_or_label_fill_the_basket_and_sell_for_cash_with_change(staff_client, shop):
    found = text(staff_client.get("/outlet/sell/?q=robusta"))
    assert "Cà phê hạt Robusta" in found and "150.000 ₫" in found and "Hạt điều" not in found
    scanned = text(staff_client.get(f"/outlet/sell/?q=https://ocop.example/p/{shop.cashew.slug}/"))
    assert "Hạt điều rang muối" in scanned and "Cà phê hạt Robusta" not in scanned

    staff_client.post("/outlet/sell/", {"action": "add", "variant": shop.coffee_variant.pk})
    staff_client.post("/outlet/sell/", {"action": "add", "variant": shop.coffee_variant.pk})
    staff_client.post("/outlet/sell/", {"action": "add", "variant": shop.cashew_variant.pk})
    page = text(staff_client.get("/outlet/sell/"))
    assert re.search(r'id="counter-total">520.000 ₫', page)
    key = re.search(r'name="key" value="([0-9a-f]+)"', page).group(1)

    short = staff_client.post("/outlet/sell/complete/", {"key": key, "method": "cash", "cash_received": "500.000"})
    assert short.status_code == 400 and "ít hơn tổng tiền" in text(short)
    sold = staff_client.post("/outlet/sell/complete/", {"key": key, "method": "cash", "cash_received": "600.000"})
    again = staff_client.post("/outlet/sell/complete/", {"key": key, "method": "cash", "cash_received": "600.000"})

    sale = CounterSale.objects.get()
    assert sold["Location"] == f"/outlet/sales/{sale.pk}/"
    assert again.status_code == 400  # the basket is empty now; the sale was made once
    receipt = text(staff_client.get(sold["Location"]))
    assert f"Hóa đơn {sale.receipt_number}" in receipt and "80.000 ₫" in receipt  # the change
    assert "print.js" in text(staff_client.get(sold["Location"] + "?print=80"))
    assert Stock.objects.get(outlet=shop.tourist_site, variant=shop.coffee_variant).quantity == 8


def test_a_sale_sent_again_with_its_basket_still_there_is_made_once(staff_client, shop):
    staff_client.post("/outlet/sell/", {"action": "add", "variant": shop.coffee_variant.pk})
    form = {"key": "dropped-connection-1", "method": "card_terminal", "slip_reference": "VCB 0045"}
    first = staff_client.post("/outlet/sell/complete/", form)
    staff_client.post("/outlet/sell/", {"action": "add", "variant": shop.coffee_variant.pk})  # the screen resends
    second = staff_client.post("/outlet/sell/complete/", form)

    assert first["Location"] == second["Location"]
    assert CounterSale.objects.count() == 1
    assert Stock.objects.get(outlet=shop.tourist_site, variant=shop.coffee_variant).quantity == 9


def test_another_outlets_receipt_is_not_found(staff_client, shop):
    other = Client()
    other.force_login(make_user(Role.OUTLET_STAFF, outlet=shop.showroom))
    other.post("/outlet/sell/", {"action": "add", "variant": shop.coffee_variant.pk})
    other.post("/outlet/sell/complete/", {"key": "k1", "method": "cash", "cash_received": "150000"})
    sale = CounterSale.objects.get()

    assert staff_client.get(f"/outlet/sales/{sale.pk}/").status_code == 404


def test_the_close_of_day_page_shows_the_days_figures_and_closes_it_once(staff_client, shop):
    staff_client.post("/outlet/sell/", {"action": "add", "variant": shop.coffee_variant.pk})
    staff_client.post("/outlet/sell/complete/", {"key": "k1", "method": "cash", "cash_received": "200.000"})

    page = text(staff_client.get("/outlet/day/"))
    assert re.search(r'id="cash-expected">150.000 ₫', page)
    closed = staff_client.post("/outlet/day/", {"cash_counted": "150.000", "note": ""})
    assert closed.status_code == 302
    after = text(staff_client.get("/outlet/day/"))
    assert re.search(r'id="cash-difference">0 ₫', after) and "Chốt ngày" in after and 'name="cash_counted"' not in after


def test_goods_are_taken_back_against_the_receipt(staff_client, shop):
    staff_client.post("/outlet/sell/", {"action": "add", "variant": shop.coffee_variant.pk})
    staff_client.post("/outlet/sell/", {"action": "add", "variant": shop.coffee_variant.pk})
    sold = staff_client.post("/outlet/sell/complete/", {"key": "k2", "method": "cash", "cash_received": "300000"})
    sale = CounterSale.objects.get()
    line = sale.lines.get()
    receipt = text(staff_client.get(sold["Location"]))
    key = re.search(r'name="key" value="([0-9a-f]+)"', receipt).group(1)

    too_many = staff_client.post(
        f"/outlet/sales/{sale.pk}/return/", {"key": key, f"return-{line.pk}": "3", "refund_method": "cash"}
    )
    assert "còn có thể trả lại 2 trên 2; khách muốn trả 3" in text(staff_client.get(too_many["Location"]))
    staff_client.post(
        f"/outlet/sales/{sale.pk}/return/",
        {"key": key, f"return-{line.pk}": "1", "refund_method": "cash", "reason": "Hũ bị nứt"},
    )

    after = text(staff_client.get(sold["Location"]))
    assert "150.000 ₫ (Tiền mặt từ két)" in after
    assert "Hũ bị nứt" in after
    assert Stock.objects.get(outlet=shop.tourist_site, variant=shop.coffee_variant).quantity == 9


def test_adding_from_a_search_keeps_the_search_whatever_it_holds(staff_client, shop):
    response = staff_client.post(
        "/outlet/sell/", {"action": "add", "variant": shop.coffee_variant.pk, "q": "cà phê & hạt #1"}
    )

    assert response["Location"] == "/outlet/sell/?q=c%C3%A0+ph%C3%AA+%26+h%E1%BA%A1t+%231"


def test_a_vietqr_sale_shows_the_code_until_the_bank_pays_it_then_the_receipt(staff_client, shop):
    staff_client.post("/outlet/sell/", {"action": "add", "variant": shop.coffee_variant.pk})
    assert "VietQR" in text(staff_client.get("/outlet/sell/"))
    made = staff_client.post("/outlet/sell/complete/", {"key": "qr-1", "method": "vietqr"})
    sale = CounterSale.objects.get()
    assert made["Location"] == f"/outlet/sales/{sale.pk}/pay/"
    assert staff_client.get(f"/outlet/sales/{sale.pk}/")["Location"] == made["Location"]  # no receipt before money

    waiting = text(staff_client.get(made["Location"]))
    assert f"OCOP Q{sale.pk}" in waiting and "150.000 ₫" in waiting and "data:image/png;base64," in waiting
    assert 'http-equiv="refresh"' in waiting

    credit_receive(
        IncomingCredit(
            bank_reference="FT-counter-1", amount=150_000, description=f"OCOP Q{sale.pk}", transacted_at=timezone.now()
        ),
        source=CreditSource.NOTIFICATION,
    )
    paid = staff_client.get(made["Location"])
    assert paid["Location"] == f"/outlet/sales/{sale.pk}/"
    receipt = text(staff_client.get(paid["Location"]))
    assert "Hóa đơn" in receipt and "VietQR" in receipt and "counter-return" in receipt


def test_staff_cancel_a_vietqr_sale_the_buyer_does_not_pay(staff_client, shop):
    staff_client.post("/outlet/sell/", {"action": "add", "variant": shop.coffee_variant.pk})
    staff_client.post("/outlet/sell/complete/", {"key": "qr-2", "method": "vietqr"})
    sale = CounterSale.objects.get()
    assert Stock.objects.get(outlet=shop.tourist_site, variant=shop.coffee_variant).quantity == 9

    cancelled = staff_client.post(f"/outlet/sales/{sale.pk}/cancel/")

    assert cancelled["Location"] == "/outlet/sell/"
    assert Stock.objects.get(outlet=shop.tourist_site, variant=shop.coffee_variant).quantity == 10
    receipt = text(staff_client.get(f"/outlet/sales/{sale.pk}/"))
    assert "counter-return" not in receipt and "counter-email" not in receipt


def test_the_receipt_is_emailed_in_the_buyers_language_and_a_bad_address_is_refused_beside_the_form(
    staff_client, shop, mailoutbox
):
    staff_client.post("/outlet/sell/", {"action": "add", "variant": shop.coffee_variant.pk})
    staff_client.post("/outlet/sell/complete/", {"key": "mail-1", "method": "cash", "cash_received": "200000"})
    sale = CounterSale.objects.get()

    bad = staff_client.post(f"/outlet/sales/{sale.pk}/email/", {"email": "not an address", "language": "en"})
    assert bad.status_code == 400 and "@example.com" in text(bad) and not mailoutbox

    sent = staff_client.post(f"/outlet/sales/{sale.pk}/email/", {"email": "tourist@example.com", "language": "en"})
    assert sent["Location"] == f"/outlet/sales/{sale.pk}/"
    [mail] = mailoutbox
    assert mail.to == ["tourist@example.com"] and mail.subject.startswith(f"Receipt {sale.receipt_number}")
    assert "Cash received: 200,000 VND" in mail.body and "Change: 50,000 VND" in mail.body
    html = mail.alternatives[0][0]
    assert 'lang="en"' in html and "150,000 VND" in html


def test_the_email_of_another_outlets_receipt_is_not_found(shop, mailoutbox):
    seller = Client()
    seller.force_login(make_user(Role.OUTLET_STAFF, outlet=shop.tourist_site))
    seller.post("/outlet/sell/", {"action": "add", "variant": shop.coffee_variant.pk})
    seller.post("/outlet/sell/complete/", {"key": "mail-2", "method": "cash", "cash_received": "150000"})
    sale = CounterSale.objects.get()
    other = Client()
    other.force_login(make_user(Role.OUTLET_STAFF, outlet=shop.showroom))

    assert (
        other.post(f"/outlet/sales/{sale.pk}/email/", {"email": "a@example.com", "language": "vi"}).status_code == 404
    )
    assert other.post(f"/outlet/sales/{sale.pk}/cancel/").status_code == 404
    assert other.get(f"/outlet/sales/{sale.pk}/pay/").status_code == 404
    assert not mailoutbox
