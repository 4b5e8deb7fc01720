"""Saleor's `updateMetadata`, for the objects whose public metadata a storefront may write: checkouts (a
guest's for anyone holding the checkout's id, a signed-in buyer's for that buyer). Any other id is refused
with Saleor's `MetadataErrorCode.NOT_FOUND`."""

from __future__ import annotations

import binascii
from collections.abc import Callable
from typing import Any

import graphene
from graphql_relay import from_global_id

from marketplace.checkout import services as checkout_services
from marketplace.core.errors import DomainError
from marketplace.core.metadata import MetadataErrorCode
from storefront_api.checkout.mutations.base import get_checkout, user_of
from storefront_api.checkout.types import CheckoutView
from storefront_api.core.metadata import MetadataInput, metadata_input_to_dict
from storefront_api.core.mutations import BaseMutation, error_type
from storefront_api.meta.types import ObjectWithMetadata

MetadataError = error_type("MetadataError", graphene.Enum.from_enum(MetadataErrorCode, name="MetadataErrorCode"))


def _update_checkout(info: graphene.ResolveInfo, id: str, items: dict[str, str]) -> Any:
    try:
        checkout = get_checkout(id=id, user=user_of(info))
    except DomainError as error:  # the same refusal under Saleor's metadata codes
        detail = error.details[0]
        code = MetadataErrorCode.__members__.get(detail.code.name, MetadataErrorCode.INVALID)
        raise DomainError(detail.message, code=code, field="id") from None
    return CheckoutView(checkout_services.checkout_metadata_update(checkout=checkout, items=items))


# The types whose metadata may be written here, by the type name of their ids.
WRITERS: dict[str, Callable[[graphene.ResolveInfo, str, dict[str, str]], Any]] = {"Checkout": _update_checkout}


class UpdateMetadata(BaseMutation):
    """Updates metadata of an object (a checkout). Warning: never store sensitive information, including financial
    data such as credit card details."""

    item = graphene.Field(ObjectWithMetadata)
    errors = graphene.List(graphene.NonNull(MetadataError), required=True)
    metadata_errors = graphene.List(
        graphene.NonNull(MetadataError), required=True, deprecation_reason="Use `errors` field instead."
    )

    error_type = MetadataError

    class Arguments:
        id = graphene.ID(required=True, description="ID of an object to update.")
        input = graphene.List(
            graphene.NonNull(MetadataInput),
            required=True,
            description="Fields required to update the object's metadata.",
        )

    @classmethod
    def perform_mutation(cls, root: Any, info: graphene.ResolveInfo, id: str, input: list[Any]) -> UpdateMetadata:
        writer = WRITERS.get(_type_name(id))
        if writer is None:
            raise DomainError(
                f"Couldn't resolve to an item with metadata: {id}", code=MetadataErrorCode.NOT_FOUND, field="id"
            )
        return cls(item=writer(info, id, metadata_input_to_dict(input)), errors=[], metadata_errors=[])

    @classmethod
    def failure(cls, info: graphene.ResolveInfo, details: list[Any]) -> BaseMutation:
        payload = super().failure(info, details)
        payload.metadata_errors = payload.errors
        return payload


def _type_name(id: str) -> str:
    try:
        type_name, pk = from_global_id(id)
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError):
        type_name = pk = ""
    if not type_name or not pk:
        raise DomainError(f"Couldn't resolve id: {id}.", code=MetadataErrorCode.GRAPHQL_ERROR, field="id")
    return type_name
