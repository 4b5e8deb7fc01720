import graphene

from marketplace.checkout.selectors import checkout_by_token, checkout_open_to
from storefront_api.account.middleware import info_user
from storefront_api.checkout.types import CheckoutType, CheckoutView
from storefront_api.core.descriptions import DEPRECATED_INPUT_USE_ID
from storefront_api.core.ids import resolve_global_uuid


class CheckoutQueries(graphene.ObjectType):
    checkout = graphene.Field(
        CheckoutType,
        id=graphene.ID(description="The checkout's ID."),
        token=graphene.UUID(description=f"The checkout's token.{DEPRECATED_INPUT_USE_ID}"),
        description="Look up a checkout by id: a guest's checkout for anyone holding its id, a signed-in buyer's for "
        "that buyer (and operators), as in Saleor.",
    )

    @staticmethod
    def resolve_checkout(root, info, id=None, token=None):
        """A guest's checkout for anyone holding its id; a signed-in buyer's for that buyer and operators, as
        Saleor's `resolve_checkout` answers (`checkout_open_to`)."""
        if token is None:
            if not id:
                return None
            token = resolve_global_uuid(id, only_type="Checkout", field="id")
        checkout = checkout_by_token(token=token)
        if checkout is None or not checkout_open_to(checkout=checkout, user=info_user(info), change=False):
            return None
        return CheckoutView(checkout)
