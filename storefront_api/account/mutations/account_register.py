from __future__ import annotations

from typing import Any

import graphene

from marketplace.accounts.services import user_register
from storefront_api.account.mutations.common import (
    account_errors,
    check_channel,
    language_value,
    request_language,
)
from storefront_api.account.types import AccountError, UserType
from storefront_api.core.metadata import MetadataInput, metadata_input_to_dict
from storefront_api.core.mutations import BaseMutation
from storefront_api.core.types import LanguageCodeEnum


class AccountRegisterInput(graphene.InputObjectType):
    first_name = graphene.String(description="Given name.")
    last_name = graphene.String(description="Family name.")
    language_code = graphene.Argument(
        LanguageCodeEnum, description="User language code (the language of the shop's e-mails to the user)."
    )
    email = graphene.String(required=True, description="The email address of the user.")
    password = graphene.String(required=True, description="Password.")
    redirect_url = graphene.String(
        description="Base of frontend URL that will be needed to create confirmation URL. Required when account "
        "confirmation is enabled."
    )
    metadata = graphene.List(graphene.NonNull(MetadataInput), description="User public metadata.")
    channel = graphene.String(
        description="Slug of a channel which will be used to notify users. Optional when only one channel exists."
    )

    class Meta:
        description = "Fields required to create a user."


class AccountRegister(BaseMutation):
    """Register a new consumer account. When the shop asks for confirmation (the default), the account signs
    in once the link e-mailed to `redirectUrl?email=…&token=…` has been followed (`confirmAccount`).

    An address that already has an account is answered as a free one (nothing is saved or sent), so `user`
    is built from the input and its `id` is always empty, as in Saleor."""

    user = graphene.Field(
        UserType,
        deprecation_reason="The field always returns a `User` object constructed from the input data. The "
        "`user.id` is always empty.",
    )
    requires_confirmation = graphene.Boolean(description="Informs whether users need to confirm their email address.")
    errors = account_errors()

    error_type = AccountError

    class Arguments:
        input = AccountRegisterInput(required=True, description="Fields required to create a user.")

    @classmethod
    def perform_mutation(cls, root: Any, info: graphene.ResolveInfo, **data: Any) -> AccountRegister:
        given = data["input"]
        check_channel(given.get("channel"))
        registration = user_register(
            email=given["email"],
            password=given["password"],
            first_name=given.get("first_name") or "",
            last_name=given.get("last_name") or "",
            language_code=language_value(given.get("language_code")) or request_language(info),
            redirect_url=given.get("redirect_url"),
            metadata=metadata_input_to_dict(given.get("metadata")),
        )
        user = registration.user
        user.pk = None  # never tell whether this address had an account already
        return cls(user=user, requires_confirmation=registration.requires_confirmation)
