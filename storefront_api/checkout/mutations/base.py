"""What every checkout mutation shares: the checkout found by its id, and errors as `CheckoutError`."""

from __future__ import annotations

import uuid
from typing import Any

import graphene

from marketplace.checkout.error_codes import CheckoutErrorCode
from marketplace.checkout.models import Checkout
from marketplace.checkout.selectors import checkout_by_token
from marketplace.core.errors import DomainError
from storefront_api.account.middleware import info_user
from storefront_api.checkout.types import CheckoutError, CheckoutType, CheckoutView
from storefront_api.core.errors import StorefrontError
from storefront_api.core.ids import resolve_global_uuid
from storefront_api.core.mutations import BaseMutation


def checkout_token_from(*, id: str | None, token: uuid.UUID | None = None) -> uuid.UUID:
    if token is not None:
        return token
    if not id:
        raise DomainError("Provide the checkout id.", code=CheckoutErrorCode.REQUIRED, field="id")
    try:
        return resolve_global_uuid(id, only_type="Checkout", field="id")
    except StorefrontError as error:
        raise DomainError(error.message, code=CheckoutErrorCode.GRAPHQL_ERROR, field="id") from None


def get_checkout(*, id: str | None, token: uuid.UUID | None = None) -> Checkout:
    checkout = checkout_by_token(token=checkout_token_from(id=id, token=token))
    if checkout is None:
        raise DomainError(f"Couldn't resolve to a node: {id or token}", code=CheckoutErrorCode.NOT_FOUND, field="id")
    return checkout


def user_of(info: graphene.ResolveInfo) -> Any:
    """The signed-in user, None for guests (a bad or expired token is a GraphQL error, as in Saleor)."""
    return info_user(info)


class CheckoutMutation(BaseMutation):
    """Returns `checkout` (re-read after the change) and `errors`."""

    checkout = graphene.Field(CheckoutType)
    errors = graphene.List(graphene.NonNull(CheckoutError), required=True)

    error_type = CheckoutError

    class Meta:
        abstract = True

    @classmethod
    def done(cls, checkout: Checkout) -> CheckoutMutation:
        """The payload: the checkout read again after the change, with what its type shows joined."""
        return cls(checkout=CheckoutView(get_checkout(id=None, token=checkout.pk)), errors=[])
