"""Every form of the pages and consoles against generated hostile input (tests/web/form_fuzz.py): a page with
an error or a redirect, never 5xx, and nothing stored half. A few deterministic examples per form here;
bench/fuzz_forms.py runs many more (`OCOP_FUZZ_EXAMPLES`).

Below them, the cases the fuzzing found, each kept as a plain regression test."""

from __future__ import annotations

import json
import os
import unicodedata
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings

from marketplace.accounts.models import Role
from marketplace.certification.models import MisuseReport
from marketplace.checkout.services import LineRequest, checkout_create
from tests.factories import make_user
from tests.web.form_fuzz import (
    ALLOWED_STATUSES,
    TARGETS,
    TARGETS_BY_NAME,
    Tally,
    build_world,
    client_for,
    photo_png,
    refused,
    run_example,
    target_data,
    with_cart,
)

EXAMPLES = int(os.environ.get("OCOP_FUZZ_EXAMPLES", "6"))


@pytest.mark.parametrize("target", TARGETS, ids=[target.name for target in TARGETS])
def test_hostile_input_gets_a_clear_answer_and_stores_nothing_half(shop, target):
    world = build_world(shop)
    counting = bool(os.environ.get("OCOP_FUZZ_TALLY"))
    tally = Tally() if counting else None  # bench/fuzz_forms.py counts instead of stopping at the first failure

    @settings(
        max_examples=EXAMPLES,
        derandomize=not counting,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=target_data(target, world))
    def send(data):
        run_example(target, world, data, tally=tally, raise_errors=not counting)

    send()
    if tally is not None:
        _save_tally(target.name, tally)
        assert not tally.failures, tally.failures


def _save_tally(name: str, tally: Tally) -> None:
    """Add this form's figures to the JSON file bench/fuzz_forms.py reads (`OCOP_FUZZ_TALLY`)."""
    path = Path(os.environ["OCOP_FUZZ_TALLY"])
    figures = json.loads(path.read_text()) if path.exists() else {}
    figures[name] = {
        "requests": tally.requests,
        "statuses": {str(status): count for status, count in sorted(tally.statuses.items())},
        "refused": tally.refused,
        "accepted": tally.accepted,
        "failures": tally.failures,
    }
    path.write_text(json.dumps(figures, ensure_ascii=False, indent=1))


# --- what the fuzzing found ----------------------------------------------------------------------------------


def _visitor() -> Client:
    """A visitor from an address of its own: the per-address limits on lookups and reports are not tested here."""
    return client_for(None, None)


def _get(client: Client, url: str, data: dict | None = None):
    response = client.get(url, data or {})
    assert response.status_code < 500
    return response


@pytest.mark.parametrize(
    "query",
    [
        {"commune": "a\x00b"},  # a NUL reached PostgreSQL: DataError
        {"outlet": str(10**30)},  # bigint out of range
        {"group": str(2**31)},  # integer out of range
        {"stars": "-" + "9" * 20},
    ],
)
def test_catalogue_facets_that_name_nothing_are_ignored(shop, query):
    response = _get(_visitor(), "/products/", query)
    assert response.status_code == 200  # the filter is left out, the catalogue shown


@pytest.mark.parametrize("certificate_id", ["a%00b", "A" * 65])
def test_a_certificate_id_with_a_nul_or_too_long_is_unknown(shop, certificate_id):
    client = _visitor()
    assert _get(client, f"/verify/{certificate_id}/").status_code == 200
    response = client.post(f"/verify/{certificate_id}/", {"place": "Chợ", "description": "Nhãn giả"})
    assert response.status_code == 302
    report = MisuseReport.objects.get()
    assert "\x00" not in report.certificate_id and report.certification is None


@pytest.mark.parametrize("action", ["apply", "remove"])
def test_a_promo_code_with_a_nul_is_refused_as_unknown(shop, action):
    client = _visitor()
    client.cookies["ocop_language"] = "en"
    checkout = checkout_create(
        channel=shop.channel,
        lines=[LineRequest(variant_id=shop.coffee_variant.pk, quantity=1)],
        email=None,
        language_code="vi",
        user=None,
    )
    session = client.session
    session["checkout_token"] = str(checkout.token)
    session.save()
    response = client.post("/cart/promo-code/", {"code": "TET\x002027", "action": action}, follow=True)
    assert response.status_code == 200
    assert "promo code" in response.content.decode().lower()
    checkout.refresh_from_db()
    assert checkout.voucher_code == ""


def test_a_certificate_number_with_a_slash_is_refused_by_the_form(db):
    """The number goes into the result page's address: "12/QĐ-UBND" could not be linked to (NoReverseMatch)."""
    response = _get(_visitor(), "/verify/", {"certificate_id": "12/QĐ-UBND"})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode() or "errorlist" in response.content.decode()


def test_a_cart_emptied_by_a_repeated_quantity_field_stays_a_cart(shop):
    """A field sent twice counts by its last value, as Django reads it: quantity 0 removes the line."""
    world = build_world(shop)
    run_example(TARGETS_BY_NAME["cart line update"], world, {"action": "accept", "quantity": ["-1570", "3", "0"]})


def test_a_tracking_number_is_stored_as_clean_text(shop):
    """It was stored as typed: escape sequences, a right-to-left override, decomposed Vietnamese."""
    world = build_world(shop)
    client = client_for(world, "producer_staff")
    typed = "\x1b[31mGHN\u202e-" + unicodedata.normalize("NFD", "Đồng") + "\x07"
    assert client.post(f"/portal/orders/{world.part.pk}/ship/", {"tracking_number": typed}).status_code == 302
    world.part.refresh_from_db()
    assert world.part.tracking_number == "[31mGHN-Đồng"


@pytest.mark.parametrize(
    "period",
    [
        {"from": "9999-12-30", "to": "9999-12-31"},  # a day after the end overflowed: OverflowError
        {"to": "0001-01-05"},  # thirty days before it too
    ],
)
@pytest.mark.parametrize("page", ["delistings/", "sales/", "sales.csv", "sales.xlsx"])
def test_periods_outside_the_marketplaces_years_are_refused(db, page, period):
    client = _visitor()
    client.cookies["ocop_language"] = "en"
    client.force_login(make_user(Role.TRADE_STAFF))
    response = _get(client, f"/trade/{page}", period)
    assert response.status_code == 200
    if page.endswith("/"):
        assert "Ensure this value is" in response.content.decode()


@pytest.mark.parametrize("target", TARGETS, ids=[target.name for target in TARGETS])
def test_each_targets_valid_input_reaches_its_form(shop, target):
    """The valid values pass (so the fuzzing above works on the form, not on a 404 or a refused role)."""
    world = build_world(shop)
    seen = Tally()
    data = target.fields(world)
    if target.files:
        data["photo"] = SimpleUploadedFile("hat-dieu.png", photo_png(), content_type="image/png")
    run_example(target, world, data, tally=seen)
    assert not (set(seen.statuses) & {403, 404, 405}), seen.statuses
    if target.method == "post" and target.name not in {"sign-in", "account confirmation link", "password reset link"}:
        assert seen.accepted == 1 or target.name in {
            "card payment",
            "outlet pickup code",
            "cart promo code",
            "checkout province reload",
        }, seen


POSTED = [target for target in TARGETS if target.method == "post"]


@pytest.mark.parametrize("target", POSTED, ids=[target.name for target in POSTED])
def test_bodies_that_are_no_form_and_posts_without_the_csrf_token_change_nothing(shop, target):
    """Wrong types of body (JSON, bytes that are no form, files where text is expected) are a form with its
    fields missing; a post without the CSRF token is refused by Django with 403. Neither stores anything."""
    world = build_world(shop)
    valid = target.fields(world)
    bodies = [
        {"content_type": "application/json", "data": json.dumps(valid)},
        {"content_type": "application/x-www-form-urlencoded", "data": b"\xff\xfe\x00=%%%&&=\x00" * 50},
        {"data": {name: SimpleUploadedFile(f"{name}.txt", b"\x00\x01 not text") for name in valid}},
    ]
    for body in [*bodies, {"data": valid, "csrf": True}]:
        with transaction.atomic():
            client = client_for(world, target.who)
            if body.pop("csrf", False):
                client.handler.enforce_csrf_checks = True
            data = {"__line": str(with_cart(world, client).lines.get().pk)} if target.cart else {}
            url = target.url(world, {**valid, **data})
            before = target.snapshot(world)
            response = client.post(url, **body)
            assert response.status_code in ALLOWED_STATUSES, (body, response.status_code)
            if client.handler.enforce_csrf_checks:
                assert response.status_code == 403
            if refused(response):  # a form whose fields may all be blank (descriptions) accepts an empty body
                assert target.snapshot(world) == before, body
            else:
                assert target.invariant(world, before) == []
            transaction.set_rollback(True)
