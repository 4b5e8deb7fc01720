"""Deliveries in the portal and the outlet console (issue 15): a cooperative announces, the outlet receives with what
actually came (announced lines corrected, lines nobody announced found by name or SKU), both see the discrepancy.
Each side sees only its own: another outlet's or cooperative's delivery is a 404; trade staff have no page here."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from marketplace.accounts.models import Role
from marketplace.core.dates import local_today
from marketplace.deliveries.models import Delivery, DeliveryStatus, StockLot
from marketplace.deliveries.services import (
    AnnouncedLine,
    ReceivedLine,
    delivery_announce,
    delivery_receive,
    delivery_receive_unannounced,
)
from marketplace.inventory.models import Stock
from tests.factories import make_user, make_variant

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def signed_in(user) -> Client:
    client = Client()
    client.cookies["ocop_language"] = "en"
    client.force_login(user)
    return client


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def coop(shop):
    return make_user(Role.PRODUCER_STAFF, producer=shop.coffee.producer)


@pytest.fixture
def staff(shop):
    return make_user(Role.OUTLET_STAFF, outlet=shop.tourist_site)


def announced(shop, coop, *, outlet=None) -> Delivery:
    return delivery_announce(
        producer=shop.coffee.producer,
        outlet=outlet or shop.tourist_site,
        by_user=coop,
        expected_on=local_today() + DAY,
        lines=[AnnouncedLine(variant_id=shop.coffee_variant.pk, quantity=12, lot="L-7", best_before=local_today())],
        note="Xe đến buổi sáng",
    )


def receipt_key(page: str) -> str:
    return re.search(r'name="key" value="([0-9a-f]+)"', page).group(1)


# --- the portal ---


def test_the_cooperative_announces_a_delivery_of_its_listed_products_to_a_receiving_outlet(shop, coop):
    client = signed_in(coop)
    page = text(client.get(reverse("portal:delivery-announce")))
    assert shop.coffee_variant.sku in page and shop.cashew_variant.sku not in page  # only its own products
    assert shop.tourist_site.name in page and shop.warehouse.name not in page  # a warehouse takes no deliveries

    day = local_today() + 2 * DAY
    response = client.post(
        reverse("portal:delivery-announce"),
        {
            "outlet": shop.tourist_site.pk,
            "expected_on": day.isoformat(),
            f"quantity_{shop.coffee_variant.pk}": "24",
            f"lot_{shop.coffee_variant.pk}": "L-2026-12",
            f"best_before_{shop.coffee_variant.pk}": (day + 90 * DAY).isoformat(),
            "note": "Xe đến buổi sáng",
        },
    )

    delivery = Delivery.objects.get()
    assert response["Location"] == reverse("portal:delivery", args=[delivery.pk])
    assert (delivery.outlet, delivery.expected_on, delivery.status) == (shop.tourist_site, day, "announced")
    assert [(x.quantity_announced, x.lot_announced) for x in delivery.lines.all()] == [(24, "L-2026-12")]
    listed = text(client.get(reverse("portal:deliveries")))
    assert delivery.number in listed and "Announced" in listed


def test_an_announcement_without_goods_or_in_the_past_is_refused_on_its_fields(shop, coop):
    response = signed_in(coop).post(
        reverse("portal:delivery-announce"),
        {"outlet": shop.tourist_site.pk, "expected_on": (local_today() - DAY).isoformat()},
    )
    page = text(response)
    assert response.status_code == 400
    assert "The day has passed" in page and "Give the quantity of at least one product." in page
    assert not Delivery.objects.exists()


def test_the_cooperative_cancels_an_announcement_not_yet_received(shop, coop, staff):
    delivery = announced(shop, coop)
    client = signed_in(coop)
    assert "Cancel this delivery" in text(client.get(reverse("portal:delivery", args=[delivery.pk])))
    client.post(reverse("portal:delivery-cancel", args=[delivery.pk]))
    assert Delivery.objects.get().status == DeliveryStatus.CANCELED
    # The outlet no longer expects it.
    assert delivery.number not in text(signed_in(staff).get(reverse("outlet:deliveries")))


def test_a_cooperative_sees_only_its_own_deliveries(shop, coop, staff):
    theirs = delivery_receive_unannounced(
        outlet=shop.tourist_site,
        by_user=staff,
        lines=[ReceivedLine(variant_id=shop.cashew_variant.pk, quantity=2)],
        idempotency_key="cashew",
    )
    client = signed_in(coop)
    assert theirs.number not in text(client.get(reverse("portal:deliveries")))
    assert client.get(reverse("portal:delivery", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("portal:delivery-cancel", args=[theirs.pk])).status_code == 404


# --- the outlet console ---


def test_staff_receive_an_announced_delivery_with_a_discrepancy_and_an_unannounced_line(shop, coop, staff):
    gift = make_variant(shop.coffee, sku="CF-GIFT-1", name="Hộp quà")
    delivery = announced(shop, coop)
    [line] = delivery.lines.all()
    client = signed_in(staff)
    listing = text(client.get(reverse("outlet:deliveries")))
    assert delivery.number in listing and shop.coffee.producer.name in listing
    url = reverse("outlet:delivery", args=[delivery.pk])
    form_page = text(client.get(url))
    assert 'value="12"' in form_page and 'value="L-7"' in form_page  # prefilled from the announcement
    key = receipt_key(form_page)
    typed = {
        "key": key,
        f"line-{line.pk}-quantity": "10",
        f"line-{line.pk}-lot": "L-7",
        f"line-{line.pk}-best_before": (local_today() + 5 * DAY).isoformat(),
        "note": "2 gói rách",
    }

    found = text(client.post(url, {**typed, "q": "CF-GIFT-1", "action": "find"}))
    assert "CF-GIFT-1" in found and shop.cashew_variant.sku not in found
    assert 'value="10"' in found  # what was typed is kept
    added = text(client.post(url, {**typed, "add": gift.pk}))
    assert 'name="extra-0-variant"' in added and 'value="10"' in added
    done = client.post(
        url, {**typed, "extra-0-variant": gift.pk, "extra-0-quantity": "3", "extra-0-lot": "", "action": "receive"}
    )
    again = client.post(
        url, {**typed, "extra-0-variant": gift.pk, "extra-0-quantity": "3", "extra-0-lot": "", "action": "receive"}
    )

    assert done["Location"] == url and again["Location"] == url  # the second tap is the same receipt
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.RECEIVED and delivery.receipt_note == "2 gói rách"
    assert [(x.quantity_announced, x.quantity_received) for x in delivery.lines.order_by("pk")] == [(12, 10), (None, 3)]
    assert Stock.objects.get(outlet=shop.tourist_site, variant=shop.coffee_variant).quantity == 20
    assert Stock.objects.get(outlet=shop.tourist_site, variant=gift).quantity == 3
    shown = text(client.get(url))
    assert "2 lines differ" in shown and ">-2<" in shown and ">+3<" in shown
    # The cooperative sees what the outlet received.
    portal = text(signed_in(coop).get(reverse("portal:delivery", args=[delivery.pk])))
    assert "The outlet received something other than you announced" in portal
    assert ">-2<" in portal and ">+3<" in portal and "2 gói rách" in portal


def test_a_receipt_with_a_bad_quantity_is_shown_again_with_its_error_and_nothing_moves(shop, coop, staff):
    delivery = announced(shop, coop)
    [line] = delivery.lines.all()
    client = signed_in(staff)
    url = reverse("outlet:delivery", args=[delivery.pk])
    key = receipt_key(text(client.get(url)))

    response = client.post(url, {"key": key, f"line-{line.pk}-quantity": "-3", "action": "receive"})

    assert response.status_code == 400 and "The receipt is not recorded" in text(response)
    assert Delivery.objects.get().status == DeliveryStatus.ANNOUNCED
    assert Stock.objects.get(outlet=shop.tourist_site, variant=shop.coffee_variant).quantity == 10


def test_a_walk_in_delivery_is_received_from_the_console(shop, staff):
    client = signed_in(staff)
    url = reverse("outlet:delivery-new")
    key = receipt_key(text(client.get(url)))
    found = text(client.post(url, {"key": key, "q": "điều", "action": "find"}))
    assert shop.cashew_variant.sku in found and shop.cashew.producer.name in found

    response = client.post(
        url,
        {
            "key": key,
            "extra-0-variant": shop.cashew_variant.pk,
            "extra-0-quantity": "6",
            "extra-0-best_before": (local_today() + 3 * DAY).isoformat(),
            "action": "receive",
        },
    )

    delivery = Delivery.objects.get()
    assert response["Location"] == reverse("outlet:delivery", args=[delivery.pk])
    assert (delivery.producer, delivery.was_announced) == (shop.cashew.producer, False)
    assert Stock.objects.get(outlet=shop.tourist_site, variant=shop.cashew_variant).quantity == 16
    assert StockLot.objects.get().quantity_received == 6
    assert "not announced" in text(client.get(response["Location"]))


def test_outlet_staff_see_and_receive_only_their_outlets_deliveries(shop, coop, staff):
    elsewhere = announced(shop, coop, outlet=shop.showroom)
    [line] = elsewhere.lines.all()
    client = signed_in(staff)
    assert elsewhere.number not in text(client.get(reverse("outlet:deliveries")))
    url = reverse("outlet:delivery", args=[elsewhere.pk])
    assert client.get(url).status_code == 404
    post = client.post(url, {"key": "k", f"line-{line.pk}-quantity": "12", "action": "receive"})
    assert post.status_code == 404
    assert Delivery.objects.get().status == DeliveryStatus.ANNOUNCED


def test_trade_staff_and_the_other_side_have_no_delivery_pages(shop, coop, staff):
    delivery = announced(shop, coop)
    trade = signed_in(make_user(Role.TRADE_STAFF))
    for url in (
        reverse("outlet:deliveries"),
        reverse("outlet:delivery", args=[delivery.pk]),
        reverse("portal:deliveries"),
        reverse("portal:delivery", args=[delivery.pk]),
    ):
        assert trade.get(url).status_code == 403
    assert signed_in(coop).get(reverse("outlet:deliveries")).status_code == 403
    assert signed_in(staff).get(reverse("portal:deliveries")).status_code == 403


def test_the_console_home_warns_of_lots_near_their_best_before_date(shop, staff):
    today = local_today()
    delivery_receive_unannounced(
        outlet=shop.tourist_site,
        by_user=staff,
        lines=[
            ReceivedLine(variant_id=shop.coffee_variant.pk, quantity=2, lot="SOON", best_before=today + 3 * DAY),
            ReceivedLine(variant_id=shop.coffee_variant.pk, quantity=2, lot="PAST", best_before=today - DAY),
            ReceivedLine(variant_id=shop.coffee_variant.pk, quantity=2, lot="FAR", best_before=today + 30 * DAY),
        ],
        idempotency_key="lots",
    )

    page = text(signed_in(staff).get(reverse("outlet:home")))

    assert f"best before {today + 3 * DAY:%d/%m/%Y}, in 3 days" in page
    assert f"best before {today - DAY:%d/%m/%Y}, 1 day ago" in page and "expired" in page
    assert "FAR" not in page


def test_query_counts_of_the_delivery_pages_do_not_grow_with_deliveries(
    shop, coop, staff, django_assert_max_num_queries
):
    for _ in range(5):
        announced(shop, coop)
    outlet, portal = signed_in(staff), signed_in(coop)
    with django_assert_max_num_queries(6):
        outlet.get(reverse("outlet:deliveries"))
    with django_assert_max_num_queries(7):
        portal.get(reverse("portal:deliveries"))


@pytest.mark.parametrize("value", ["9" * 40, "²", "٣"])
def test_a_row_number_or_id_that_is_no_id_is_ignored(shop, staff, value):
    client = signed_in(staff)
    url = reverse("outlet:delivery-new")
    for data in ({"add": value}, {"extra-0-variant": value, "extra-0-quantity": "1"}, {"action": f"remove-{value}"}):
        response = client.post(url, {"key": "k", **data})
        assert response.status_code == 200
    assert not Delivery.objects.exists()


def test_operators_read_deliveries_and_lots_in_the_back_office_and_change_nothing_there(shop, coop, staff):
    delivery = announced(shop, coop)
    [line] = delivery.lines.all()
    delivery_receive(
        delivery=delivery,
        by_user=staff,
        lines=[ReceivedLine(line_id=line.pk, quantity=11, best_before=local_today() + DAY)],
        idempotency_key="k",
    )
    operator = signed_in(make_user(Role.OPERATOR))
    listing = text(operator.get(reverse("admin:deliveries_delivery_changelist")))
    assert delivery.number in listing
    page = operator.get(reverse("admin:deliveries_delivery_change", args=[delivery.pk]))
    assert page.status_code == 200 and "-1" in text(page) and 'name="_save"' not in text(page)
    assert operator.get(reverse("admin:deliveries_stocklot_changelist")).status_code == 200
    assert operator.get(reverse("admin:deliveries_delivery_add")).status_code == 403
