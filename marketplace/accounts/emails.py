"""The e-mails about a storefront account, in the user's language (Vietnamese unless it is English).

This is the only module that builds or sends account e-mails. Each carries one link: the client's
`redirect_url` with the one-time token (and the e-mail address) added to its query, as Saleor builds it
(`?email=…&token=…`; deletion only `?token=…`). Each goes out through Django's e-mail backend as text plus
HTML from `accounts/email/<kind>.<language>.txt|html`, from `DEFAULT_FROM_EMAIL`. A backend failure is
raised as `EmailDeliveryError`, which the tasks retry.
"""

from __future__ import annotations

import logging
import smtplib
from enum import StrEnum
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from marketplace.accounts.models import User
from marketplace.accounts.tokens import (
    AccountTokenGenerator,
    account_confirmation_tokens,
    account_deletion_tokens,
    password_reset_tokens,
)

__all__ = [
    "EmailDeliveryError",
    "EmailKind",
    "link_with_params",
    "send_account_confirmation",
    "send_account_deletion",
    "send_password_reset",
    "user_language",
]

logger = logging.getLogger(__name__)


class EmailKind(StrEnum):
    """The templates' base name."""

    ACCOUNT_CONFIRMATION = "account_confirmation"
    PASSWORD_RESET = "password_reset"
    ACCOUNT_DELETION = "account_deletion"


class EmailDeliveryError(Exception):
    """The e-mail backend did not take the message (SMTP refused it, or the server could not be reached)."""


_SUBJECTS = {
    EmailKind.ACCOUNT_CONFIRMATION: {
        "vi": "OCOP Đồng Nai: xác nhận địa chỉ e-mail của bạn",
        "en": "OCOP Đồng Nai: confirm your e-mail address",
    },
    EmailKind.PASSWORD_RESET: {
        "vi": "OCOP Đồng Nai: đặt lại mật khẩu",
        "en": "OCOP Đồng Nai: reset your password",
    },
    EmailKind.ACCOUNT_DELETION: {
        "vi": "OCOP Đồng Nai: xác nhận xóa tài khoản",
        "en": "OCOP Đồng Nai: confirm deleting your account",
    },
}

_GENERATORS: dict[EmailKind, AccountTokenGenerator] = {
    EmailKind.ACCOUNT_CONFIRMATION: account_confirmation_tokens,
    EmailKind.PASSWORD_RESET: password_reset_tokens,
    EmailKind.ACCOUNT_DELETION: account_deletion_tokens,
}


def user_language(user: User) -> str:
    """The language of a user's e-mails: English for `en` (or `en-*`), Vietnamese for everything else."""
    return "en" if (user.language_code or "").lower().startswith("en") else "vi"


def link_with_params(url: str, params: dict[str, str]) -> str:
    """`url` with `params` added to its query (replacing parameters of the same name)."""
    parts = urlsplit(url)
    query = [(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True) if key not in params]
    return urlunsplit(parts._replace(query=urlencode([*query, *params.items()])))


def send_account_confirmation(user: User, *, redirect_url: str) -> None:
    """The link that confirms the address given at registration (`redirect_url?email=…&token=…`)."""
    _send(user, EmailKind.ACCOUNT_CONFIRMATION, redirect_url, with_email=True)


def send_password_reset(user: User, *, redirect_url: str) -> None:
    """The link to choose a new password (`redirect_url?email=…&token=…`)."""
    _send(user, EmailKind.PASSWORD_RESET, redirect_url, with_email=True)


def send_account_deletion(user: User, *, redirect_url: str) -> None:
    """The link that confirms deleting the account (`redirect_url?token=…`)."""
    _send(user, EmailKind.ACCOUNT_DELETION, redirect_url, with_email=False)


def _validity(seconds: int, language: str) -> str:
    """How long a link works, in days when whole days, else in hours (at least one)."""
    days, rest = divmod(seconds, 24 * 60 * 60)
    if days and not rest:
        return f"{days} ngày" if language == "vi" else f"{days} day{'s' if days > 1 else ''}"
    hours = max(1, -(-seconds // 3600))
    return f"{hours} giờ" if language == "vi" else f"{hours} hour{'s' if hours > 1 else ''}"


def _display_name(user: User, language: str) -> str:
    """The family name first in Vietnamese ("Nguyễn Lan"), last in English ("Lan Nguyễn")."""
    parts = (user.last_name, user.first_name) if language == "vi" else (user.first_name, user.last_name)
    return " ".join(part for part in parts if part)


def _send(user: User, kind: EmailKind, redirect_url: str, *, with_email: bool) -> None:
    language = user_language(user)
    generator = _GENERATORS[kind]
    params = {"email": user.email} if with_email else {}
    params["token"] = generator.make_token(user)
    context: dict[str, Any] = {
        "language": language,
        "subject": _SUBJECTS[kind][language],
        "name": _display_name(user, language),
        "email": user.email,
        "link": link_with_params(redirect_url, params),
        "valid_for": _validity(generator.timeout_seconds, language),
    }
    with translation.override(language):
        text = render_to_string(f"accounts/email/{kind}.{language}.txt", context)
        html = render_to_string(f"accounts/email/{kind}.{language}.html", context)
    message = EmailMultiAlternatives(
        subject=context["subject"], body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[user.email]
    )
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as exc:
        raise EmailDeliveryError(f"{kind} for user {user.pk}: {exc}") from exc
    logger.info("sent %s to user %s", kind, user.pk)
