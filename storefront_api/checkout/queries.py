import graphene

from marketplace.checkout.selectors import checkout_by_token
from storefront_api.checkout.mutations.checkout_complete import CheckoutComplete
from storefront_api.checkout.mutations.checkout_create import CheckoutCreate
from storefront_api.checkout.mutations.checkout_details import (
    CheckoutBillingAddressUpdate,
    CheckoutCustomerAttach,
    CheckoutDeliveryMethodUpdate,
    CheckoutEmailUpdate,
    CheckoutLanguageCodeUpdate,
    CheckoutShippingAddressUpdate,
)
from storefront_api.checkout.mutations.checkout_lines import CheckoutLinesAdd, CheckoutLinesDelete, CheckoutLinesUpdate
from storefront_api.checkout.types import CheckoutType, CheckoutView
from storefront_api.core.ids import resolve_global_uuid


class CheckoutQueries(graphene.ObjectType):
    checkout = graphene.Field(
        CheckoutType,
        id=graphene.ID(description="The checkout's ID."),
        token=graphene.UUID(description="The checkout's token.", deprecation_reason="Use `id` instead."),
        description="Look up a checkout by id (anyone holding the id may read it, as in Saleor).",
    )

    @staticmethod
    def resolve_checkout(root, info, id=None, token=None):
        if token is None:
            if not id:
                return None
            token = resolve_global_uuid(id, only_type="Checkout", field="id")
        checkout = checkout_by_token(token=token)
        return CheckoutView(checkout) if checkout is not None else None


class CheckoutMutations(graphene.ObjectType):
    checkout_create = CheckoutCreate.Field()
    checkout_lines_add = CheckoutLinesAdd.Field()
    checkout_lines_update = CheckoutLinesUpdate.Field()
    checkout_lines_delete = CheckoutLinesDelete.Field()
    checkout_email_update = CheckoutEmailUpdate.Field()
    checkout_shipping_address_update = CheckoutShippingAddressUpdate.Field()
    checkout_billing_address_update = CheckoutBillingAddressUpdate.Field()
    checkout_language_code_update = CheckoutLanguageCodeUpdate.Field()
    checkout_customer_attach = CheckoutCustomerAttach.Field()
    checkout_delivery_method_update = CheckoutDeliveryMethodUpdate.Field()
    checkout_complete = CheckoutComplete.Field()
