"""Reads of accounts: users by their sign-in e-mail, a user's saved addresses."""

from __future__ import annotations

from django.db.models import QuerySet

from marketplace.accounts.models import Address, User


def normalize_email(email: str) -> str:
    """E-mail addresses are compared and stored in lower case, without surrounding space."""
    return email.strip().lower()


def user_by_email(email: str) -> User | None:
    return User.objects.filter(email__iexact=normalize_email(email)).first()


def user_by_username(username: str) -> User | None:
    """The user the consoles' sign-in form names (Django's `USERNAME_FIELD`, compared as its backend does)."""
    return User.objects.filter(username=username).first() if username else None


def user_by_pk(pk: int) -> User | None:
    """The user with its default addresses joined (the storefront shows them with the account)."""
    return User.objects.select_related("default_shipping_address", "default_billing_address").filter(pk=pk).first()


def user_addresses(user: User) -> QuerySet[Address]:
    """The user's saved addresses, oldest first."""
    return user.addresses.order_by("pk")
