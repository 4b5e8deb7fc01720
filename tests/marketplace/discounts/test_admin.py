"""Operators set up vouchers in the back office; no other role sees them."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from marketplace.accounts.models import Role
from marketplace.channel.services import channel_ensure_default
from marketplace.discounts.models import Voucher
from tests.factories import make_user
from tests.marketplace.discounts.helpers import make_voucher


def _client(role: str) -> Client:
    client = Client()
    client.force_login(make_user(role=role))
    return client


def _form(channel_id: int, **overrides) -> dict:
    data = {
        "name": "Khuyến mãi hè",
        "name_en": "Summer sale",
        "channel": channel_id,
        "discount_value_type": "fixed",
        "discount_value": "30000",
        "paid_by": "producer",
        "start_date_0": "2026-12-01",
        "start_date_1": "00:00:00",
        "end_date_0": "2027-01-01",
        "end_date_1": "00:00:00",
        "min_spent_amount": "200000",
        "usage_limit": "100",
        "codes-TOTAL_FORMS": "1",
        "codes-INITIAL_FORMS": "0",
        "codes-0-code": "HE2027",
        "codes-0-is_active": "on",
        "customers-TOTAL_FORMS": "0",
        "customers-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_an_operator_adds_a_voucher_with_its_code():
    channel = channel_ensure_default()
    client = _client(Role.OPERATOR)
    response = client.post(reverse("admin:discounts_voucher_add"), _form(channel.pk))
    assert response.status_code == 302, response.context["adminform"].form.errors
    voucher = Voucher.objects.get()
    assert (voucher.discount_value, voucher.paid_by, list(voucher.codes.values_list("code", flat=True))) == (
        30_000,
        "producer",
        ["HE2027"],
    )
    assert client.get(reverse("admin:discounts_voucher_changelist")).status_code == 200


@pytest.mark.django_db
def test_a_percentage_above_100_is_refused():
    channel = channel_ensure_default()
    response = _client(Role.OPERATOR).post(
        reverse("admin:discounts_voucher_add"),
        _form(channel.pk, discount_value_type="percentage", discount_value="150"),
    )
    assert response.status_code == 200
    assert "discount_value" in response.context["adminform"].form.errors
    assert not Voucher.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.PRODUCER_STAFF, Role.OUTLET_STAFF, Role.TRADE_STAFF])
def test_other_roles_do_not_see_vouchers(role):
    make_voucher(channel_ensure_default())
    client = _client(role)
    assert client.get(reverse("admin:discounts_voucher_changelist")).status_code == 403
    assert client.get(reverse("admin:discounts_voucher_add")).status_code == 403


@pytest.mark.django_db
def test_a_code_taken_in_another_case_is_refused():
    channel = channel_ensure_default()
    make_voucher(channel, code="TET2027")
    response = _client(Role.OPERATOR).post(
        reverse("admin:discounts_voucher_add"), _form(channel.pk, **{"codes-0-code": " tet2027 "})
    )
    assert response.status_code == 200
    assert Voucher.objects.count() == 1
