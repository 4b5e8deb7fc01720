from __future__ import annotations

from typing import Any

import graphene

from marketplace.accounts.services import account_deletion_request
from storefront_api.account.mutations.common import account_errors, check_channel, require_user
from storefront_api.account.types import AccountError
from storefront_api.core.mutations import BaseMutation


class AccountRequestDeletion(BaseMutation):
    """Sends an email with the account removal link (`redirectUrl?token=…`) for the logged-in user; the
    account is deleted by `accountDelete` with that token."""

    errors = account_errors()

    error_type = AccountError

    class Arguments:
        redirect_url = graphene.String(
            required=True,
            description="URL of a view where users should be redirected to delete their account. URL in RFC 1808 "
            "format.",
        )
        channel = graphene.String(
            description="Slug of a channel which will be used to notify users. Optional when only one channel exists."
        )

    @classmethod
    def perform_mutation(cls, root: Any, info: graphene.ResolveInfo, **data: Any) -> AccountRequestDeletion:
        user = require_user(info)
        check_channel(data.get("channel"))
        account_deletion_request(user=user, redirect_url=data["redirect_url"])
        return cls()
