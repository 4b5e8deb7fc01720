"""The cart, checkout and order pages over HTTP: the cart in the session, the checkout's choices and its
refusals shown where they belong, cash and card payment (card against localstripe), and who sees an order."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone, translation
from django.utils.formats import date_format

from marketplace.accounts.address_validation import validate_address
from marketplace.accounts.error_codes import AddressType
from marketplace.accounts.services import address_create
from marketplace.catalogue.models import ProductVariantChannelListing
from marketplace.checkout.models import Checkout
from marketplace.orders.models import Order, OrderStatus, PaymentMethod
from tests.factories import DEFAULT_PASSWORD, delist, make_user
from tests.marketplace.checkout.helpers import Shop


@pytest.fixture
def client() -> Client:
    """A visitor reading the pages in English (the language cookie the switch sets)."""
    client = Client()
    client.cookies["ocop_language"] = "en"
    return client


def add(client: Client, variant, quantity: int = 1):
    return client.post("/cart/add/", {"variant_id": variant.pk, "quantity": quantity})


def pickup(shop: Shop, **overrides) -> dict:
    data = {
        "email": "an@example.test",
        "delivery": f"pickup-{shop.tourist_site.pk}",
        "payment": "cash",
        "action": "place",
    }
    data.update(overrides)
    return data


def home_delivery(shop: Shop, **overrides) -> dict:
    data = {
        "email": "an@example.test",
        "delivery": "delivery",
        "first_name": "An",
        "last_name": "Nguyễn",
        "phone": "0912 345 678",
        "street_address_1": "12 Đường 30 Tháng 4",
        "country_area": "75",
        "city": "26041",  # Phường Trấn Biên
        "shipping_method": str(shop.standard.pk),
        "payment": "cash",
        "action": "place",
    }
    data.update(overrides)
    return data


def text(response) -> str:
    return response.content.decode()


def test_add_update_and_remove_keep_the_cart_and_its_count_in_the_session(client, shop):
    response = add(client, shop.coffee_variant, 2)
    assert response.status_code == 302 and response["Location"] == "/cart/"
    assert client.session["cart_quantity"] == 2
    checkout = Checkout.objects.get(token=client.session["checkout_token"])
    assert checkout.user is None

    page = client.get("/cart/")
    assert "Cà phê hạt Robusta" in text(page)
    assert "300,000 VND" in text(page)  # 2 × 150,000
    assert "Cart (2)" in text(page)  # the layout's count

    add(client, shop.cashew_variant, 1)
    assert client.session["cart_quantity"] == 3
    line = checkout.lines.get(variant=shop.coffee_variant)
    response = client.post(f"/cart/lines/{line.pk}/", {"quantity": 4, "action": "update"})
    assert response.status_code == 302
    assert client.session["cart_quantity"] == 5
    assert "820,000 VND" in text(client.get("/cart/"))  # 4 × 150,000 + 220,000

    client.post(f"/cart/lines/{line.pk}/", {"quantity": 4, "action": "remove"})
    assert client.session["cart_quantity"] == 1
    assert list(checkout.lines.values_list("variant_id", flat=True)) == [shop.cashew_variant.pk]

    too_many = client.post(f"/cart/lines/{checkout.lines.get().pk}/", {"quantity": 41, "action": "update"}, follow=True)
    assert "Not enough of Hạt điều rang muối is left in stock" in text(too_many)


def test_a_signed_in_buyer_gets_the_cart_attached(client, shop):
    add(client, shop.coffee_variant)
    user = make_user()
    assert client.login(username=user.username, password=DEFAULT_PASSWORD)
    client.get("/cart/")
    checkout = Checkout.objects.get()
    assert checkout.user == user and checkout.email == user.email


def test_a_signed_in_buyers_default_address_fills_the_delivery_form(client, shop):
    user = make_user()
    values = validate_address(
        {
            "first_name": "Lan",
            "phone": "0912345678",
            "street_address_1": "5 Hà Huy Giáp",
            "country_area": "75",
            "city": "26041",
        }
    )
    address_create(user=user, values=values, address_type=AddressType.SHIPPING)
    assert client.login(username=user.username, password=DEFAULT_PASSWORD)
    add(client, shop.coffee_variant)
    page = text(client.get("/checkout/"))
    assert 'value="5 Hà Huy Giáp"' in page and 'value="0912345678"' not in page  # stored as +84…
    assert 'value="+84912345678"' in page


def test_adding_a_delisted_product_is_refused_with_its_name(client, shop):
    delist(shop.cashew)
    response = add(client, shop.cashew_variant)
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "Hạt điều rang muối can no longer be bought" in text(page)
    assert not Checkout.objects.exists()


def test_a_changed_price_is_flagged_and_accepted(client, shop):
    add(client, shop.coffee_variant, 2)
    ProductVariantChannelListing.objects.filter(variant=shop.coffee_variant).update(price_amount=175_000)
    page = text(client.get("/cart/"))
    assert "The price changed from 150,000 VND to 175,000 VND." in page
    assert "Accept the new price" in page

    refused = client.post("/checkout/", pickup(shop))
    assert refused.status_code == 200
    assert "The price of Cà phê hạt Robusta changed" in text(refused)
    assert not Order.objects.exists()

    line = Checkout.objects.get().lines.get()
    client.post(f"/cart/lines/{line.pk}/", {"quantity": 2, "action": "accept"})
    line.refresh_from_db()
    assert line.price_seen_amount == 175_000 and line.quantity == 2
    page = text(client.get("/cart/"))
    assert "The price changed" not in page
    assert "350,000 VND" in page


def test_a_delisted_line_is_flagged_in_the_cart_and_refused_at_place_order_with_its_name(client, shop):
    add(client, shop.coffee_variant)
    add(client, shop.cashew_variant)
    delist(shop.cashew)
    assert "No longer for sale" in text(client.get("/cart/"))

    response = client.post("/checkout/", pickup(shop))
    assert response.status_code == 200
    page = text(response)
    assert 'role="alert"' in page
    line = Checkout.objects.get().lines.get(variant=shop.cashew_variant)
    summary = re.search(rf'<li id="summary-line-{line.pk}">(.*?)</li>', page, re.S).group(1)
    assert "Hạt điều rang muối can no longer be bought: it holds no valid 3–5 star OCOP certificate today" in summary
    assert not Order.objects.exists()


def test_pickup_with_cash_places_the_order_and_shows_the_order_page(client, shop):
    add(client, shop.coffee_variant, 2)
    page = text(client.get("/checkout/"))
    # Both collection points, with what they hold and when the order would be ready.
    assert "Khu du lịch Bửu Long" in page and "Trung tâm OCOP Biên Hòa" in page
    assert "In stock here" in page
    assert "Standard delivery: 30,000 VND" in page  # home delivery in Đồng Nai, the province chosen at first
    client.cookies["ocop_language"] = "vi"
    assert "Nhận tại điểm bán (miễn phí)" in text(client.get("/checkout/"))  # Vietnamese by default
    client.cookies["ocop_language"] = "en"
    response = client.post("/checkout/", pickup(shop))
    order = Order.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/orders/{order.pk}/"
    assert "checkout_token" not in client.session and "cart_quantity" not in client.session
    assert order.collection_point == shop.tourist_site
    assert order.payment_method == PaymentMethod.CASH
    assert order.status == OrderStatus.UNFULFILLED

    page = text(client.get(f"/orders/{order.pk}/"))
    assert f"Order #{order.number}" in page
    assert "The outlet is preparing your order." in page
    assert "Khu du lịch Bửu Long" in page
    assert "300,000 VND" in page
    assert "To pay in cash when you collect the order." in page
    assert order.pickup_code  # given when a pickup order is placed
    assert order.pickup_code in page and "data:image/svg+xml;base64," in page


def test_each_outlet_says_when_the_order_would_be_ready(client, shop, settings):
    add(client, shop.cashew_variant)  # the tourist site holds it; the showroom brings it from the warehouse
    page = text(client.get("/checkout/"))
    today = timezone.localdate()
    with translation.override("en"):
        ready_today = f"Ready from {date_format(today)}."
        ready_later = f"Ready from {date_format(today + datetime.timedelta(days=settings.OCOP_TRANSFER_DAYS))}."
    tourist_site = page[page.index(f'id="delivery-pickup-{shop.tourist_site.pk}"') :]
    showroom = page[page.index(f'id="delivery-pickup-{shop.showroom.pk}"') :]
    assert "In stock here" in tourist_site[:1500] and ready_today in tourist_site[:1500]
    assert "Brought from another store" in showroom[:1500] and ready_later in showroom[:1500]
    assert "Hạt điều rang muối: 0 in stock here" in showroom[:1500]


def test_the_order_page_shows_the_pickup_code_and_its_qr_code(client, shop):
    add(client, shop.coffee_variant)
    client.post("/checkout/", pickup(shop))
    order = Order.objects.get()
    Order.objects.filter(pk=order.pk).update(pickup_code="7KQ3MZ", status=OrderStatus.READY_FOR_PICKUP)
    page = text(client.get(f"/orders/{order.pk}/"))
    assert '<p class="pickup-code" id="pickup-code">7KQ3MZ</p>' in page
    assert 'alt="QR code of the pickup code 7KQ3MZ"' in page
    assert "Ready for pickup" in page


def test_a_forwarded_order_link_shows_a_receipt_without_the_buyer_or_the_pickup_code(client, shop):
    add(client, shop.coffee_variant)
    client.post("/checkout/", pickup(shop))
    order = Order.objects.get()
    Order.objects.filter(pk=order.pk).update(pickup_code="7KQ3MZ", status=OrderStatus.READY_FOR_PICKUP)
    assert "7KQ3MZ" in text(client.get(f"/orders/{order.pk}/"))  # the browser that placed it

    stranger = Client()
    stranger.cookies["ocop_language"] = "en"
    page = text(stranger.get(f"/orders/{order.pk}/"))
    assert f"Order #{order.number}" in page and "Khu du lịch Bửu Long" in page  # what and where
    assert "7KQ3MZ" not in page and "data:image/svg+xml;base64," not in page
    assert order.user_email not in page
    assert "The pickup code is shown only in the browser that placed the order" in page
    order.refresh_from_db()
    assert order.pickup_code == "7KQ3MZ"  # the masked copy is never saved


def test_home_delivery_shows_address_errors_next_to_their_fields(client, shop):
    add(client, shop.coffee_variant)
    response = client.post(
        "/checkout/", home_delivery(shop, phone="12345", street_address_1="", city="", shipping_method="")
    )
    assert response.status_code == 200
    page = text(response)
    assert 'role="alert"' in page
    for field in ("phone", "street_address_1", "city", "shipping_method"):
        assert f'id="id_{field}_error"' in page, field
    phone_input = re.search(r'<input[^>]*id="id_phone"[^>]*>', page).group(0)
    assert 'aria-describedby="id_phone_error"' in phone_input and 'aria-invalid="true"' in phone_input
    assert "Write a Vietnamese phone number" in page
    assert not Order.objects.exists()

    # Another province lists its own communes (Hà Nội's Phường Ba Đình), and no delivery there.
    refreshed = text(client.post("/checkout/", home_delivery(shop, country_area="01", action="refresh")))
    assert "Phường Ba Đình" in refreshed and "No home delivery to this province" in refreshed
    assert 'role="alert"' not in refreshed

    response = client.post("/checkout/", home_delivery(shop))
    order = Order.objects.get()
    assert response["Location"] == f"/orders/{order.pk}/"
    assert order.shipping_address.city == "Phường Trấn Biên" and order.shipping_address.phone == "+84912345678"
    assert order.shipping_amount == 30_000 and order.total_amount == 180_000
    page = text(client.get(response["Location"]))
    assert "To pay in cash on delivery." in page and "Giao tiêu chuẩn" in page


def test_an_order_is_seen_by_its_guest_through_its_id_and_by_its_buyer_only(client, shop):
    add(client, shop.coffee_variant)
    client.post("/checkout/", pickup(shop))
    guest_order = Order.objects.get()
    assert Client().get(f"/orders/{guest_order.pk}/").status_code == 200  # the id is the receipt

    buyer, other = make_user(), make_user()
    buyer_client = Client()
    assert buyer_client.login(username=buyer.username, password=DEFAULT_PASSWORD)
    add(buyer_client, shop.coffee_variant)
    buyer_client.post("/checkout/", pickup(shop, email=buyer.email))
    order = Order.objects.exclude(pk=guest_order.pk).get()
    assert order.user == buyer
    assert buyer_client.get(f"/orders/{order.pk}/").status_code == 200
    other_client = Client()
    assert other_client.login(username=other.username, password=DEFAULT_PASSWORD)
    assert other_client.get(f"/orders/{order.pk}/").status_code == 404
    assert Client().get(f"/orders/{order.pk}/").status_code == 404
    assert Client().get("/orders/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_the_forms_need_a_csrf_token(shop):
    client = Client(enforce_csrf_checks=True)
    assert client.post("/cart/add/", {"variant_id": shop.coffee_variant.pk, "quantity": 1}).status_code == 403
    assert client.post("/checkout/", pickup(shop)).status_code == 403
    assert not Checkout.objects.exists()
    page = text(Client().get("/cart/"))
    assert "csrfmiddlewaretoken" in page  # the layout's forms carry it


def test_product_names_with_markup_are_shown_as_text(client, shop):
    shop.coffee.name = '<script>alert("x")</script> Cà phê'
    shop.coffee.save(update_fields=["name"])
    add(client, shop.coffee_variant)
    for url in ("/cart/", "/checkout/"):
        page = text(client.get(url))
        assert "<script>alert" not in page, url
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Cà phê" in page, url
    client.post("/checkout/", pickup(shop))
    page = text(client.get(f"/orders/{Order.objects.get().pk}/"))
    assert "<script>alert" not in page and "&lt;script&gt;" in page


def test_the_cart_page_reads_a_fixed_number_of_queries(client, shop, django_assert_max_num_queries):
    """The session, the checkout, its lines with prices and listing, their stock: 4, however many lines."""
    add(client, shop.coffee_variant)
    client.get("/cart/")
    with django_assert_max_num_queries(4):
        client.get("/cart/")
    add(client, shop.cashew_variant)
    client.get("/cart/")
    with django_assert_max_num_queries(4):
        assert client.get("/cart/").status_code == 200


def test_pay_by_card_against_localstripe(client, shop, stripe_settings):
    add(client, shop.coffee_variant)
    response = client.post("/checkout/", pickup(shop, payment="card"))
    assert response.status_code == 302 and response["Location"] == "/checkout/card/"
    page = text(client.get("/checkout/card/"))
    secret = re.search(r'data-client-secret="(pi_\w+_secret_\w+)"', page)
    assert secret, page
    assert 'data-publishable-key="pk_test_localstripe"' in page
    assert f'<script src="{stripe_settings.STRIPE_JS_URL}"></script>' in page
    assert text(client.get("/checkout/card/")).count(secret.group(1)) == 1  # reloading reuses the payment

    declined = client.post("/checkout/card/", {"payment_method": "pm_card_chargeCustomerFail"})
    assert declined.status_code == 200
    assert "The card payment did not go through" in text(declined)
    assert not Order.objects.exists()

    retry = re.search(r'data-client-secret="(pi_\w+_secret_\w+)"', text(declined)).group(1)
    assert retry != secret.group(1)  # a new payment for the next attempt
    response = client.post("/checkout/card/", {"payment_method": "pm_card_visa"})
    order = Order.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/orders/{order.pk}/"
    assert order.payment_method == PaymentMethod.CARD
    assert order.total_charged_amount == 150_000 and order.status == OrderStatus.UNFULFILLED
    assert "Paid by card." in text(client.get(response["Location"]))


def test_pay_by_bank_transfer_shows_the_qr_code_until_the_bank_reports_the_money(client, shop):
    from payments.models import CreditSource
    from payments.transfers import IncomingCredit, credit_receive

    add(client, shop.coffee_variant, 2)
    assert "Bank transfer: scan a VietQR code" in text(client.get("/checkout/"))

    response = client.post("/checkout/", pickup(shop, payment="transfer"))

    order = Order.objects.get()
    assert response["Location"] == f"/orders/{order.pk}/"
    assert (order.payment_method, order.status) == (PaymentMethod.TRANSFER, OrderStatus.UNCONFIRMED)
    page = text(client.get(f"/orders/{order.pk}/"))
    assert "Waiting for your bank transfer." in page and "Awaiting your bank transfer." in page
    assert f"OCOP {order.number}" in page and "0071000000001" in page and "300,000 VND" in page
    assert "data:image/png;base64," in page
    assert re.search(r"Transfer by \d\d/\d\d/\d{4} \d\d:\d\d\.", page)

    credit_receive(
        IncomingCredit(
            bank_reference="FT1", amount=300_000, description=f"OCOP{order.number}", transacted_at=timezone.now()
        ),
        source=CreditSource.NOTIFICATION,
    )

    page = text(client.get(f"/orders/{order.pk}/"))
    assert "Paid by bank transfer." in page and "The outlet is preparing your order." in page
    assert "data:image/png;base64," not in page


def test_the_buyer_gives_the_account_for_a_transfer_owed_back(client, shop):
    from payments.models import CreditSource, TransferRefund
    from payments.transfers import IncomingCredit, credit_receive, transfers_cancel_unpaid

    add(client, shop.coffee_variant)
    client.post("/checkout/", pickup(shop, payment="transfer"))
    order = Order.objects.get()
    transfers_cancel_unpaid(now=timezone.now() + datetime.timedelta(days=2))
    credit_receive(
        IncomingCredit(
            bank_reference="FT2", amount=150_000, description=f"OCOP {order.number}", transacted_at=timezone.now()
        ),
        source=CreditSource.NOTIFICATION,
    )
    page = text(client.get(f"/orders/{order.pk}/"))
    assert "Money owed back to you" in page and "tell us the account" in page

    refused = client.post(
        f"/orders/{order.pk}/", {"account_holder": "NGUYEN VAN A", "bank_name": "VCB", "account_number": "12-ab"}
    )
    assert "An account number is 6 to 19 digits." in text(refused)
    response = client.post(
        f"/orders/{order.pk}/",
        {"account_holder": "NGUYEN VAN A", "bank_name": "Vietcombank", "account_number": "0071 000 123456"},
    )

    assert response.status_code == 302
    refund = TransferRefund.objects.get()
    assert (refund.account_number, refund.bank_name) == ("0071000123456", "Vietcombank")
    assert "to be transferred to account 0071000123456" in text(client.get(f"/orders/{order.pk}/"))
