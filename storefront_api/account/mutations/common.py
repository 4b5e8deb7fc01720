"""What the account mutations share: the signed-in user, the token issuer, an address by its id."""

from __future__ import annotations

import graphene
from django.urls import reverse

from marketplace.accounts.error_codes import AccountErrorCode
from marketplace.accounts.models import Address, User
from marketplace.core.errors import DomainError
from storefront_api.account.middleware import info_user
from storefront_api.account.types import AccountError
from storefront_api.core.ids import resolve_global_id
from storefront_api.core.mutations import permission_denied


def account_errors() -> graphene.List:
    """`errors: [AccountError!]!`, declared last in each payload as Saleor does."""
    return graphene.List(graphene.NonNull(AccountError), required=True)


def require_user(info: graphene.ResolveInfo) -> User:
    user = info_user(info)
    if user is None:
        raise permission_denied("You need one of the following permissions: AUTHENTICATED_USER")
    return user


def issuer(info: graphene.ResolveInfo) -> str:
    return info.context.build_absolute_uri(reverse("graphql"))


def address_by_id(value: str) -> Address:
    pk = resolve_global_id(value, only_type="Address", field="id")
    address = Address.objects.filter(pk=pk).first()
    if address is None:
        raise DomainError(f"Couldn't resolve to a node: {value}", code=AccountErrorCode.NOT_FOUND, field="id")
    return address
