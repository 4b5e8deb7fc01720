"""A buyer's own pages: registering, asking for a new password, "my orders" once signed in, and deleting the
account.

Registering calls the same service as the API's `accountRegister` (`marketplace.accounts.services.user_register`):
the e-mail's link leads to `/accounts/confirm/` on `OCOP_SITE_URL`, and confirming the address gives the account
the orders placed with it as a guest (`marketplace.orders.receivers`). An address that already has an account is
answered as a free one: the page does not tell anyone whose address is registered here.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from marketplace.accounts.models import User
from marketplace.accounts.services import account_delete, account_deletion_request, user_register
from marketplace.accounts.throttling import password_reset_request_throttled
from marketplace.core.errors import DomainError
from marketplace.core.throttling import client_address
from marketplace.orders.selectors import orders_of_user

MY_ORDERS_LIMIT = 50


def _signed_in(request: HttpRequest) -> User:
    """The user of a view behind `login_required`."""
    assert isinstance(request.user, User), "login_required lets only signed-in users in"
    return request.user


def _site_url(name: str) -> str:
    """The address of page `name` on `OCOP_SITE_URL`, as an account e-mail links to it."""
    return settings.OCOP_SITE_URL.rstrip("/") + reverse(name)


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
                redirect_url=_site_url("web:account_confirm"),
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
    orders = list(orders_of_user(user=request.user)[:MY_ORDERS_LIMIT])
    return render(request, "web/account/my_orders.html", {"orders": orders})


@require_http_methods(["GET", "POST"])
@login_required
def delete_account(request: HttpRequest) -> HttpResponse:
    """Asks for an e-mail whose link confirms deleting the account (a click here alone deletes nothing)."""
    state = "ask"
    if request.method == "POST":
        try:
            account_deletion_request(user=_signed_in(request), redirect_url=_site_url("web:delete_account_confirm"))
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
                redirect_url=_site_url("web:password_reset"),
                client_address=client_address(request),
            )
        except DomainError:
            form.add_error("email", _("Too many requests for a new password. Please try again later."))
            status = 429
        else:
            return render(request, "web/account/reset_requested.html", {"email": form.cleaned_data["email"]})
    return render(request, "web/account/reset_request.html", {"form": form}, status=status)
