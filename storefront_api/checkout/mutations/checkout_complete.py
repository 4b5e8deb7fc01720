import graphene

from payments.checkout import checkout_complete
from storefront_api.checkout.mutations.base import checkout_token_from, user_of
from storefront_api.checkout.types import CheckoutError
from storefront_api.core.descriptions import DEPRECATED_INPUT_USE_ID
from storefront_api.core.mutations import BaseMutation


class CheckoutComplete(BaseMutation):
    """Completes the checkout: allocates stock and places the order, paid by card (fully charged
    transactions) or with cash chosen at pickup / on delivery. Completing again returns the same order."""

    order = graphene.Field("storefront_api.order.types.OrderType", description="Placed order.")
    confirmation_needed = graphene.Boolean(required=True, default_value=False)
    confirmation_data = graphene.JSONString()
    errors = graphene.List(graphene.NonNull(CheckoutError), required=True)

    error_type = CheckoutError

    class Arguments:
        id = graphene.ID(description="The checkout's ID.")
        token = graphene.UUID(description=f"Checkout token.{DEPRECATED_INPUT_USE_ID}")
        payment_data = graphene.JSONString(description="Accepted for Saleor clients; unused.")
        redirect_url = graphene.String(description="Accepted for Saleor clients; unused.")
        store_source = graphene.Boolean(default_value=False, description="Accepted for Saleor clients; unused.")

    @classmethod
    def perform_mutation(cls, root, info, id=None, token=None, **unused):
        from storefront_api.order.types import reveal_buyer_details

        user = user_of(info)
        order = checkout_complete(token=checkout_token_from(id=id, token=token, user=user), user=user)
        # Who completes the checkout is its buyer: the answer shows the order in full, its pickup code too.
        return cls(order=reveal_buyer_details(order), confirmation_needed=False, confirmation_data=None, errors=[])
