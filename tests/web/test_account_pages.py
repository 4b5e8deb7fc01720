"""A buyer's own pages: registering (the service of the API's accountRegister), confirming, and "my orders",
which then holds the orders placed with that address as a guest."""

from __future__ import annotations

import re

import pytest
from django.conf import settings as django_settings
from django.test import Client

from marketplace.accounts.models import Role, User
from marketplace.accounts.tokens import account_confirmation_tokens, account_deletion_tokens
from marketplace.outbox.models import OutboxJob
from tests.factories import DEFAULT_PASSWORD, make_user
from tests.order_factories import make_order

PASSWORD = "hat-dieu-rang-muoi-2026"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.OCOP_SITE_URL = "http://127.0.0.1:8000"  # the e-mail's link; its host is an allowed client host
    settings.ENABLE_ACCOUNT_CONFIRMATION_BY_EMAIL = True


def _english() -> Client:
    client = Client()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _register(client: Client, email: str, password: str = PASSWORD):
    return client.post("/accounts/register/", {"email": email, "first_name": "Lan", "password": password})


def test_register_confirm_and_find_the_orders_placed_as_a_guest(db):
    guest_order = make_order(user_email="lan@example.test", pickup_code="482913")
    make_order(user_email="someone.else@example.test")
    client = _english()

    response = _register(client, "Lan@Example.test")
    assert response.status_code == 200 and "Check your e-mail" in response.content.decode()
    user = User.objects.get(email="lan@example.test")
    assert (user.role, user.is_confirmed) == (Role.CONSUMER, False)

    token = account_confirmation_tokens.make_token(user)  # what the e-mail's link carries
    assert client.post("/accounts/confirm/", {"email": user.email, "token": token}).status_code == 200
    user.refresh_from_db()
    assert user.is_confirmed

    assert client.login(username=user.email, password=PASSWORD)
    html = client.get("/accounts/orders/").content.decode()
    assert f"#{guest_order.number}" in html and "482913" in html
    assert "Placed. The outlet is preparing your order." in html  # the buyer's words, not "Unfulfilled"
    assert html.count("<tr>") == 2  # the header and the guest order: not another buyer's
    assert f'href="/orders/{guest_order.pk}/"' in html
    assert 'href="/accounts/orders/"' in html  # "My orders" in the header


def test_a_taken_address_is_answered_as_a_free_one_and_changes_nothing(db):
    existing = make_user(Role.CONSUMER, email="taken@example.test")
    response = _register(_english(), "taken@example.test")
    assert response.status_code == 200 and "Check your e-mail" in response.content.decode()
    assert User.objects.filter(email="taken@example.test").count() == 1
    existing.refresh_from_db()
    assert existing.check_password(DEFAULT_PASSWORD)


def test_a_weak_password_is_refused_with_the_reason_and_nothing_saved(db):
    response = _register(Client(), "lan@example.test", password="123")
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert not User.objects.filter(email="lan@example.test").exists()


def test_my_orders_needs_signing_in(db):
    response = Client().get("/accounts/orders/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_my_orders_reads_a_bounded_number_of_queries(db, django_assert_max_num_queries):
    user = make_user(Role.CONSUMER, email="lan@example.test")
    for _ in range(12):
        make_order(user=user, user_email=user.email)
    client = Client()
    client.force_login(user)
    with django_assert_max_num_queries(4):  # the session, the user, the orders with their outlets
        assert client.get("/accounts/orders/").status_code == 200


def test_deleting_the_account_takes_the_e_mails_link_and_keeps_the_orders(db):
    user = make_user(Role.CONSUMER, email="lan@example.test")
    order = make_order(user=user, user_email=user.email)
    client = _english()
    client.force_login(user)

    html = client.post("/accounts/delete/").content.decode()
    assert "We have sent you an e-mail" in html
    assert User.objects.filter(pk=user.pk).exists()  # asking deletes nothing
    assert OutboxJob.objects.filter(task_name__endswith="send_account_deletion_task").count() == 1

    broken = client.post("/accounts/delete/confirm/", {"token": "not-the-token"}).content.decode()
    assert "This link does not work" in broken and User.objects.filter(pk=user.pk).exists()

    token = account_deletion_tokens.make_token(user)
    assert "Delete the account now?" in client.get(f"/accounts/delete/confirm/?token={token}").content.decode()
    done = client.post("/accounts/delete/confirm/", {"token": token})
    assert "Your account is deleted" in done.content.decode()
    assert not User.objects.filter(pk=user.pk).exists()
    order.refresh_from_db()
    assert order.user_id is None and order.user_email == "lan@example.test"  # the order keeps its copy
    assert client.get("/accounts/orders/").status_code == 302  # signed out


def test_a_staff_account_is_not_deleted_here(db):
    client = _english()
    client.force_login(make_user(Role.TRADE_STAFF))
    assert "A staff account cannot be deleted here" in client.post("/accounts/delete/").content.decode()


def test_asking_for_a_new_password_answers_alike_whoever_asks_and_sends_one_link(db):
    make_user(Role.CONSUMER, email="lan@example.test")
    for email in ("lan@example.test", "nobody@example.test"):
        html = _english().post("/accounts/reset/request/", {"email": email}).content.decode()
        assert f"If {email} has an account here, we have sent it a link" in html
    assert OutboxJob.objects.filter(task_name__endswith="send_password_reset_task").count() == 1
    assert 'href="/accounts/reset/request/"' in _english().get("/accounts/login/").content.decode()


def test_asking_for_a_new_password_is_throttled_like_the_api(db, settings):
    settings.PASSWORD_RESET_MAX_REQUESTS = 2
    client = _english()
    answers = [client.post("/accounts/reset/request/", {"email": "lan@example.test"}) for _ in range(3)]
    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert "Too many requests for a new password" in answers[-1].content.decode()


ADDRESS = {
    "first_name": "Lan",
    "last_name": "Nguyễn",
    "phone": "0912 345 678",
    "street_address_1": "12 Đường 30 Tháng 4",
    "country_area": "75",
}


def _commune(client: Client) -> str:
    """The first commune the page offers for Đồng Nai."""
    html = client.get("/accounts/addresses/").content.decode()
    return re.search(r'<select name="city"[^>]*>.*?<option value="(\d+)"', html, re.S).group(1)


def test_saved_addresses_are_added_checked_made_default_and_deleted(db):
    user = make_user(Role.CONSUMER, email="lan@example.test")
    client = _english()
    client.force_login(user)
    city = _commune(client)

    refused = client.post("/accounts/addresses/", {**ADDRESS, "phone": "123", "city": city})
    assert refused.status_code == 200 and 'role="alert"' in refused.content.decode()
    assert not user.addresses.exists()

    assert client.post("/accounts/addresses/", {**ADDRESS, "city": city}).status_code == 302
    first = user.addresses.get()
    user.refresh_from_db()
    assert user.default_shipping_address_id == first.pk  # the first becomes the default
    assert first.phone == "+84912345678" and first.country_area == "Tỉnh Đồng Nai"  # as the service stores it

    client.post("/accounts/addresses/", {**ADDRESS, "street_address_1": "5 Hà Huy Giáp", "city": city})
    second = user.addresses.exclude(pk=first.pk).get()
    client.post(f"/accounts/addresses/{second.pk}/", {"action": "default"})
    user.refresh_from_db()
    assert user.default_shipping_address_id == second.pk

    client.post(f"/accounts/addresses/{first.pk}/", {"action": "delete"})
    assert list(user.addresses.all()) == [second]
    html = client.get("/accounts/addresses/").content.decode()
    assert "5 Hà Huy Giáp" in html and "Default for delivery" in html


def test_another_province_lists_its_communes_without_checking_anything(db):
    client = _english()
    client.force_login(make_user(Role.CONSUMER))
    html = client.post("/accounts/addresses/", {**ADDRESS, "country_area": "79", "action": "refresh"}).content.decode()
    assert 'role="alert"' not in html
    assert re.search(r'<option value="79" selected>', html)


def test_nobody_changes_anothers_address(db):
    owner, other = make_user(Role.CONSUMER), make_user(Role.CONSUMER)
    client = _english()
    client.force_login(owner)
    client.post("/accounts/addresses/", {**ADDRESS, "city": _commune(client)})
    address = owner.addresses.get()
    client.force_login(other)
    assert client.post(f"/accounts/addresses/{address.pk}/", {"action": "delete"}).status_code == 404
    assert owner.addresses.filter(pk=address.pk).exists()


def test_the_addresses_page_reads_a_bounded_number_of_queries(db, django_assert_max_num_queries):
    user = make_user(Role.CONSUMER)
    client = _english()
    client.force_login(user)
    city = _commune(client)
    for n in range(8):
        client.post("/accounts/addresses/", {**ADDRESS, "street_address_1": f"{n} Hà Huy Giáp", "city": city})
    assert user.addresses.count() == 8
    with django_assert_max_num_queries(4):  # the session, the user, the addresses (messages are in the session)
        assert client.get("/accounts/addresses/").status_code == 200
