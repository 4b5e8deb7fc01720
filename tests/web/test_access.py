"""Signing in (rate-limited) and who may open a console view."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import Client, RequestFactory

from marketplace.accounts.models import Role
from tests.factories import DEFAULT_PASSWORD, make_user
from web.access import SignedInRequest, own_outlet, own_outlet_id, own_producer_id, role_required


def _login(client: Client, username: str, password: str, address: str = "10.0.0.1"):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="en"
    )


def test_sign_in_is_refused_after_too_many_failures(db, settings):
    settings.LOGIN_MAX_FAILURES = 3
    user = make_user("outlet_staff")
    client = Client()
    for _ in range(3):
        assert _login(client, user.username, "wrong").status_code == 200
    refused = _login(client, user.username, DEFAULT_PASSWORD)
    assert refused.status_code == 200
    assert "Too many failed sign-in attempts" in refused.content.decode()
    # Another account from another address is unaffected.
    other = make_user("trade_staff")
    assert _login(Client(), other.username, DEFAULT_PASSWORD, address="10.0.0.2").status_code == 302


def test_the_login_form_has_csrf_protection(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403


def test_staff_land_on_their_console_or_the_shop(db):
    client = Client()
    user = make_user("consumer")
    response = _login(client, user.username, DEFAULT_PASSWORD)
    assert response.status_code == 302 and response.url == "/"


@pytest.mark.parametrize("role", list(Role))
def test_role_required(db, role):
    view = role_required(Role.OUTLET_STAFF)(lambda request: HttpResponse("ok"))
    request = RequestFactory().get("/outlet/")
    request.user = make_user(role)
    if role == Role.OUTLET_STAFF:
        assert view(request).status_code == 200
    else:
        with pytest.raises(PermissionDenied):
            view(request)


def test_role_required_sends_anonymous_visitors_to_sign_in(db):
    from django.contrib.auth.models import AnonymousUser

    view = role_required(Role.TRADE_STAFF)(lambda request: HttpResponse("ok"))
    request = RequestFactory().get("/trade/")
    request.user = AnonymousUser()
    response = view(request)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/?next=/trade/")


def test_the_console_views_read_the_staff_members_own_outlet_or_producer(db):
    outlet_staff, producer_staff = make_user(Role.OUTLET_STAFF), make_user(Role.PRODUCER_STAFF)
    outlet_request, producer_request = SignedInRequest(), SignedInRequest()
    outlet_request.user, producer_request.user = outlet_staff, producer_staff
    assert own_outlet_id(outlet_request) == outlet_staff.outlet_id
    assert own_outlet(outlet_request) == outlet_staff.outlet
    assert own_producer_id(producer_request) == producer_staff.producer_id
    # Nobody without one gets that far (role_required turns them away), and if they did they would be refused.
    for read in (own_outlet_id, own_outlet):
        with pytest.raises(PermissionDenied):
            read(producer_request)
    with pytest.raises(PermissionDenied):
        own_producer_id(outlet_request)
