"""The pages the account e-mails can link to: confirming an e-mail address, choosing a new password.

A client without pages of its own passes `<this site>/accounts/confirm/` or `<this site>/accounts/reset/` as
`redirectUrl` (its host must be in `ALLOWED_CLIENT_HOSTS`); the e-mail's link adds `email` and `token`. Opening
a link changes nothing, since mail scanners open links too: the page asks for a click (confirming) or the new
password (resetting), and the POST calls the service.
"""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from marketplace.accounts.error_codes import AccountErrorCode
from marketplace.accounts.services import account_confirm, password_reset_set
from marketplace.core.errors import DomainError


class LinkForm(forms.Form):
    """The e-mail address and the token that the link carries (hidden fields)."""

    email = forms.EmailField(widget=forms.HiddenInput)
    token = forms.CharField(max_length=128, widget=forms.HiddenInput)


class NewPasswordForm(LinkForm):
    password = forms.CharField(
        label=gettext_lazy("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label=gettext_lazy("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        if cleaned.get("password") and cleaned.get("password") != cleaned.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return cleaned


def _link_data(request: HttpRequest) -> dict[str, str] | None:
    return request.POST if request.method == "POST" else (request.GET or None)


@require_http_methods(["GET", "POST"])
def confirm_email(request: HttpRequest) -> HttpResponse:
    form = LinkForm(_link_data(request))
    state = "ask"
    if not form.is_bound or not form.is_valid():
        state = "broken"
    elif request.method == "POST":
        try:
            account_confirm(email=form.cleaned_data["email"], token=form.cleaned_data["token"])
        except DomainError:
            state = "broken"
        else:
            state = "done"
    return render(request, "web/account/confirm_email.html", {"form": form, "state": state})


@require_http_methods(["GET", "POST"])
def reset_password(request: HttpRequest) -> HttpResponse:
    data = _link_data(request)
    link = LinkForm(data)
    if not link.is_bound or not link.is_valid():
        return render(request, "web/account/reset_password.html", {"state": "broken"})
    form = NewPasswordForm(request.POST if request.method == "POST" else None, initial=link.cleaned_data)
    state = "ask"
    if request.method == "POST" and form.is_valid():
        try:
            password_reset_set(
                email=form.cleaned_data["email"],
                token=form.cleaned_data["token"],
                password=form.cleaned_data["password"],
            )
        except DomainError as error:
            if any(detail.code == AccountErrorCode.INVALID and detail.field == "token" for detail in error.details):
                state = "broken"
            for detail in error.details:
                if detail.field == "password":
                    form.add_error("password", detail.message)
        else:
            state = "done"
    return render(request, "web/account/reset_password.html", {"form": form, "state": state})
