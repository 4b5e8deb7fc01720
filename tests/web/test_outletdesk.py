"""The outlet console: each role against each page, one outlet's staff never reaching another's orders,
marking ready (with its e-mail), the pickup counter with its refusals, the stock, query counts, CSRF and
escaping. Orders are placed through the real checkout."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from marketplace.accounts.models import Role
from marketplace.catalogue.models import Product
from marketplace.checkout.services import LineRequest, checkout_create
from marketplace.core.dates import local_today
from marketplace.inventory.models import Stock
from marketplace.orders.models import Order, OrderEvent, OrderEventType, OrderStatus, PaymentMethod
from marketplace.orders.services import order_cancel, order_mark_ready_for_pickup
from payments.checkout import checkout_complete
from payments.models import Gateway, TransactionEvent, TransactionItem
from tests.factories import delist, make_outlet, make_user

HOME = "outlet:home"
PRICES = {"coffee": 150_000, "cashew": 220_000}


def place(shop, *, outlet, products=("coffee", "cashew"), card: bool = False, email: str = "buyer@example.test"):
    """An order placed through checkout for pickup at `outlet`, paid by card or (by default) cash at pickup."""
    variants = {"coffee": shop.coffee_variant, "cashew": shop.cashew_variant}
    checkout = checkout_create(
        channel=shop.channel,
        lines=[LineRequest(variant_id=variants[name].pk, quantity=1) for name in products],
        email=email,
        language_code="vi",
        user=None,
    )
    checkout.collection_point = outlet
    checkout.save()
    total = sum(PRICES[name] for name in products)
    if card:
        TransactionItem.objects.create(
            gateway=Gateway.STRIPE,
            checkout=checkout,
            amount_requested=total,
            charged_amount=total,
            psp_reference=f"pi_test_{checkout.pk.hex[:12]}",
            status="succeeded",
        )
    else:
        TransactionItem.objects.create(gateway=Gateway.CASH, checkout=checkout, amount_requested=total)
    return checkout_complete(token=checkout.pk, user=None)


@pytest.fixture
def staff(shop):
    """Staff of the tourist site, where the orders of these tests are collected."""
    return make_user(Role.OUTLET_STAFF, outlet=shop.tourist_site)


@pytest.fixture
def order(shop):
    """A cash order of coffee and cashews (370.000 ₫) for pickup at the tourist site, not yet ready."""
    return place(shop, outlet=shop.tourist_site)


def signed_in(user, *, language: str = "vi", csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(user)
    client.cookies["ocop_language"] = language
    return client


def ready(order, user) -> Order:
    order = order_mark_ready_for_pickup(order=order, by_user=user)
    order.refresh_from_db()
    return order


def text(response) -> str:
    return response.content.decode()


# --- who may open what ---


def _pages(order) -> list[tuple[str, str, dict | None]]:
    return [
        ("get", reverse(HOME), None),
        ("get", reverse("outlet:order", args=[order.pk]), None),
        ("post", reverse("outlet:mark-ready", args=[order.pk]), {}),
        ("get", reverse("outlet:handover"), None),
        ("post", reverse("outlet:handover"), {"code": "ABCDEF"}),
        ("post", reverse("outlet:handover-confirm"), {"code": "ABCDEF"}),
        ("get", reverse("outlet:stock"), None),
    ]


@pytest.mark.parametrize("role", [Role.CONSUMER, Role.PRODUCER_STAFF, Role.TRADE_STAFF, Role.OPERATOR])
def test_other_roles_are_refused_every_page(shop, order, role):
    client = signed_in(make_user(role))
    for method, url, data in _pages(order):
        response = getattr(client, method)(url, data) if data is not None else client.get(url)
        assert response.status_code == 403, (role, url)
    assert Order.objects.get(pk=order.pk).status == OrderStatus.UNFULFILLED


def test_anonymous_visitors_are_sent_to_sign_in(shop, order):
    client = Client()
    for method, url, data in _pages(order):
        response = getattr(client, method)(url, data) if data is not None else client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(f"{reverse('web:login')}?next=")
    assert Order.objects.get(pk=order.pk).status == OrderStatus.UNFULFILLED


def test_outlet_staff_open_every_page_of_their_outlet(shop, order, staff):
    client = signed_in(staff)
    for url in (reverse(HOME), reverse("outlet:order", args=[order.pk]), reverse("outlet:handover")):
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("outlet:stock")).status_code == 200


def test_staff_of_another_outlet_never_reach_this_outlets_orders(shop, order, staff):
    other = signed_in(make_user(Role.OUTLET_STAFF, outlet=shop.showroom), language="en")
    home = other.get(reverse(HOME))
    assert home.status_code == 200
    assert f"#{order.number}" not in text(home)
    assert other.get(reverse("outlet:order", args=[order.pk])).status_code == 404
    assert other.post(reverse("outlet:mark-ready", args=[order.pk])).status_code == 404
    assert Order.objects.get(pk=order.pk).status == OrderStatus.UNFULFILLED

    order = ready(order, staff)
    assert f"#{order.number}" not in text(other.get(reverse(HOME)))
    for url in (reverse("outlet:handover"), reverse("outlet:handover-confirm")):
        refused = other.post(url, {"code": order.pickup_code, "cash_amount": "370000"})
        assert refused.status_code == 409
        assert "This order is collected at Khu du lịch Bửu Long, not at this outlet." in text(refused)
    order.refresh_from_db()
    assert order.status == OrderStatus.READY_FOR_PICKUP and order.total_charged_amount == 0


# --- the lists ---


def test_the_three_lists(shop, staff):
    first = place(shop, outlet=shop.tourist_site, products=("coffee",))
    second = place(shop, outlet=shop.tourist_site, products=("cashew",))
    waiting = ready(place(shop, outlet=shop.tourist_site, card=True), staff)
    late = ready(place(shop, outlet=shop.tourist_site, products=("coffee",)), staff)
    Order.objects.filter(pk=late.pk).update(collect_by=local_today() - datetime.timedelta(days=1))
    place(shop, outlet=shop.showroom)  # another outlet's
    handed_over = ready(place(shop, outlet=shop.tourist_site, products=("coffee",), card=True), staff)
    signed_in(staff).post(reverse("outlet:handover-confirm"), {"code": handed_over.pickup_code})

    response = signed_in(staff, language="en").get(reverse(HOME))
    assert response.status_code == 200
    page = text(response)
    to_prepare = page[page.index('id="to-prepare"') : page.index('id="ready"')]
    waiting_part = page[page.index('id="ready"') : page.index('id="overdue"')]
    overdue_part = page[page.index('id="overdue"') :]
    # Oldest first, each with a "mark ready" button.
    assert to_prepare.index(f"Order #{first.number}") < to_prepare.index(f"Order #{second.number}")
    assert to_prepare.count("Mark ready") == 2
    assert "Cash due: 150,000 VND" in to_prepare
    assert f"#{waiting.number}" in waiting_part and f"#{late.number}" not in waiting_part
    assert waiting.collect_by.strftime("%d/%m/%Y") in waiting_part
    assert "Paid by card" in waiting_part
    assert f"#{late.number}" in overdue_part and f"#{waiting.number}" not in overdue_part
    assert f"#{handed_over.number}" not in page
    assert "Mark ready" not in waiting_part + overdue_part


def test_goods_from_another_warehouse_are_flagged(shop):
    """The showroom collects from any warehouse: the cashews come from the producer's own store."""
    order = place(shop, outlet=shop.showroom)
    client = signed_in(make_user(Role.OUTLET_STAFF, outlet=shop.showroom), language="en")
    for url in (reverse(HOME), reverse("outlet:order", args=[order.pk])):
        page = text(client.get(url))
        assert "arriving from Kho HTX Điều" in page
        assert "from this outlet's stock" in page  # the coffee
        assert "HTX Điều Bình Phước" in page and "HTX Cà phê Xuân Lộc" in page
    assert f"ready by {order.ready_estimate:%d/%m/%Y}" in text(client.get(reverse(HOME)))


def test_the_order_page(shop, order, staff):
    order = ready(order, staff)
    page = text(signed_in(staff, language="en").get(reverse("outlet:order", args=[order.pk])))
    assert "buyer@example.test" in page
    assert "Cà phê hạt Robusta" in page and "Hạt điều rang muối" in page
    assert "Cash due: 370,000 VND" in page
    assert "Order placed" in page or "Order confirmed" in page or "Marked ready for pickup" in page
    assert "Marked ready for pickup" in page
    assert order.pickup_code not in page  # the buyer brings the code; the console does not show it


# --- mark ready ---


def test_mark_ready_sends_the_pickup_email(shop, order, staff, mailoutbox, django_capture_on_commit_callbacks):
    client = signed_in(staff, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("outlet:mark-ready", args=[order.pk]))
    assert response.status_code == 302 and response.url == reverse(HOME)
    order.refresh_from_db()
    assert order.status == OrderStatus.READY_FOR_PICKUP and order.pickup_code
    assert order.collect_by == local_today() + datetime.timedelta(days=shop.tourist_site.hold_days)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["buyer@example.test"] and order.pickup_code in mailoutbox[0].body
    followed = client.get(response.url)
    assert f"Order #{order.number} is ready for pickup. The buyer has been e-mailed the pickup code." in text(followed)
    # A second press changes nothing and says why; no second e-mail.
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(reverse("outlet:mark-ready", args=[order.pk]), {"next": "order"})
    assert again.url == reverse("outlet:order", args=[order.pk])
    assert "cannot be made ready: it is Ready for pickup" in text(client.get(again.url))
    assert len(mailoutbox) == 1


def test_mark_ready_needs_post(shop, order, staff):
    assert signed_in(staff).get(reverse("outlet:mark-ready", args=[order.pk])).status_code == 405


# --- the pickup counter ---


def test_the_code_form(shop, staff):
    page = text(signed_in(staff).get(reverse("outlet:handover")))
    assert 'autocomplete="off"' in page and 'inputmode="text"' in page and "autofocus" in page
    assert '<label for="id_code">' in page
    assert 'id="scan-button" hidden' in page  # shown by the script only where the camera can scan
    assert "outletdesk/scan.js" in page


def test_hand_over_a_card_paid_order(shop, staff):
    order = ready(place(shop, outlet=shop.tourist_site, card=True), staff)
    client = signed_in(staff, language="en")
    confirmation = client.post(reverse("outlet:handover"), {"code": order.pickup_code.lower()})
    assert confirmation.status_code == 200
    page = text(confirmation)
    assert f"Hand over order #{order.number}" in page and "Paid by card: nothing to take." in page
    assert 'name="cash_amount"' not in page
    done = client.post(reverse("outlet:handover-confirm"), {"code": order.pickup_code})
    assert done.status_code == 302 and done.url == reverse("outlet:order", args=[order.pk])
    order.refresh_from_db()
    assert order.status == OrderStatus.PICKED_UP and order.handed_over_by == staff
    assert Stock.objects.get(variant=shop.coffee_variant, outlet=shop.tourist_site).quantity == 9
    final = text(client.get(done.url))
    assert f"Order #{order.number} handed over." in final and "Handed over to the buyer" in final


def test_hand_over_a_cash_order_records_the_cash(shop, order, staff):
    order = ready(order, staff)
    client = signed_in(staff, language="en")
    # What a hand-held scanner types: the QR code's payload.
    confirmation = client.post(reverse("outlet:handover"), {"code": f"OCOP-PICKUP:{order.pickup_code}"})
    page = text(confirmation)
    assert "Take 370,000 VND in cash." in page and 'name="cash_amount"' in page
    missing = client.post(reverse("outlet:handover-confirm"), {"code": order.pickup_code, "cash_amount": ""})
    assert missing.status_code == 400 and "Count the buyer&#x27;s cash and enter the amount." in text(missing)
    done = client.post(reverse("outlet:handover-confirm"), {"code": order.pickup_code, "cash_amount": "370.000 ₫"})
    assert done.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.PICKED_UP
    assert order.payment_method == PaymentMethod.CASH and order.total_charged_amount == 370_000
    assert OrderEvent.objects.filter(order=order, type=OrderEventType.CASH_RECEIVED).count() == 1
    assert TransactionEvent.objects.get(transaction__order=order, amount=370_000).created_by == staff
    assert f"Order #{order.number} handed over; 370,000 VND cash received." in text(client.get(done.url))


def test_less_cash_than_due_is_refused_and_nothing_recorded(shop, order, staff):
    order = ready(order, staff)
    response = signed_in(staff, language="en").post(
        reverse("outlet:handover-confirm"), {"code": order.pickup_code, "cash_amount": "300000"}
    )
    assert response.status_code == 409
    page = text(response)
    assert "370,000 VND is due on order" in page and "but 300,000 VND was handed over: take the rest" in page
    assert 'role="alert"' in page and 'aria-invalid="true"' in page
    order.refresh_from_db()
    assert order.status == OrderStatus.READY_FOR_PICKUP and order.total_charged_amount == 0
    vi = signed_in(staff).post(reverse("outlet:handover-confirm"), {"code": order.pickup_code, "cash_amount": "abc"})
    assert vi.status_code == 400 and "Nhập số tiền bằng đồng" in text(vi)


def test_more_cash_than_due_is_taken_and_the_change_shown(shop, order, staff):
    """A 500.000 ₫ note for a 370.000 ₫ order: taken, the order handed over, 130.000 ₫ given back (issue 16 §5)."""
    order = ready(order, staff)
    client = signed_in(staff, language="en")
    done = client.post(reverse("outlet:handover-confirm"), {"code": order.pickup_code, "cash_amount": "500.000"})

    assert done.status_code == 302
    assert "500,000 VND received for 370,000 VND: give 130,000 VND change." in text(client.get(done.url))
    order.refresh_from_db()
    assert order.status == OrderStatus.PICKED_UP and order.total_charged_amount == 370_000


def test_a_second_hand_over_is_refused(shop, order, staff):
    order = ready(order, staff)
    client = signed_in(staff, language="en")
    data = {"code": order.pickup_code, "cash_amount": "370000"}
    assert client.post(reverse("outlet:handover-confirm"), data).status_code == 302
    for url in (reverse("outlet:handover"), reverse("outlet:handover-confirm")):
        again = client.post(url, data)
        assert again.status_code == 409
        assert f"Order #{order.number} was already handed over on" in text(again)
    order.refresh_from_db()
    assert order.total_charged_amount == 370_000  # the cash was taken once


def test_refusals_in_both_languages(shop, order, staff):
    english, vietnamese = signed_in(staff, language="en"), signed_in(staff)
    unknown = {"code": "ZZZZZZ"}
    assert "No order has this pickup code." in text(english.post(reverse("outlet:handover"), unknown))
    assert "Không có đơn hàng nào có mã nhận hàng này." in text(vietnamese.post(reverse("outlet:handover"), unknown))
    empty = english.post(reverse("outlet:handover"), {"code": "  "})
    assert empty.status_code == 400 and "Type the buyer&#x27;s pickup code." in text(empty)

    order = ready(order, staff)
    order_cancel(order=order, by_user=staff)
    not_ready = {"code": order.pickup_code}
    assert f"Order #{order.number} is not ready for pickup (it is: Canceled)." in text(
        english.post(reverse("outlet:handover"), not_ready)
    )
    assert f"Đơn hàng #{order.number} chưa sẵn sàng để nhận" in text(
        vietnamese.post(reverse("outlet:handover"), not_ready)
    )


# --- stock ---


def test_the_outlets_stock(shop, order, staff):
    page = text(signed_in(staff, language="en").get(reverse("outlet:stock")))
    assert "Cà phê hạt Robusta" in page and "Hạt điều rang muối" in page
    # 10 held, 1 allocated to the order, 9 available.
    assert '<td class="number">10</td>' in page and '<td class="number">1</td>' in page
    assert '<td class="number">9</td>' in page
    elsewhere = make_outlet(name="Kho khác")
    Stock.objects.create(variant=shop.coffee_variant, outlet=elsewhere, quantity=77)
    assert '<td class="number">77</td>' not in text(signed_in(staff).get(reverse("outlet:stock")))


def test_the_stock_page_marks_what_is_not_for_sale_with_the_reason_and_what_to_do(shop, staff):
    """Issue 16 §5: a product whose certificate lapsed sat in the list as if it were sellable."""
    client = signed_in(staff, language="en")
    assert "Not for sale" not in text(client.get(reverse("outlet:stock")))

    delist(shop.cashew)

    page = text(client.get(reverse("outlet:stock")))
    assert "1 product here is not for sale" in page and "remove the OCOP label" in page
    cashew_row = page[page.index("Hạt điều rang muối") : page.index("</tr>", page.index("Hạt điều rang muối"))]
    assert "Not for sale" in cashew_row and "Certificate expired" in cashew_row
    coffee_row = page[page.index("Cà phê hạt Robusta") : page.index("</tr>", page.index("Cà phê hạt Robusta"))]
    assert "Not for sale" not in coffee_row


# --- query counts, CSRF, escaping ---


def test_query_counts_do_not_grow_with_the_orders(shop, staff, django_assert_max_num_queries):
    Stock.objects.filter(outlet=shop.tourist_site).update(quantity=100)
    client = signed_in(staff)
    place(shop, outlet=shop.tourist_site)
    ready(place(shop, outlet=shop.tourist_site), staff)
    with django_assert_max_num_queries(9):  # the orders' 8, and the lots near their best-before date
        client.get(reverse(HOME))
    for _ in range(4):
        place(shop, outlet=shop.tourist_site)
        ready(place(shop, outlet=shop.tourist_site, products=("coffee",)), staff)
    late = ready(place(shop, outlet=shop.tourist_site), staff)
    Order.objects.filter(pk=late.pk).update(collect_by=local_today() - datetime.timedelta(days=2))
    with django_assert_max_num_queries(9):
        response = client.get(reverse(HOME))
    assert text(response).count('name="csrfmiddlewaretoken"') >= 5
    with django_assert_max_num_queries(9):  # and the transfers asked for the order
        client.get(reverse("outlet:order", args=[late.pk]))
    with django_assert_max_num_queries(7):  # and the transfers in transit, and what is not for sale
        client.get(reverse("outlet:stock"))


def test_posts_need_the_csrf_token(shop, order, staff):
    client = signed_in(staff, csrf=True)
    assert client.post(reverse("outlet:mark-ready", args=[order.pk])).status_code == 403
    order = ready(order, staff)
    refused = client.post(reverse("outlet:handover-confirm"), {"code": order.pickup_code, "cash_amount": "370000"})
    assert refused.status_code == 403
    assert client.post(reverse("outlet:handover"), {"code": order.pickup_code}).status_code == 403
    assert Order.objects.get(pk=order.pk).status == OrderStatus.READY_FOR_PICKUP


def test_markup_in_names_is_shown_as_text(shop, staff):
    markup = '<script>alert("x")</script><b>Cà phê</b>'
    Product.objects.filter(pk=shop.coffee.pk).update(name=markup)
    shop.coffee.producer.name = "<img src=x onerror=alert(1)>HTX"
    shop.coffee.producer.save()
    order = place(shop, outlet=shop.tourist_site, products=("coffee",))
    client = signed_in(staff)
    pages = [client.get(reverse(HOME)), client.get(reverse("outlet:order", args=[order.pk]))]
    pages.append(client.get(reverse("outlet:stock")))
    order = ready(order, staff)
    pages.append(client.post(reverse("outlet:handover"), {"code": order.pickup_code}))
    for response in pages:
        page = text(response)
        assert "<script>alert" not in page and "<b>Cà phê" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;Cà phê&lt;/b&gt;" in text(pages[0])
    assert "&lt;img src=x onerror=alert(1)&gt;HTX" in text(pages[1])
