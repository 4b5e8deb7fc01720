import graphene

from storefront_api.account.types import AddressInput
from storefront_api.core.types import LanguageCodeEnum


class CheckoutLineInput(graphene.InputObjectType):
    quantity = graphene.Int(required=True, description="The number of items purchased.")
    variant_id = graphene.ID(required=True, description="ID of the product variant.")
    force_new_line = graphene.Boolean(
        default_value=False, description="Accepted for Saleor clients; a variant always has one line here."
    )


class CheckoutLineUpdateInput(graphene.InputObjectType):
    variant_id = graphene.ID(description="ID of the product variant (or use lineId).")
    quantity = graphene.Int(description="The number of items purchased. 0 removes the line.")
    line_id = graphene.ID(description="ID of the line.")


class CheckoutCreateInput(graphene.InputObjectType):
    channel = graphene.String(description="Slug of a channel in which to create a checkout.")
    lines = graphene.List(graphene.NonNull(CheckoutLineInput), description="A list of checkout lines.")
    email = graphene.String(description="The customer's email address.")
    shipping_address = graphene.Field(
        AddressInput, description="The mailing address to where the checkout will be shipped."
    )
    billing_address = graphene.Field(AddressInput, description="Billing address of the customer.")
    language_code = graphene.Field(LanguageCodeEnum, description="Checkout language code.")
