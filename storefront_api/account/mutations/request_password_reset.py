from __future__ import annotations

from typing import Any

import graphene

from marketplace.accounts.throttling import password_reset_request_throttled
from marketplace.core.throttling import client_address
from storefront_api.account.mutations.common import account_errors
from storefront_api.account.types import AccountError
from storefront_api.core.mutations import BaseMutation


class RequestPasswordReset(BaseMutation):
    """Sends an email with the account password modification link (`redirectUrl?email=…&token=…`).

    The answer is the same whether or not the address has an account; only a link to a host outside
    `ALLOWED_CLIENT_HOSTS` is refused, and too many requests from one client address or for one e-mail address
    (`LOGIN_ATTEMPT_DELAYED`)."""

    errors = account_errors()

    error_type = AccountError

    class Arguments:
        email = graphene.String(required=True, description="Email of the user that will be used for password recovery.")
        redirect_url = graphene.String(
            required=True,
            description="URL of a view where users should be redirected to reset the password. URL in RFC 1808 format.",
        )
        channel = graphene.String(
            description="Slug of a channel which will be used for notify user. Optional when only one channel exists."
        )

    @classmethod
    def perform_mutation(cls, root: Any, info: graphene.ResolveInfo, **data: Any) -> RequestPasswordReset:
        # The channel is not checked: a refusal must not depend on anything but the link (no enumeration).
        password_reset_request_throttled(
            email=data["email"], redirect_url=data["redirect_url"], client_address=client_address(info.context)
        )
        return cls()
