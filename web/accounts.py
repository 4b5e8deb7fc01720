"""A buyer's own pages: registering, asking for a new password, "my orders" and saved addresses once signed in,
and deleting the account.

Registering calls the same service as the API's `accountRegister` (`marketplace.accounts.services.user_register`):
the e-mail's link leads to `/accounts/confirm/` on `OCOP_SITE_URL`, and confirming the address gives the account
the orders placed with it as a guest (`marketplace.orders.receivers`). An address that already has an account is
answered as a free one: the page does not tell anyone whose address is registered here.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from marketplace.accounts.address_validation import (
    AddressInvalid,
    validate_address,
)
from marketplace.accounts.error_codes import AddressType
from marketplace.accounts.models import User
from marketplace.accounts.services import (
    account_delete,
    account_deletion_request,
    address_create,
    address_delete,
    user_register,
    user_set_default_address,
)
from marketplace.accounts.throttling import password_reset_request_throttled
from marketplace.core.errors import DomainError
from marketplace.core.throttling import client_address
from marketplace.orders.selectors import orders_of_user
from web.cart.forms import DEFAULT_PROVINCE, set_place_choices
from web.cart.stages import order_stage
from web.navigation import site_url

MY_ORDERS_LIMIT = 50


def _signed_in(request: HttpRequest) -> User:
    """The user of a view behind `login_required`."""
    assert isinstance(request.user, User), "login_required lets only signed-in users in"
    return request.user


class RegisterForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    first_name = forms.CharField(label=_("Name"), required=False, max_length=150)
    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user_register(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                first_name=form.cleaned_data["first_name"],
                language_code=get_language() or "vi",
                redirect_url=site_url(reverse("web:account_confirm")),
            )
        except DomainError as error:
            for detail in error.details:
                field = detail.field if detail.field in form.fields else None
                form.add_error(field, detail.message)
        else:
            return render(request, "web/account/registered.html", {"email": form.cleaned_data["email"]})
    return render(request, "web/account/register.html", {"form": form})


@require_GET
@login_required
def my_orders(request: HttpRequest) -> HttpResponse:
    orders = [(order, order_stage(order)) for order in orders_of_user(user=request.user)[:MY_ORDERS_LIMIT]]
    return render(request, "web/account/my_orders.html", {"orders": orders})


@require_http_methods(["GET", "POST"])
@login_required
def delete_account(request: HttpRequest) -> HttpResponse:
    """Asks for an e-mail whose link confirms deleting the account (a click here alone deletes nothing)."""
    state = "ask"
    if request.method == "POST":
        try:
            account_deletion_request(
                user=_signed_in(request), redirect_url=site_url(reverse("web:delete_account_confirm"))
            )
        except DomainError:
            state = "staff"  # the only refusal: staff accounts are closed by an operator
        else:
            state = "sent"
    return render(request, "web/account/delete.html", {"state": state})


class DeletionForm(forms.Form):
    token = forms.CharField(max_length=128, widget=forms.HiddenInput)


@require_http_methods(["GET", "POST"])
@login_required
def delete_account_confirm(request: HttpRequest) -> HttpResponse:
    """The deletion e-mail's link: asks for a last click, then deletes the account and signs out. Its orders stay,
    with the e-mail address and names copied onto them when they were placed."""
    form = DeletionForm(request.POST if request.method == "POST" else request.GET)
    state = "ask" if form.is_valid() else "broken"
    if request.method == "POST" and form.is_valid():
        try:
            account_delete(user=_signed_in(request), token=form.cleaned_data["token"])
        except DomainError:
            state = "broken"
        else:
            logout(request)
            state = "done"
    return render(request, "web/account/delete_confirm.html", {"form": form, "state": state})


class PasswordResetForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))


@require_http_methods(["GET", "POST"])
def password_reset_request(request: HttpRequest) -> HttpResponse:
    """The e-mail with a link to choose a new password (`/accounts/reset/`), throttled as the API's
    `requestPasswordReset` is; the answer is the same whether the address has an account or not."""
    form = PasswordResetForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            password_reset_request_throttled(
                email=form.cleaned_data["email"],
                redirect_url=site_url(reverse("web:password_reset")),
                client_address=client_address(request),
            )
        except DomainError:
            form.add_error("email", _("Too many requests for a new password. Please try again later."))
            status = 429
        else:
            return render(request, "web/account/reset_requested.html", {"email": form.cleaned_data["email"]})
    return render(request, "web/account/reset_request.html", {"form": form}, status=status)


class AddressForm(forms.Form):
    """A saved address; the communes listed are the chosen province's (a button lists another's)."""

    first_name = forms.CharField(label=_("First name"), max_length=256)
    last_name = forms.CharField(label=_("Last name"), max_length=256, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=32)
    street_address_1 = forms.CharField(label=_("House number and street"), max_length=256)
    country_area = forms.ChoiceField(label=_("Province"))
    city = forms.ChoiceField(label=_("Commune or ward"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_place_choices(self, province=(self.data.get("country_area") if self.is_bound else None) or DEFAULT_PROVINCE)
        if not self.is_bound:
            self.initial.setdefault("country_area", DEFAULT_PROVINCE)


@require_http_methods(["GET", "POST"])
@login_required
def addresses(request: HttpRequest) -> HttpResponse:
    """The saved addresses (offered at checkout), one to add, and each to delete or make the default."""
    user = _signed_in(request)
    refresh = request.POST.get("action") == "refresh"  # another province: list its communes, check nothing
    form = AddressForm(request.POST if request.method == "POST" and not refresh else None)
    if refresh:
        form = AddressForm(initial=request.POST.dict())
    if request.method == "POST" and not refresh and form.is_valid():
        try:
            values = validate_address(form.cleaned_data)
        except AddressInvalid as invalid:
            for field, _code, message in invalid.problems:
                form.add_error(field if field in form.fields else None, message)
        else:
            address_create(
                user=user,
                values=values,
                address_type=None if user.default_shipping_address_id else AddressType.SHIPPING,
            )
            messages.success(request, _("The address is saved."))
            return redirect("web:addresses")
    saved = list(user.addresses.order_by("pk"))
    return render(
        request,
        "web/account/addresses.html",
        {"form": form, "saved": saved, "default": user.default_shipping_address_id},
    )


@require_POST
@login_required
def address_change(request: HttpRequest, address_id: int) -> HttpResponse:
    """Delete a saved address, or make it the default for delivery."""
    user = _signed_in(request)
    address = get_object_or_404(user.addresses, pk=address_id)
    if request.POST.get("action") == "delete":
        address_delete(user=user, address=address)
        messages.success(request, _("The address is deleted."))
    else:
        user_set_default_address(user=user, address=address, address_type=AddressType.SHIPPING)
        messages.success(request, _("Orders are delivered to this address unless you choose another."))
    return redirect("web:addresses")
