"""The storefront's payment mutations, Saleor's way: initialize the gateways, initialize a transaction,
process it."""

import graphene

from storefront_api.payment.mutations.payment_gateway_initialize import PaymentGatewayInitialize
from storefront_api.payment.mutations.transaction_initialize import TransactionInitialize
from storefront_api.payment.mutations.transaction_process import TransactionProcess


class PaymentMutations(graphene.ObjectType):
    payment_gateway_initialize = PaymentGatewayInitialize.Field()
    transaction_initialize = TransactionInitialize.Field()
    transaction_process = TransactionProcess.Field()
