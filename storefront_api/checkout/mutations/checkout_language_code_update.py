from __future__ import annotations

from typing import Any

import graphene

from marketplace.checkout import services
from storefront_api.checkout.mutations.base import CheckoutMutation, get_checkout, user_of
from storefront_api.core.types import LanguageCodeEnum


class CheckoutLanguageCodeUpdate(CheckoutMutation):
    """Update language code in the existing checkout."""

    class Arguments:
        id = graphene.ID(description="The checkout's ID.")
        language_code = graphene.Argument(LanguageCodeEnum, required=True, description="New language code.")

    @classmethod
    def perform_mutation(
        cls, root: Any, info: graphene.ResolveInfo, language_code: Any, id: str | None = None
    ) -> CheckoutMutation:
        code = getattr(language_code, "value", language_code)
        return cls.done(
            services.checkout_language_code_update(checkout=get_checkout(user=user_of(info), id=id), language_code=code)
        )
