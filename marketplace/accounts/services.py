"""Writes of accounts: registration and its confirmation, signing in, passwords, the profile, deletion, and a
shopper's saved addresses.

Each refuses with a `DomainError` whose codes are `AccountErrorCode`s, fields named as the storefront's
inputs name them. The e-mails (confirmation, password reset, deletion) are queued on commit; their links
are the client's `redirect_url`, checked against `ALLOWED_CLIENT_HOSTS`, with a one-time token added
(`marketplace.accounts.tokens`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.http.request import split_domain_port, validate_host
from django.utils import timezone

from marketplace.accounts import signals, tasks
from marketplace.accounts.error_codes import AccountErrorCode, AddressType
from marketplace.accounts.models import Address, Role, User
from marketplace.accounts.selectors import normalize_email, user_by_email
from marketplace.accounts.tokens import account_confirmation_tokens, account_deletion_tokens, password_reset_tokens
from marketplace.core.errors import DomainError, ErrorDetail, PermissionDenied
from marketplace.core.text import clean_text
from marketplace.outbox.services import enqueue

LANGUAGE_CODES = ("vi", "en")
INVALID_TOKEN = "Invalid or expired token."
METADATA_KEY_MAX_LENGTH = 256
# Django's password validators' codes -> Saleor's.
PASSWORD_ERROR_CODES = {
    "password_too_short": AccountErrorCode.PASSWORD_TOO_SHORT,
    "password_too_common": AccountErrorCode.PASSWORD_TOO_COMMON,
    "password_entirely_numeric": AccountErrorCode.PASSWORD_ENTIRELY_NUMERIC,
    "password_too_similar": AccountErrorCode.PASSWORD_TOO_SIMILAR,
}


def _password_problems(password: str, user: User, *, field: str = "password") -> list[ErrorDetail]:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        return [
            ErrorDetail(message, PASSWORD_ERROR_CODES.get(item.code or "", AccountErrorCode.INVALID_PASSWORD), field)
            for item in error.error_list
            for message in item.messages
        ]
    return []


def user_language_code(code: str | None) -> str:
    """The language a user's texts are in, from any language tag: Vietnamese for `vi*`, English for the rest
    (a shopper who reads Polish reads English sooner than Vietnamese); Vietnamese when none is given."""
    if not code:
        return "vi"
    return "vi" if code.lower().replace("_", "-").split("-")[0] == "vi" else "en"


def check_redirect_url(url: str, *, field: str = "redirectUrl") -> str:
    """`url` if it may be put into an account e-mail: http(s) to a host in `ALLOWED_CLIENT_HOSTS`."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        parts, host = None, ""
    if parts is None or parts.scheme not in ("http", "https") or not host:
        raise DomainError(
            "Invalid URL. Please check if URL is in RFC 1808 format.", code=AccountErrorCode.INVALID, field=field
        )
    domain, _port = split_domain_port(parts.netloc.rsplit("@", 1)[-1])
    if not validate_host(domain or host, settings.ALLOWED_CLIENT_HOSTS):
        raise DomainError(
            f"{host} is not allowed. Please check `ALLOWED_CLIENT_HOSTS` configuration.",
            code=AccountErrorCode.INVALID,
            field=field,
        )
    return url


def _metadata(items: Mapping[str, str] | None, *, field: str = "metadata") -> dict[str, str]:
    """Metadata as given, its keys checked: not blank, not overlong."""
    metadata = dict(items or {})
    for key in metadata:
        if not key.strip():
            raise DomainError("Metadata key cannot be empty.", code=AccountErrorCode.REQUIRED, field=field)
        if len(key) > METADATA_KEY_MAX_LENGTH:
            raise DomainError("Metadata key is too long.", code=AccountErrorCode.INVALID, field=field)
    return metadata


@dataclasses.dataclass(frozen=True)
class Registration:
    """What registering answers: the user built from the input (saved only if the e-mail was free, and the
    caller is not told which), and whether the address must be confirmed before signing in."""

    user: User
    requires_confirmation: bool


def user_register(
    *,
    email: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    language_code: str = "vi",
    redirect_url: str | None = None,
    metadata: Mapping[str, str] | None = None,
) -> Registration:
    """A new consumer account signing in with `email` and `password` (checked by Django's validators).

    When `ENABLE_ACCOUNT_CONFIRMATION_BY_EMAIL` is on, the account starts unconfirmed and an e-mail with a
    link to `redirect_url?email=…&token=…` is queued (`redirect_url` is then required). An e-mail address
    that already has an account is answered exactly as a free one and nothing is saved or sent: registering
    must not tell anyone whose address has an account here.
    """
    email = normalize_email(email)
    confirm = bool(settings.ENABLE_ACCOUNT_CONFIRMATION_BY_EMAIL)
    problems: list[ErrorDetail] = []
    if confirm:
        if not redirect_url:
            problems.append(ErrorDetail("This field is required.", AccountErrorCode.REQUIRED, "redirectUrl"))
        else:
            try:
                check_redirect_url(redirect_url)
            except DomainError as error:
                problems.extend(error.details)
    try:
        validate_email(email)
    except ValidationError:
        problems.append(ErrorDetail("Enter a valid email address.", AccountErrorCode.INVALID, "email"))
    else:
        max_length = User._meta.get_field("email").max_length
        if max_length is not None and len(email) > max_length:
            problems.append(ErrorDetail("This e-mail address is too long.", AccountErrorCode.INVALID, "email"))
    try:
        clean_metadata = _metadata(metadata)
    except DomainError as error:
        problems.extend(error.details)
        clean_metadata = {}
    user = User(
        email=email,
        username=email,
        first_name=(clean_text(first_name) or "")[:150],
        last_name=(clean_text(last_name) or "")[:150],
        language_code=user_language_code(language_code),
        role=Role.CONSUMER,
        is_staff=False,
        is_active=True,
        is_confirmed=not confirm,
        metadata=clean_metadata,
    )
    problems.extend(_password_problems(password, user))
    if problems:
        raise DomainError(details=problems)
    user.set_password(password)  # hashed in every case, so that a taken address takes as long as a free one
    if user_by_email(email) is None:
        try:
            with transaction.atomic():
                user.save()
                if confirm:  # the e-mail's outbox job commits with the account
                    enqueue(tasks.send_account_confirmation_task, user.pk, str(redirect_url))
        except IntegrityError:  # registered a moment ago by a request running alongside this one
            pass
    return Registration(user=user, requires_confirmation=confirm)


def _user_for_token(email: str) -> User:
    """The user a token is checked against: the account of `email`, or an unsaved stand-in that no token
    matches (the answer must not tell whether the address has an account)."""
    return user_by_email(email) or User(email=normalize_email(email))


@transaction.atomic
def account_confirm(*, email: str, token: str) -> User:
    """Confirms the account of `email` with the token from its confirmation e-mail."""
    user = _user_for_token(email)
    if (
        user.pk is None
        or not user.is_active
        or user.is_confirmed
        or not account_confirmation_tokens.check_token(user, token)
    ):
        raise DomainError(INVALID_TOKEN, code=AccountErrorCode.INVALID, field="token")
    user.is_confirmed = True
    user.save(update_fields=["is_confirmed"])
    signals.email_confirmed.send(sender=User, user=user)
    return user


def password_reset_request(*, email: str, redirect_url: str) -> None:
    """Queues an e-mail with a link to `redirect_url?email=…&token=…` for choosing a new password.

    Only the link is checked: whether the address has an active account, or asked already within
    `RESET_PASSWORD_LOCK_SECONDS`, changes what is sent, never the answer.
    """
    check_redirect_url(redirect_url)
    user = user_by_email(email)
    if user is None or not user.is_active:
        return
    now = timezone.now()
    lock_since = now - timedelta(seconds=settings.RESET_PASSWORD_LOCK_SECONDS)
    with transaction.atomic():
        # One conditional UPDATE claims the request, so two requests at once send one e-mail.
        claimed = (
            User.objects.filter(pk=user.pk)
            .exclude(last_password_reset_request__gt=lock_since)
            .update(last_password_reset_request=now)
        )
        if claimed:
            enqueue(tasks.send_password_reset_task, user.pk, redirect_url)


@transaction.atomic
def password_reset_set(*, email: str, token: str, password: str) -> User:
    """Sets a new password with the token from the password reset e-mail; the user's earlier tokens stop working.

    Following the e-mailed link proves the address, so an unconfirmed account is confirmed as well.
    """
    user = _user_for_token(email)
    if user.pk is None or not user.is_active or not password_reset_tokens.check_token(user, token):
        raise DomainError(INVALID_TOKEN, code=AccountErrorCode.INVALID, field="token")
    problems = _password_problems(password, user)
    if problems:
        raise DomainError(details=problems)
    was_confirmed = user.is_confirmed
    user.set_password(password)
    user.is_confirmed = True
    user.save(update_fields=["password", "jwt_token_key", "is_confirmed"])
    if not was_confirmed:
        signals.email_confirmed.send(sender=User, user=user)
    return user


def password_change(*, user: User, old_password: str | None, new_password: str) -> User:
    """A new password for the signed-in `user`, who proves to know the old one."""
    if old_password is None:
        make_password("an unusable password takes as long to refuse")
        if user.has_usable_password():
            raise DomainError(
                "Old password isn't valid.", code=AccountErrorCode.INVALID_CREDENTIALS, field="oldPassword"
            )
    elif not user.check_password(old_password):
        raise DomainError("Old password isn't valid.", code=AccountErrorCode.INVALID_CREDENTIALS, field="oldPassword")
    problems = _password_problems(new_password, user, field="newPassword")
    if problems:
        raise DomainError(details=problems)
    user.set_password(new_password)
    user.save(update_fields=["password", "jwt_token_key"])
    return user


@transaction.atomic
def account_update(
    *,
    user: User,
    first_name: str | None = None,
    last_name: str | None = None,
    language_code: str | None = None,
    default_billing_address: Mapping[str, str] | None = None,
    default_shipping_address: Mapping[str, str] | None = None,
    metadata: Mapping[str, str] | None = None,
) -> User:
    """Changes what is given of the signed-in user's profile; `None` leaves a field as it is.

    A default address is given as validated `Address` values (see `address_validation.validate_address`):
    it is saved among the user's addresses and becomes the default of its kind, as in Saleor. Metadata
    keys given are set, the others kept.
    """
    fields: list[str] = []
    clean_metadata = _metadata(metadata) if metadata is not None else None
    if first_name is not None:
        user.first_name = (clean_text(first_name) or "")[:150]
        fields.append("first_name")
    if last_name is not None:
        user.last_name = (clean_text(last_name) or "")[:150]
        fields.append("last_name")
    if language_code is not None:
        user.language_code = user_language_code(language_code)
        fields.append("language_code")
    if clean_metadata:
        user.metadata = {**(user.metadata or {}), **clean_metadata}
        fields.append("metadata")
    if fields:
        user.save(update_fields=fields)
    if default_billing_address is not None:
        address_create(user=user, values=default_billing_address, address_type=AddressType.BILLING)
    if default_shipping_address is not None:
        address_create(user=user, values=default_shipping_address, address_type=AddressType.SHIPPING)
    return user


def _check_deletable(user: User) -> None:
    if user.is_staff or user.is_superuser or user.role != Role.CONSUMER:
        raise DomainError("Cannot delete a staff account.", code=AccountErrorCode.DELETE_STAFF_ACCOUNT)


def account_deletion_request(*, user: User, redirect_url: str) -> None:
    """Queues an e-mail with a link to `redirect_url?token=…` that confirms deleting the signed-in account."""
    _check_deletable(user)
    check_redirect_url(redirect_url)
    enqueue(tasks.send_account_deletion_task, user.pk, redirect_url)


@transaction.atomic
def account_delete(*, user: User, token: str) -> None:
    """Deletes the signed-in account with the token from its deletion e-mail.

    The account and its saved addresses go, and so do its open checkouts with theirs. Orders stay, with the e-mail,
    names and addresses copied onto them when they were placed (their `user` becomes empty); so do the
    records that name the user as their author (events, payments), whose link becomes empty.
    """
    _check_deletable(user)
    if not account_deletion_tokens.check_token(user, token):
        raise DomainError(INVALID_TOKEN, code=AccountErrorCode.INVALID, field="token")
    address_ids = set(user.addresses.values_list("pk", flat=True))
    for shipping_id, billing_id in user.checkouts.values_list("shipping_address_id", "billing_address_id"):
        address_ids.update(pk for pk in (shipping_id, billing_id) if pk is not None)
    user.delete()
    Address.objects.filter(pk__in=address_ids).delete()


def user_log_in(*, email: str, password: str) -> User:
    """The user signing in with these credentials, its `last_login` updated; refused as Saleor refuses."""
    user = user_by_email(email)
    if user is None or not user.check_password(password):
        raise DomainError("Please, enter valid credentials", code=AccountErrorCode.INVALID_CREDENTIALS, field="email")
    if not user.is_confirmed and settings.ENABLE_ACCOUNT_CONFIRMATION_BY_EMAIL:
        raise DomainError(
            "Account needs to be confirmed via email.", code=AccountErrorCode.ACCOUNT_NOT_CONFIRMED, field="email"
        )
    if not user.is_active:
        raise DomainError("Account inactive.", code=AccountErrorCode.INACTIVE, field="email")
    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])
    return user


def user_set_password(*, user: User, password: str) -> User:
    """A new password (checked by Django's validators); the user's earlier tokens stop working."""
    problems = _password_problems(password, user)
    if problems:
        raise DomainError(details=problems)
    user.set_password(password)
    user.save(update_fields=["password", "jwt_token_key"])
    return user


def _set_default(user: User, address: Address, address_type: AddressType) -> None:
    if address_type == AddressType.SHIPPING:
        user.default_shipping_address = address
        user.save(update_fields=["default_shipping_address"])
    else:
        user.default_billing_address = address
        user.save(update_fields=["default_billing_address"])


def _check_owner(user: User, address: Address) -> None:
    if not user.addresses.filter(pk=address.pk).exists():
        raise PermissionDenied("You do not have permission to perform this action")


@transaction.atomic
def address_create(*, user: User, values: Mapping[str, str], address_type: AddressType | None = None) -> Address:
    """A saved address of `user` from validated `values` (see `address_validation.validate_address`),
    made its default of `address_type` if one is given."""
    address = Address.objects.create(**values)
    user.addresses.add(address)
    if address_type is not None:
        _set_default(user, address, address_type)
    return address


@transaction.atomic
def address_update(*, user: User, address: Address, values: Mapping[str, str]) -> Address:
    _check_owner(user, address)
    for name, value in values.items():
        setattr(address, name, value)
    address.save()
    return address


@transaction.atomic
def address_delete(*, user: User, address: Address) -> None:
    """Deletes a saved address; a checkout or order that used it keeps its own copy (or loses the link)."""
    _check_owner(user, address)
    pk = address.pk
    address.delete()  # the user's defaults are SET_NULL in the database; the same on `user`:
    for name in ("default_shipping_address_id", "default_billing_address_id"):
        if getattr(user, name) == pk:
            setattr(user, name, None)


@transaction.atomic
def user_set_default_address(*, user: User, address: Address, address_type: AddressType) -> User:
    if not user.addresses.filter(pk=address.pk).exists():
        raise DomainError("The address doesn't belong to that user.", code=AccountErrorCode.INVALID, field="id")
    _set_default(user, address, address_type)
    return user
