"""What every checkout mutation shares: the checkout found by its id, and errors as `CheckoutError`."""

from __future__ import annotations

import uuid
from typing import Any

import graphene

from marketplace.checkout.error_codes import CheckoutErrorCode
from marketplace.checkout.models import Checkout
from marketplace.checkout.selectors import checkout_by_token, checkout_open_to
from marketplace.core.errors import DomainError
from storefront_api.account.middleware import info_user
from storefront_api.checkout.types import CheckoutError, CheckoutType, CheckoutView
from storefront_api.core.errors import StorefrontError
from storefront_api.core.ids import resolve_global_uuid
from storefront_api.core.mutations import BaseMutation

_UNSET: Any = object()


def checkout_token_from(*, id: str | None, token: uuid.UUID | None = None, user: Any = _UNSET) -> uuid.UUID:
    """The token the arguments name; with `user`, only of a checkout that user may change (else NOT_FOUND)."""
    if token is None:
        if not id:
            raise DomainError("Provide the checkout id.", code=CheckoutErrorCode.REQUIRED, field="id")
        try:
            token = resolve_global_uuid(id, only_type="Checkout", field="id")
        except StorefrontError as error:
            raise DomainError(error.message, code=CheckoutErrorCode.GRAPHQL_ERROR, field="id") from None
    if user is not _UNSET:
        get_checkout(id=id, token=token, user=user)
    return token


def find_checkout(*, id: str | None, token: uuid.UUID | None = None) -> Checkout:
    """The checkout the arguments name, whoever's it is: for the mutations whose service checks the owner."""
    checkout = checkout_by_token(token=checkout_token_from(id=id, token=token))
    if checkout is None:
        raise DomainError(f"Couldn't resolve to a node: {id or token}", code=CheckoutErrorCode.NOT_FOUND, field="id")
    return checkout


def get_checkout(*, id: str | None, token: uuid.UUID | None = None, user: Any) -> Checkout:
    """The checkout the arguments name, if `user` (None for a guest) may change it: a signed-in buyer's
    checkout is theirs alone (`checkout_open_to`). Another's answers as a checkout that does not exist."""
    checkout = find_checkout(id=id, token=token)
    if not checkout_open_to(checkout=checkout, user=user, change=True):
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
    def done(cls, checkout: Checkout, *, read_again: bool = True) -> CheckoutMutation:
        """The payload: the checkout read again after the change, with what its type shows joined.

        `read_again=False` shows `checkout` as it is: for a service that read it, locked, in the transaction of
        the change, with the same relations joined (`services._locked`)."""
        if read_again:
            checkout = find_checkout(id=None, token=checkout.pk)
        return cls(checkout=CheckoutView(checkout), errors=[])
