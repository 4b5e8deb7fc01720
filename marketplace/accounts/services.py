"""Writes of accounts: registration, signing in, a shopper's saved addresses.

Each refuses with a `DomainError` whose codes are `AccountErrorCode`s, fields named as the storefront's
inputs name them.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from marketplace.accounts.error_codes import AccountErrorCode, AddressType
from marketplace.accounts.models import Address, Role, User
from marketplace.accounts.selectors import normalize_email, user_by_email
from marketplace.core.errors import DomainError, ErrorDetail, PermissionDenied
from marketplace.core.text import clean_text

LANGUAGE_CODES = ("vi", "en")
# Django's password validators' codes -> Saleor's.
PASSWORD_ERROR_CODES = {
    "password_too_short": AccountErrorCode.PASSWORD_TOO_SHORT,
    "password_too_common": AccountErrorCode.PASSWORD_TOO_COMMON,
    "password_entirely_numeric": AccountErrorCode.PASSWORD_ENTIRELY_NUMERIC,
    "password_too_similar": AccountErrorCode.PASSWORD_TOO_SIMILAR,
}


def _password_problems(password: str, user: User) -> list[ErrorDetail]:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        return [
            ErrorDetail(
                message, PASSWORD_ERROR_CODES.get(item.code or "", AccountErrorCode.INVALID_PASSWORD), "password"
            )
            for item in error.error_list
            for message in item.messages
        ]
    return []


def user_register(
    *, email: str, password: str, first_name: str = "", last_name: str = "", language_code: str = "vi"
) -> User:
    """A new, active consumer account signing in with `email` and `password` (checked by Django's validators)."""
    email = normalize_email(email)
    problems: list[ErrorDetail] = []
    try:
        validate_email(email)
    except ValidationError:
        problems.append(ErrorDetail("Enter a valid email address.", AccountErrorCode.INVALID, "email"))
    else:
        max_length = User._meta.get_field("email").max_length
        if max_length is not None and len(email) > max_length:
            problems.append(ErrorDetail("This e-mail address is too long.", AccountErrorCode.INVALID, "email"))
        elif user_by_email(email) is not None:
            problems.append(ErrorDetail("User with this Email already exists.", AccountErrorCode.UNIQUE, "email"))
    user = User(
        email=email,
        username=email,
        first_name=(clean_text(first_name) or "")[:150],
        last_name=(clean_text(last_name) or "")[:150],
        language_code=language_code if language_code in LANGUAGE_CODES else "vi",
        role=Role.CONSUMER,
        is_staff=False,
        is_active=True,
    )
    problems.extend(_password_problems(password, user))
    if problems:
        raise DomainError(details=problems)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # registered a moment ago by a request running alongside this one
        raise DomainError("User with this Email already exists.", code=AccountErrorCode.UNIQUE, field="email") from None
    return user


def user_log_in(*, email: str, password: str) -> User:
    """The user signing in with these credentials, its `last_login` updated; refused as Saleor refuses."""
    user = user_by_email(email)
    if user is None or not user.check_password(password):
        raise DomainError("Please, enter valid credentials", code=AccountErrorCode.INVALID_CREDENTIALS, field="email")
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
