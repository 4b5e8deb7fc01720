import graphene

from storefront_api.checkout.mutations.checkout_add_promo_code import CheckoutAddPromoCode
from storefront_api.checkout.mutations.checkout_billing_address_update import CheckoutBillingAddressUpdate
from storefront_api.checkout.mutations.checkout_complete import CheckoutComplete
from storefront_api.checkout.mutations.checkout_create import CheckoutCreate
from storefront_api.checkout.mutations.checkout_customer_attach import CheckoutCustomerAttach
from storefront_api.checkout.mutations.checkout_customer_detach import CheckoutCustomerDetach
from storefront_api.checkout.mutations.checkout_delivery_method_update import CheckoutDeliveryMethodUpdate
from storefront_api.checkout.mutations.checkout_email_update import CheckoutEmailUpdate
from storefront_api.checkout.mutations.checkout_language_code_update import CheckoutLanguageCodeUpdate
from storefront_api.checkout.mutations.checkout_line_delete import CheckoutLineDelete
from storefront_api.checkout.mutations.checkout_lines_add import CheckoutLinesAdd
from storefront_api.checkout.mutations.checkout_lines_delete import CheckoutLinesDelete
from storefront_api.checkout.mutations.checkout_lines_update import CheckoutLinesUpdate
from storefront_api.checkout.mutations.checkout_remove_promo_code import CheckoutRemovePromoCode
from storefront_api.checkout.mutations.checkout_shipping_address_update import CheckoutShippingAddressUpdate
from storefront_api.checkout.mutations.delivery_options_calculate import DeliveryOptionsCalculate


class CheckoutMutations(graphene.ObjectType):
    checkout_create = CheckoutCreate.Field()
    checkout_lines_add = CheckoutLinesAdd.Field()
    checkout_lines_update = CheckoutLinesUpdate.Field()
    checkout_lines_delete = CheckoutLinesDelete.Field()
    checkout_line_delete = CheckoutLineDelete.Field(deprecation_reason="Use `checkoutLinesDelete` instead.")
    checkout_email_update = CheckoutEmailUpdate.Field()
    checkout_shipping_address_update = CheckoutShippingAddressUpdate.Field()
    checkout_billing_address_update = CheckoutBillingAddressUpdate.Field()
    checkout_language_code_update = CheckoutLanguageCodeUpdate.Field()
    checkout_customer_attach = CheckoutCustomerAttach.Field()
    checkout_customer_detach = CheckoutCustomerDetach.Field()
    checkout_delivery_method_update = CheckoutDeliveryMethodUpdate.Field()
    delivery_options_calculate = DeliveryOptionsCalculate.Field()
    checkout_add_promo_code = CheckoutAddPromoCode.Field()
    checkout_remove_promo_code = CheckoutRemovePromoCode.Field()
    checkout_complete = CheckoutComplete.Field()
