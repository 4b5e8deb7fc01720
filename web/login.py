"""Signing in to the consoles, with the limit on failed attempts that every door shares.

The counting is `marketplace.accounts.throttling`'s: after `LOGIN_MAX_FAILURES` wrong passwords for one account
(here or through the API's `tokenCreate`), or `LOGIN_MAX_FAILURES_PER_ADDRESS` from one client address,
within `LOGIN_FAILURE_WINDOW_SECONDS`, sign-in is refused until the window passes, whatever the password. A
success clears the account's count.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from marketplace.accounts.selectors import user_by_username
from marketplace.accounts.throttling import sign_in_attempt_start, sign_in_attempt_succeeded
from marketplace.core.throttling import Throttled, attempt_succeeded, client_address

__all__ = ["LoginView", "RateLimitedAuthenticationForm", "client_address"]


class RateLimitedAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "rate_limited": _("Too many failed sign-in attempts. Wait %(minutes)s minutes and try again."),
    }

    def clean(self):
        typed = self.data.get("username", "") or ""
        address = client_address(self.request) if self.request is not None else "unknown"
        try:
            attempt = sign_in_attempt_start(user=user_by_username(typed), typed=typed, client_address=address)
        except Throttled as throttled:
            raise forms.ValidationError(
                self.error_messages["rate_limited"], code="rate_limited", params={"minutes": throttled.minutes}
            ) from None
        try:
            cleaned = super().clean()
        except forms.ValidationError as error:
            if error.code != "invalid_login":
                attempt_succeeded(attempt)  # a right password for an inactive account is not a guess
            raise
        sign_in_attempt_succeeded(attempt)
        return cleaned


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    form_class = RateLimitedAuthenticationForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        from web.navigation import home_for

        return self.get_redirect_url() or home_for(self.request.user)
