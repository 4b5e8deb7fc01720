import graphene

from storefront_api.meta.mutations.update_metadata import UpdateMetadata


class MetaMutations(graphene.ObjectType):
    update_metadata = UpdateMetadata.Field()
