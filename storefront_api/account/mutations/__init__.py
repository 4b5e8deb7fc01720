import graphene

from storefront_api.account.mutations.account_address_create import AccountAddressCreate
from storefront_api.account.mutations.account_address_delete import AccountAddressDelete
from storefront_api.account.mutations.account_address_update import AccountAddressUpdate
from storefront_api.account.mutations.account_register import AccountRegister
from storefront_api.account.mutations.account_set_default_address import AccountSetDefaultAddress
from storefront_api.account.mutations.token_create import TokenCreate
from storefront_api.account.mutations.token_refresh import TokenRefresh
from storefront_api.account.mutations.token_verify import TokenVerify


class AccountMutations(graphene.ObjectType):
    token_create = TokenCreate.Field(description="Create JWT token.")
    token_refresh = TokenRefresh.Field(description="Refresh JWT token.")
    token_verify = TokenVerify.Field(description="Verify JWT token.")
    account_register = AccountRegister.Field(description="Register a new user.")
    account_address_create = AccountAddressCreate.Field(description="Create a new address for the customer.")
    account_address_update = AccountAddressUpdate.Field(description="Updates an address of the logged-in user.")
    account_address_delete = AccountAddressDelete.Field(description="Deletes an address of the logged-in user.")
    account_set_default_address = AccountSetDefaultAddress.Field(
        description="Sets a default address for the authenticated user."
    )
