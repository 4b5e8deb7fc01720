"""The GraphQL storefront API (graphene-django), shaped like Saleor's: built in issue 3."""
