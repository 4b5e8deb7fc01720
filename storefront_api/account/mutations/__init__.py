import graphene

from storefront_api.account.mutations.account_address_create import AccountAddressCreate
from storefront_api.account.mutations.account_address_delete import AccountAddressDelete
from storefront_api.account.mutations.account_address_update import AccountAddressUpdate
from storefront_api.account.mutations.account_delete import AccountDelete
from storefront_api.account.mutations.account_register import AccountRegister
from storefront_api.account.mutations.account_request_deletion import AccountRequestDeletion
from storefront_api.account.mutations.account_set_default_address import AccountSetDefaultAddress
from storefront_api.account.mutations.account_update import AccountUpdate
from storefront_api.account.mutations.confirm_account import ConfirmAccount
from storefront_api.account.mutations.password_change import PasswordChange
from storefront_api.account.mutations.request_password_reset import RequestPasswordReset
from storefront_api.account.mutations.set_password import SetPassword
from storefront_api.account.mutations.token_create import TokenCreate
from storefront_api.account.mutations.token_refresh import TokenRefresh
from storefront_api.account.mutations.token_verify import TokenVerify


class AccountMutations(graphene.ObjectType):
    token_create = TokenCreate.Field(description="Create JWT token.")
    token_refresh = TokenRefresh.Field(description="Refresh JWT token.")
    token_verify = TokenVerify.Field(description="Verify JWT token.")
    account_register = AccountRegister.Field(description="Register a new user.")
    confirm_account = ConfirmAccount.Field(
        description="Confirm user account with token sent by email during registration."
    )
    request_password_reset = RequestPasswordReset.Field(
        description="Sends an email with the account password modification link."
    )
    set_password = SetPassword.Field(
        description="Sets the user's password from the token sent by email using the RequestPasswordReset mutation."
    )
    password_change = PasswordChange.Field(description="Change the password of the logged in user.")
    account_update = AccountUpdate.Field(description="Updates the account of the logged-in user.")
    account_request_deletion = AccountRequestDeletion.Field(
        description="Sends an email with the account removal link for the logged-in user."
    )
    account_delete = AccountDelete.Field(description="Remove user account.")
    account_address_create = AccountAddressCreate.Field(description="Create a new address for the customer.")
    account_address_update = AccountAddressUpdate.Field(description="Updates an address of the logged-in user.")
    account_address_delete = AccountAddressDelete.Field(description="Deletes an address of the logged-in user.")
    account_set_default_address = AccountSetDefaultAddress.Field(
        description="Sets a default address for the authenticated user."
    )
