"""checkoutEmailUpdate, checkoutShippingAddressUpdate, checkoutBillingAddressUpdate, checkoutLanguageCodeUpdate,
checkoutCustomerAttach, checkoutDeliveryMethodUpdate."""

import graphene

from marketplace.accounts.error_codes import AddressType
from marketplace.checkout import services
from marketplace.checkout.error_codes import CheckoutErrorCode
from marketplace.core.errors import DomainError, PermissionDenied
from storefront_api.account.types import AddressInput, address_input_to_values
from storefront_api.checkout.mutations.base import CheckoutMutation, get_checkout, user_of
from storefront_api.core.errors import StorefrontError
from storefront_api.core.ids import resolve_global_id
from storefront_api.core.types import LanguageCodeEnum

_ID = {"description": "The checkout's ID."}


class CheckoutEmailUpdate(CheckoutMutation):
    """Updates email address in the existing checkout object."""

    class Arguments:
        id = graphene.ID(**_ID)
        email = graphene.String(required=True, description="email.")

    @classmethod
    def perform_mutation(cls, root, info, email, id=None):
        return cls.done(services.checkout_email_update(checkout=get_checkout(id=id), email=email))


class CheckoutShippingAddressUpdate(CheckoutMutation):
    """Update shipping address in the existing checkout (province and commune of today's units)."""

    class Arguments:
        id = graphene.ID(**_ID)
        shipping_address = AddressInput(
            required=True, description="The mailing address to where the checkout will be shipped."
        )

    @classmethod
    def perform_mutation(cls, root, info, shipping_address, id=None):
        checkout = get_checkout(id=id)
        values = address_input_to_values(
            shipping_address, code_enum=CheckoutErrorCode, address_type=AddressType.SHIPPING
        )
        return cls.done(services.checkout_shipping_address_update(checkout=checkout, address_values=values))


class CheckoutBillingAddressUpdate(CheckoutMutation):
    """Update billing address in the existing checkout."""

    class Arguments:
        id = graphene.ID(**_ID)
        billing_address = AddressInput(required=True, description="The billing address of the checkout.")

    @classmethod
    def perform_mutation(cls, root, info, billing_address, id=None):
        checkout = get_checkout(id=id)
        values = address_input_to_values(
            billing_address, code_enum=CheckoutErrorCode, address_type=AddressType.BILLING, require_street=False
        )
        return cls.done(services.checkout_billing_address_update(checkout=checkout, address_values=values))


class CheckoutLanguageCodeUpdate(CheckoutMutation):
    """Update language code in the existing checkout."""

    class Arguments:
        id = graphene.ID(**_ID)
        language_code = graphene.Argument(LanguageCodeEnum, required=True, description="New language code.")

    @classmethod
    def perform_mutation(cls, root, info, language_code, id=None):
        code = getattr(language_code, "value", language_code)
        return cls.done(services.checkout_language_code_update(checkout=get_checkout(id=id), language_code=code))


class CheckoutCustomerAttach(CheckoutMutation):
    """Sets the customer as the owner of the checkout (the logged-in user)."""

    class Arguments:
        id = graphene.ID(**_ID)

    @classmethod
    def perform_mutation(cls, root, info, id=None):
        user = user_of(info)
        if user is None:
            raise PermissionDenied("Log in to attach the checkout to your account.")
        return cls.done(services.checkout_customer_attach(checkout=get_checkout(id=id), user=user))


class CheckoutDeliveryMethodUpdate(CheckoutMutation):
    """Updates the delivery method (a shipping method, or an outlet as collection point) of the checkout."""

    class Arguments:
        id = graphene.ID(**_ID)
        delivery_method_id = graphene.ID(description="Delivery Method ID (`Warehouse` ID or `ShippingMethod` ID).")

    @classmethod
    def perform_mutation(cls, root, info, id=None, delivery_method_id=None):
        checkout = get_checkout(id=id)
        if not delivery_method_id:
            raise DomainError(
                "Provide a delivery method id.", code=CheckoutErrorCode.REQUIRED, field="deliveryMethodId"
            )
        try:
            outlet_id = resolve_global_id(delivery_method_id, only_type="Warehouse", field="deliveryMethodId")
            return cls.done(services.checkout_delivery_method_update(checkout=checkout, outlet_id=outlet_id))
        except StorefrontError:
            pass
        try:
            method_id = resolve_global_id(delivery_method_id, only_type="ShippingMethod", field="deliveryMethodId")
        except StorefrontError as error:
            raise DomainError(
                "Must receive a Warehouse or a ShippingMethod id.",
                code=CheckoutErrorCode.GRAPHQL_ERROR,
                field="deliveryMethodId",
            ) from error
        return cls.done(services.checkout_delivery_method_update(checkout=checkout, shipping_method_id=method_id))
