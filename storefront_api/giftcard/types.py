"""Saleor's `GiftCard`, for clients that ask for a checkout's gift cards: this shop sells none, so no gift card
ever exists and `Checkout.giftCards` is always empty. The type keeps Saleor's fields a storefront reads."""

from __future__ import annotations

import graphene

from storefront_api.core.types import Money
from storefront_api.meta.types import ObjectWithMetadata


class GiftCard(graphene.ObjectType):
    """A gift card (none exist here)."""

    display_code = graphene.String(
        required=True, description="Code in format which allows displaying in a user interface."
    )
    last_4_code_chars = graphene.String(
        name="last4CodeChars", required=True, description="Last 4 characters of gift card code."
    )
    code = graphene.String(required=True, description="Gift card code.")
    created = graphene.DateTime(required=True, description="Date and time when gift card was created.")
    created_by = graphene.Field(
        "storefront_api.account.types.UserType", description="The user who bought or issued a gift card."
    )
    created_by_email = graphene.String(description="Email address of the user who bought or issued gift card.")
    last_used_on = graphene.DateTime(description="Date and time when gift card was last used.")
    expiry_date = graphene.Date(description="Expiry date of the gift card.")
    bought_in_channel = graphene.String(description="Slug of the channel where the gift card was bought.")
    is_active = graphene.Boolean(required=True)
    initial_balance = graphene.Field(Money, required=True)
    current_balance = graphene.Field(Money, required=True)

    class Meta:
        interfaces = (graphene.relay.Node, ObjectWithMetadata)
