"""The one-time tokens of the account e-mails: confirming an address, setting a new password, deleting an account.

Each purpose has its own generator (Django's `PasswordResetTokenGenerator` with its own key salt), so a token
made for one purpose is refused for every other. Each expires after its own setting, in seconds, and stops
working once it has done its job, because the state it hashes changes:

- confirmation hashes `is_confirmed` (confirming the account spends it);
- password reset hashes the password and the last sign-in, as Django's does (a new password spends it);
- deletion hashes the password and the e-mail address (the account is gone once it is used).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int

from marketplace.accounts.models import User


class AccountTokenGenerator(PasswordResetTokenGenerator):
    """A generator whose tokens expire after `settings.<timeout_setting>` seconds."""

    def __init__(self, *, key_salt: str, timeout_setting: str) -> None:
        self.key_salt = key_salt
        self.timeout_setting = timeout_setting
        super().__init__()

    @property
    def timeout_seconds(self) -> int:
        return int(getattr(settings, self.timeout_setting))

    def check_token(self, user: User | None, token: str | None) -> bool:
        """Django's check, with this purpose's timeout instead of PASSWORD_RESET_TIMEOUT."""
        if user is None or not token:
            return False
        try:
            timestamp_b36, _ = token.split("-")
            timestamp = base36_to_int(timestamp_b36)
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        return (self._num_seconds(self._now()) - timestamp) <= self.timeout_seconds


class AccountConfirmationTokenGenerator(AccountTokenGenerator):
    def _make_hash_value(self, user: User, timestamp: int) -> str:
        return f"{user.pk}{user.email}{user.is_confirmed}{timestamp}"


class AccountDeletionTokenGenerator(AccountTokenGenerator):
    def _make_hash_value(self, user: User, timestamp: int) -> str:
        return f"{user.pk}{user.password}{user.email}{timestamp}"


account_confirmation_tokens = AccountConfirmationTokenGenerator(
    key_salt="marketplace.accounts.tokens.account_confirmation", timeout_setting="ACCOUNT_CONFIRMATION_TIMEOUT"
)
password_reset_tokens = AccountTokenGenerator(
    key_salt="marketplace.accounts.tokens.password_reset", timeout_setting="PASSWORD_RESET_TIMEOUT"
)
account_deletion_tokens = AccountDeletionTokenGenerator(
    key_salt="marketplace.accounts.tokens.account_deletion", timeout_setting="ACCOUNT_DELETION_TIMEOUT"
)
