from __future__ import annotations

import binascii
import uuid
from typing import Any

import graphene
from graphql_relay import from_global_id

from marketplace.checkout import services
from marketplace.checkout.error_codes import CheckoutErrorCode
from marketplace.core.errors import DomainError
from storefront_api.checkout.mutations.base import CheckoutMutation, get_checkout, user_of
from storefront_api.core.descriptions import DEPRECATED_INPUT_USE_ID
from storefront_api.core.errors import StorefrontError
from storefront_api.core.ids import resolve_global_id


class CheckoutRemovePromoCode(CheckoutMutation):
    """Removes the voucher from the checkout, named by its code (`promoCode`) or by the voucher's ID
    (`promoCodeId`): one of the two."""

    class Arguments:
        id = graphene.ID(description="The checkout's ID.")
        token = graphene.UUID(description=f"Checkout token.{DEPRECATED_INPUT_USE_ID}")
        checkout_id = graphene.ID(description=f"The ID of the checkout.{DEPRECATED_INPUT_USE_ID}")
        promo_code = graphene.String(description="Gift card code or voucher code.")
        promo_code_id = graphene.ID(description="Gift card or voucher ID.")

    @classmethod
    def perform_mutation(
        cls,
        root: Any,
        info: graphene.ResolveInfo,
        id: str | None = None,
        token: uuid.UUID | None = None,
        checkout_id: str | None = None,
        promo_code: str | None = None,
        promo_code_id: str | None = None,
    ) -> CheckoutMutation:
        if promo_code is not None and promo_code_id is not None:
            raise DomainError(
                "Argument 'promoCode' cannot be combined with 'promoCodeId'", code=CheckoutErrorCode.GRAPHQL_ERROR
            )
        if promo_code is None and promo_code_id is None:
            raise DomainError(
                "At least one of arguments is required: 'promoCode', 'promoCodeId'.",
                code=CheckoutErrorCode.GRAPHQL_ERROR,
            )
        checkout = get_checkout(user=user_of(info), id=id or checkout_id, token=token)
        voucher_id = None
        if promo_code_id is not None:
            voucher_id = _voucher_pk(promo_code_id)
        return cls.done(
            services.checkout_remove_promo_code(checkout=checkout, promo_code=promo_code, voucher_id=voucher_id)
        )


def _voucher_pk(value: str) -> int:
    """The voucher's pk; as Saleor, an id that does not parse is a GRAPHQL_ERROR, another type's id NOT_FOUND."""
    try:
        type_name, _ = from_global_id(value)
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError):
        type_name = ""
    try:
        return resolve_global_id(value, only_type="Voucher", field="promoCodeId")
    except StorefrontError as error:
        wrong_type = bool(type_name) and type_name != "Voucher"
        raise DomainError(
            "Must receive Voucher or GiftCard id." if wrong_type else error.message,
            code=CheckoutErrorCode.NOT_FOUND if wrong_type else CheckoutErrorCode.GRAPHQL_ERROR,
            field="promoCodeId",
        ) from None
