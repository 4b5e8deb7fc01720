"""Counts, write-offs and transfers in the outlet console: the count sheet sets the stock once however often it is
sent, refusals shown by their line, the history's totals by reason, and transfers acted on from their own side only
(another outlet's are not found). Pages in English, so the assertions hold before and after translation."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from marketplace.accounts.models import Role
from marketplace.inventory.models import Stock
from marketplace.orders.models import FulfillmentLine
from marketplace.stockmoves.models import StockCount, StockTransfer, TransferStatus
from marketplace.stockmoves.transfers import transfer_request, transfer_send
from tests.factories import make_user
from tests.web.test_outletdesk import place

pytestmark = pytest.mark.django_db


def client_of(outlet) -> Client:
    client = Client()
    client.cookies["ocop_language"] = "en"
    client.force_login(make_user(Role.OUTLET_STAFF, outlet=outlet))
    return client


@pytest.fixture
def site(shop) -> Client:
    return client_of(shop.tourist_site)


@pytest.fixture
def showroom(shop) -> Client:
    return client_of(shop.showroom)


def text(response) -> str:
    return response.content.decode()


def on_shelf(outlet, variant) -> int:
    return Stock.objects.get(outlet=outlet, variant=variant).quantity


def row_id(outlet, variant) -> int:
    return Stock.objects.get(outlet=outlet, variant=variant).pk


def test_staff_count_the_shelf_with_a_reason_for_each_difference_and_the_count_is_made_once(site, shop):
    sheet = text(site.get("/outlet/count/"))
    assert "Cà phê hạt Robusta" in sheet and "System: 10" in sheet
    key = re.search(r'name="key" value="([0-9a-f]+)"', sheet).group(1)
    coffee, cashew = row_id(shop.tourist_site, shop.coffee_variant), row_id(shop.tourist_site, shop.cashew_variant)

    no_reason = site.post("/outlet/count/", {"key": key, f"counted-{coffee}": "9", f"counted-{cashew}": ""})
    assert no_reason.status_code == 400
    assert "differs from the system (10): choose a reason." in text(no_reason) and 'value="9"' in text(no_reason)
    bad = site.post("/outlet/count/", {"key": key, f"counted-{coffee}": "nine"})
    assert bad.status_code == 400 and "A quantity is a whole number from 0." in text(bad)

    moved = site.post("/outlet/count/", {"key": key, f"seen-{coffee}": "11", f"counted-{coffee}": "9"})
    assert moved.status_code == 400 and "while the shelf was counted" in text(moved)
    assert f'name="seen-{coffee}" value="10"' in text(moved)  # the sheet shows the quantity now

    form = {
        "key": key,
        f"seen-{coffee}": "10",
        f"counted-{coffee}": "9",
        f"reason-{coffee}": "damage",
        f"note-{coffee}": "Gói rách",
    }
    done = site.post("/outlet/count/", form)
    again = site.post("/outlet/count/", form)
    assert done.status_code == again.status_code == 302
    assert StockCount.objects.count() == 1
    assert (on_shelf(shop.tourist_site, shop.coffee_variant), on_shelf(shop.tourist_site, shop.cashew_variant)) == (
        9,
        10,
    )

    history = text(site.get(done["Location"]))
    assert "Gói rách" in history and "10 → <strong>9</strong>" in history
    assert re.search(r'id="variance-total">-150,000 VND', history)


def test_a_count_below_what_online_orders_were_promised_is_refused_on_its_line(site, shop):
    place(shop, outlet=shop.tourist_site)  # one coffee promised
    coffee = row_id(shop.tourist_site, shop.coffee_variant)
    refused = site.post("/outlet/count/", {"key": "k1", f"counted-{coffee}": "0", f"reason-{coffee}": "theft"})
    assert refused.status_code == 400
    assert "1 are promised to online orders and still on the shelf; the count cannot be 0." in text(refused)
    assert on_shelf(shop.tourist_site, shop.coffee_variant) == 10


def test_a_broken_jar_is_written_off_once(site, shop):
    page = text(site.get("/outlet/count/write-off/"))
    key = re.search(r'name="key" value="([0-9a-f]+)"', page).group(1)
    form = {"key": key, "variant": shop.cashew_variant.pk, "quantity": "1", "reason": "damage", "note": "Hũ vỡ"}
    assert site.post("/outlet/count/write-off/", form).status_code == 302
    assert site.post("/outlet/count/write-off/", form).status_code == 302
    assert on_shelf(shop.tourist_site, shop.cashew_variant) == 9
    too_many = site.post("/outlet/count/write-off/", {**form, "key": "k2", "quantity": "11"})
    assert too_many.status_code == 400 and "cannot be written off." in text(too_many)
    history = text(site.get("/outlet/count/history/"))
    assert "Write-off" in history and "Damage" in history and "-220,000 VND" in history


def test_another_outlets_stock_is_neither_counted_nor_written_off_here(site, showroom, shop):
    theirs = row_id(shop.tourist_site, shop.coffee_variant)
    response = showroom.post("/outlet/count/", {"key": "k", f"counted-{theirs}": "0", f"reason-{theirs}": "theft"})
    assert response.status_code == 400  # nothing of the showroom's was counted
    write_off = showroom.post(
        "/outlet/count/write-off/", {"key": "k", "variant": shop.cashew_variant.pk, "quantity": "1", "reason": "theft"}
    )
    assert write_off.status_code == 400
    assert (
        on_shelf(shop.tourist_site, shop.coffee_variant) == 10
        and on_shelf(shop.tourist_site, shop.cashew_variant) == 10
    )
    assert "Cà phê hạt Robusta" not in text(showroom.get("/outlet/count/history/"))


def test_a_flagged_order_leads_to_a_prefilled_request_then_send_and_receive_move_the_goods(site, showroom, shop):
    order = place(shop, outlet=shop.showroom, products=("cashew",))  # the showroom holds no cashews
    line = FulfillmentLine.objects.get(fulfillment__order=order)
    source = line.stock.outlet
    page = text(showroom.get(f"/outlet/orders/{order.pk}/"))
    link = f"/outlet/transfers/request/?stock={line.stock_id}&amp;quantity=1&amp;order={order.pk}"
    assert link in page

    form_page = text(showroom.get(link.replace("&amp;", "&")))
    assert f"For online order #{order.number}" in form_page
    assert re.search(rf'<option value="{line.stock_id}" selected>', form_page)
    key = re.search(r'name="key" value="([0-9a-f]+)"', form_page).group(1)
    form = {"key": key, "order": str(order.pk), "source": line.stock_id, "quantity": "1"}
    assert showroom.post("/outlet/transfers/request/", form).status_code == 302
    assert showroom.post("/outlet/transfers/request/", form).status_code == 302
    transfer = StockTransfer.objects.get()
    assert (transfer.from_outlet_id, transfer.order_id) == (source.pk, order.pk)
    assert transfer.number in text(showroom.get(f"/outlet/orders/{order.pk}/"))
    twice = showroom.post("/outlet/transfers/request/", {**form, "key": "another-key"})
    assert twice.status_code == 400 and f"already asked for: transfer {transfer.number}" in text(twice)

    sender = client_of(source)
    assert "Cancel the request" in text(showroom.get("/outlet/transfers/"))
    assert showroom.post(f"/outlet/transfers/{transfer.pk}/send/").status_code == 404  # not the sender's side
    assert sender.post(f"/outlet/transfers/{transfer.pk}/cancel/").status_code == 404  # not the asker's side
    assert sender.post(f"/outlet/transfers/{transfer.pk}/send/", {"quantity": "1"}).status_code == 302
    for client in (sender, showroom):
        stock_page = text(client.get("/outlet/stock/"))
        assert "In transit" in stock_page and transfer.number in stock_page

    received = showroom.post(f"/outlet/transfers/{transfer.pk}/receive/", {"quantity": "1"})
    assert received.status_code == 302
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.RECEIVED
    stock = Stock.objects.get(outlet=shop.showroom, variant=shop.cashew_variant)
    assert (stock.quantity, stock.quantity_allocated) == (1, 1)
    assert "In transit" not in text(showroom.get("/outlet/stock/"))
    assert "Request a transfer" not in text(showroom.get(f"/outlet/orders/{order.pk}/"))


def test_the_asked_outlet_declines_and_the_asker_cancels(site, showroom, shop):
    def ask(key: str) -> StockTransfer:
        return transfer_request(
            to_outlet=shop.showroom,
            from_outlet=shop.tourist_site,
            variant_id=shop.coffee_variant.pk,
            quantity=2,
            by_user=make_user(Role.OUTLET_STAFF, outlet=shop.showroom),
            idempotency_key=key,
        )

    declined, cancelled = ask("a"), ask("b")
    page = text(site.get("/outlet/transfers/"))
    assert declined.number in page and "Asked of this outlet" in page
    assert site.post(f"/outlet/transfers/{declined.pk}/decline/", {"answer": "Hết hàng"}).status_code == 302
    assert showroom.post(f"/outlet/transfers/{cancelled.pk}/cancel/").status_code == 302
    assert list(StockTransfer.objects.order_by("pk").values_list("status", "answer")) == [
        ("declined", "Hết hàng"),
        ("canceled", ""),
    ]
    late = site.post(f"/outlet/transfers/{cancelled.pk}/decline/", follow=True)
    assert "it cannot be changed this way any more." in text(late)
    assert on_shelf(shop.tourist_site, shop.coffee_variant) == 10


def test_a_third_outlet_finds_none_of_it(shop):
    transfer = transfer_request(
        to_outlet=shop.showroom,
        from_outlet=shop.tourist_site,
        variant_id=shop.coffee_variant.pk,
        quantity=1,
        by_user=make_user(Role.OUTLET_STAFF, outlet=shop.showroom),
        idempotency_key="k",
    )
    transfer_send(transfer=transfer, by_user=make_user(Role.OUTLET_STAFF, outlet=shop.tourist_site))
    outsider = client_of(shop.warehouse)
    for action in ("send", "decline", "receive", "cancel"):
        assert outsider.post(f"/outlet/transfers/{transfer.pk}/{action}/").status_code == 404
    assert transfer.number not in text(outsider.get("/outlet/transfers/"))
    assert transfer.number not in text(outsider.get("/outlet/stock/"))


def test_query_counts_do_not_grow_with_the_lines(site, shop, django_assert_max_num_queries):
    for n in range(5):
        Stock.objects.create(outlet=shop.tourist_site, variant=make_variant_of(shop, n), quantity=3)
    with django_assert_max_num_queries(10):
        site.get("/outlet/count/")
    with django_assert_max_num_queries(10):
        site.get("/outlet/count/history/")
    with django_assert_max_num_queries(10):
        site.get("/outlet/transfers/")


def make_variant_of(shop, n: int):
    from tests.factories import make_variant

    return make_variant(shop.coffee, sku=f"CF-EXTRA-{n}", name=f"Gói {n}")


def test_the_domain_words_the_console_shows_have_vietnamese():
    from django.utils.translation import gettext, override

    from marketplace.deliveries.models import DeliveryStatus
    from marketplace.stockmoves.models import StockCountKind, VarianceReason
    from web.outletdesk.vocabulary import DOMAIN_LABELS

    with override("en"):  # the labels as written, whatever language an earlier test left active
        labels = {
            str(label)
            for choices in (VarianceReason, StockCountKind, TransferStatus, DeliveryStatus)
            for label in choices.labels
        }
    assert labels == set(DOMAIN_LABELS)
    with override("vi"):
        assert [label for label in DOMAIN_LABELS if gettext(label) == label] == []
