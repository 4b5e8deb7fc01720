"""The account doors' limits, as Saleor's `saleor/account/throttling.py` sets them: signing in and asking for a
password reset e-mail, counted per account and per client address (`marketplace.core.throttling`).

Signing in counts failures: after `LOGIN_MAX_FAILURES` wrong passwords for one account, or
`LOGIN_MAX_FAILURES_PER_ADDRESS` from one client address, within `LOGIN_FAILURE_WINDOW_SECONDS`, every try is
refused, the right password too, until the window ends. The pages' sign-in and `tokenCreate` share the counters,
so an account gets its tries once, not once per door. A success clears the account's count. Password reset
e-mails: `PASSWORD_RESET_MAX_REQUESTS` per address and per e-mail address in the same window.

Refusals carry `AccountErrorCode.LOGIN_ATTEMPT_DELAYED`, the code Saleor's storefront reads.
"""

from __future__ import annotations

from django.conf import settings

from marketplace.accounts.error_codes import AccountErrorCode
from marketplace.accounts.models import User
from marketplace.accounts.selectors import normalize_email, user_by_email
from marketplace.accounts.services import password_reset_request, user_log_in
from marketplace.core.errors import DomainError
from marketplace.core.throttling import Attempt, Rule, Throttled, attempt_start, attempt_succeeded, attempts_clear


def sign_in_rule() -> Rule:
    return Rule("sign-in", settings.LOGIN_MAX_FAILURES, settings.LOGIN_FAILURE_WINDOW_SECONDS)


def password_reset_rule() -> Rule:
    return Rule("password-reset", settings.PASSWORD_RESET_MAX_REQUESTS, settings.LOGIN_FAILURE_WINDOW_SECONDS)


def _account(user: User | None, typed: str) -> str:
    """One counter per account, whichever door (user name or e-mail) names it; names of no one count too."""
    return f"user:{user.pk}" if user is not None else f"name:{typed.strip().lower()}"


def sign_in_subjects(*, user: User | None, typed: str, client_address: str) -> dict[str, str | tuple[int, str]]:
    return {
        "account": _account(user, typed),
        "address": (settings.LOGIN_MAX_FAILURES_PER_ADDRESS, client_address),
    }


def delayed_message(throttled: Throttled) -> str:
    return (
        f"Too many failed sign-in attempts. Logging in is suspended for {throttled.minutes} minutes "
        "for this account or this address."
    )


def sign_in_attempt_start(*, user: User | None, typed: str, client_address: str) -> Attempt:
    """Counts a sign-in try before the password is checked; Throttled when the account or the address is over."""
    return attempt_start(
        sign_in_rule(), subjects=sign_in_subjects(user=user, typed=typed, client_address=client_address)
    )


def sign_in_attempt_succeeded(attempt: Attempt) -> None:
    """The password was right: the try is given back, and the account's failures forgotten."""
    attempt_succeeded(attempt, forget=("account",))


def sign_in_attempts_clear(*, user: User | None, typed: str = "", client_address: str = "") -> None:
    subjects = {"account": _account(user, typed)}
    if client_address:
        subjects["address"] = client_address
    attempts_clear(sign_in_rule(), subjects=subjects)


def user_log_in_throttled(*, email: str, password: str, client_address: str) -> User:
    """`user_log_in`, refused with LOGIN_ATTEMPT_DELAYED after too many failures for the account or the address.

    Only wrong credentials count: a right password for an account not yet confirmed is not a guess.
    """
    user = user_by_email(email)
    try:
        attempt = sign_in_attempt_start(user=user, typed=normalize_email(email), client_address=client_address)
    except Throttled as throttled:
        # Saleor's answer: no field (the whole attempt is delayed, not the e-mail), LOGIN_ATTEMPT_DELAYED.
        raise DomainError(delayed_message(throttled), code=AccountErrorCode.LOGIN_ATTEMPT_DELAYED) from None
    try:
        signed_in = user_log_in(email=email, password=password)
    except DomainError as error:
        if not any(detail.code == AccountErrorCode.INVALID_CREDENTIALS for detail in error.details):
            attempt_succeeded(attempt)
        raise
    sign_in_attempt_succeeded(attempt)
    return signed_in


def password_reset_request_throttled(*, email: str, redirect_url: str, client_address: str) -> None:
    """`password_reset_request`, refused with LOGIN_ATTEMPT_DELAYED after too many requests from the address or
    for the e-mail address (whether or not it has an account, so the refusal tells nothing)."""
    try:
        attempt_start(password_reset_rule(), subjects={"address": client_address, "email": normalize_email(email)})
    except Throttled as throttled:
        raise DomainError(
            f"Too many password reset requests. Try again in {throttled.minutes} minutes.",
            code=AccountErrorCode.LOGIN_ATTEMPT_DELAYED,
            field="email",
        ) from None
    password_reset_request(email=email, redirect_url=redirect_url)
