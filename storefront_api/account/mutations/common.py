"""What the account mutations share: the signed-in user, the token issuer, an address by its id, the channel
to notify through, a language tag's value."""

from __future__ import annotations

from typing import Any

import graphene
from django.urls import reverse
from django.utils.translation import get_language_from_request

from marketplace.accounts.error_codes import AccountErrorCode
from marketplace.accounts.models import Address, User
from marketplace.channel.selectors import channel_by_slug
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


def check_channel(slug: str | None) -> None:
    """Saleor's check of the `channel` a notification names: it must exist and be active (none given: ours)."""
    if not slug:
        return
    channel = channel_by_slug(slug=slug)
    if channel is None:
        raise DomainError(
            f"Channel with '{slug}' slug does not exist.", code=AccountErrorCode.NOT_FOUND, field="channel"
        )
    if not channel.is_active:
        raise DomainError(
            f"Channel with '{slug}' is inactive.", code=AccountErrorCode.CHANNEL_INACTIVE, field="channel"
        )


def language_value(value: Any) -> str | None:
    """The language tag a `LanguageCodeEnum` argument carries (its value, e.g. "en-us"), None when not given."""
    if value is None:
        return None
    return str(getattr(value, "value", value))


def request_language(info: graphene.ResolveInfo) -> str:
    """The language the client asks in (Accept-Language or the language cookie)."""
    return get_language_from_request(info.context)
