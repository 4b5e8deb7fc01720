"""Signing in to the consoles, with a limit on failed attempts (per account and per address).

Failures are counted in the cache (Redis) for `LOGIN_FAILURE_WINDOW_SECONDS`; after
`LOGIN_MAX_FAILURES` for the same user name or the same client address, sign-in is refused until the
window passes, whatever the password. A success clears the account's count.
"""

from __future__ import annotations

import hashlib

from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _


def _key(kind: str, value: str) -> str:
    return f"login-failures:{kind}:{hashlib.sha256(value.lower().encode()).hexdigest()[:32]}"


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


class RateLimitedAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "rate_limited": _("Too many failed sign-in attempts. Wait %(minutes)s minutes and try again."),
    }

    def clean(self):
        keys = [_key("user", self.data.get("username", "")), _key("address", client_address(self.request))]
        if any((cache.get(key) or 0) >= settings.LOGIN_MAX_FAILURES for key in keys):
            raise forms.ValidationError(
                self.error_messages["rate_limited"],
                code="rate_limited",
                params={"minutes": max(settings.LOGIN_FAILURE_WINDOW_SECONDS // 60, 1)},
            )
        try:
            return super().clean()
        except forms.ValidationError:
            for key in keys:
                cache.add(key, 0, settings.LOGIN_FAILURE_WINDOW_SECONDS)
                cache.incr(key)
            raise


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    form_class = RateLimitedAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        cache.delete(_key("user", form.cleaned_data.get("username", "")))
        return super().form_valid(form)

    def get_default_redirect_url(self):
        from web.navigation import home_for

        return self.get_redirect_url() or home_for(self.request.user)
