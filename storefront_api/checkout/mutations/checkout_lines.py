"""checkoutLinesAdd, checkoutLinesUpdate, checkoutLinesDelete."""

import graphene

from marketplace.checkout import services
from marketplace.checkout.error_codes import CheckoutErrorCode
from marketplace.core.errors import DomainError
from storefront_api.checkout.mutations._lines import line_id, line_requests
from storefront_api.checkout.mutations.base import CheckoutMutation, get_checkout
from storefront_api.checkout.mutations.inputs import CheckoutLineInput, CheckoutLineUpdateInput
from storefront_api.core.errors import StorefrontError
from storefront_api.core.ids import resolve_global_id


class CheckoutLinesAdd(CheckoutMutation):
    """Adds a checkout line to the existing checkout. If the line of this variant is in the checkout, its
    quantity is increased."""

    class Arguments:
        id = graphene.ID(description="The checkout's ID.")
        token = graphene.UUID(description="Checkout token.", deprecation_reason="Use `id` instead.")
        lines = graphene.List(graphene.NonNull(CheckoutLineInput), required=True)

    @classmethod
    def perform_mutation(cls, root, info, lines, id=None, token=None):
        checkout = get_checkout(id=id, token=token)
        return cls.done(services.checkout_lines_add(checkout=checkout, lines=line_requests(lines)))


class CheckoutLinesUpdate(CheckoutMutation):
    """Updates checkout lines: sets their quantities (0 removes a line) and accepts today's prices."""

    class Arguments:
        id = graphene.ID(description="The checkout's ID.")
        token = graphene.UUID(description="Checkout token.", deprecation_reason="Use `id` instead.")
        lines = graphene.List(graphene.NonNull(CheckoutLineUpdateInput), required=True)

    @classmethod
    def perform_mutation(cls, root, info, lines, id=None, token=None):
        checkout = get_checkout(id=id, token=token)
        by_variant = {line.variant_id: line for line in checkout.lines.all()}
        quantities: dict[str, int] = {}
        for line in lines:
            if line.get("quantity") is None:
                raise DomainError("Provide the quantity.", code=CheckoutErrorCode.REQUIRED, field="quantity")
            if line.get("quantity") < 0:
                raise DomainError(
                    "The quantity cannot be negative.", code=CheckoutErrorCode.ZERO_QUANTITY, field="quantity"
                )
            if line.get("line_id"):
                key = line_id(line["line_id"], field="lineId")
            elif line.get("variant_id"):
                try:
                    variant_pk = resolve_global_id(line["variant_id"], only_type="ProductVariant", field="variantId")
                except StorefrontError as error:
                    raise DomainError(error.message, code=CheckoutErrorCode.GRAPHQL_ERROR, field="variantId") from None
                if variant_pk not in by_variant:
                    raise DomainError(
                        "This variant is not in the checkout.",
                        code=CheckoutErrorCode.NOT_FOUND,
                        field="variantId",
                        variants=(variant_pk,),
                    )
                key = str(by_variant[variant_pk].pk)
            else:
                raise DomainError("Provide lineId or variantId.", code=CheckoutErrorCode.REQUIRED, field="lineId")
            quantities[key] = line["quantity"]
        return cls.done(services.checkout_lines_update(checkout=checkout, quantities=quantities))


class CheckoutLinesDelete(CheckoutMutation):
    """Deletes checkout lines."""

    class Arguments:
        id = graphene.ID(description="The checkout's ID.")
        token = graphene.UUID(description="Checkout token.", deprecation_reason="Use `id` instead.")
        lines_ids = graphene.List(graphene.NonNull(graphene.ID), required=True, description="A list of checkout lines.")

    @classmethod
    def perform_mutation(cls, root, info, lines_ids, id=None, token=None):
        checkout = get_checkout(id=id, token=token)
        ids = [line_id(value, field="linesIds") for value in lines_ids]
        return cls.done(services.checkout_lines_delete(checkout=checkout, line_ids=ids))
