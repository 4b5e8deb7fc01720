from marketplace.accounts.error_codes import AddressType
from marketplace.channel.selectors import active_channel_by_slug
from marketplace.checkout import services
from marketplace.checkout.error_codes import CheckoutErrorCode
from marketplace.core.errors import DomainError
from storefront_api.account.types import address_input_to_values
from storefront_api.checkout.mutations._lines import line_requests
from storefront_api.checkout.mutations.base import CheckoutMutation, user_of
from storefront_api.checkout.mutations.inputs import CheckoutCreateInput


class CheckoutCreate(CheckoutMutation):
    """Create a new checkout."""

    class Arguments:
        input = CheckoutCreateInput(required=True, description="Fields required to create checkout.")

    @classmethod
    def perform_mutation(cls, root, info, input):
        if not input.get("channel"):
            raise DomainError(
                "You need to provide channel slug.", code=CheckoutErrorCode.MISSING_CHANNEL_SLUG, field="channel"
            )
        channel = active_channel_by_slug(slug=input["channel"])
        if channel is None:
            raise DomainError(
                f"Channel with '{input['channel']}' slug does not exist or is inactive.",
                code=CheckoutErrorCode.CHANNEL_INACTIVE,
                field="channel",
            )
        shipping = billing = None
        if input.get("shipping_address"):
            shipping = address_input_to_values(
                input["shipping_address"], code_enum=CheckoutErrorCode, address_type=AddressType.SHIPPING
            )
        if input.get("billing_address"):
            billing = address_input_to_values(
                input["billing_address"], code_enum=CheckoutErrorCode, address_type=AddressType.BILLING
            )
        checkout = services.checkout_create(
            channel=channel,
            lines=line_requests(input.get("lines") or []),
            email=input.get("email"),
            language_code=getattr(input.get("language_code"), "value", None),
            user=user_of(info),
        )
        if shipping:
            services.checkout_shipping_address_update(checkout=checkout, address_values=shipping)
        if billing:
            services.checkout_billing_address_update(checkout=checkout, address_values=billing)
        return cls.done(checkout)
