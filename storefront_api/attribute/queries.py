from __future__ import annotations

from typing import Unpack

import graphene

from storefront_api.attribute.definitions import ATTRIBUTES, BY_PK, BY_SLUG, AttributeDefinition
from storefront_api.attribute.types import AttributeCountableConnection, AttributeType, Rows
from storefront_api.core.connection import CountableConnection, PageArgs, connection_page_args, paginate
from storefront_api.core.errors import StorefrontError, StorefrontErrorCode
from storefront_api.core.ids import resolve_global_id


class AttributeQueries(graphene.ObjectType):
    attributes = graphene.Field(
        AttributeCountableConnection,
        channel=graphene.String(description="Slug of a channel for which the data should be returned."),
        description="List of the product attributes: OCOP stars, OCOP group, district and commune.",
        **connection_page_args(),
    )
    attribute = graphene.Field(
        AttributeType,
        id=graphene.Argument(graphene.ID, description="ID of the attribute."),
        slug=graphene.Argument(graphene.String, description="Slug of the attribute."),
        description="Look up an attribute by ID or slug.",
    )

    @staticmethod
    def resolve_attributes(
        root: None, info: graphene.ResolveInfo, channel: str | None = None, **page: Unpack[PageArgs]
    ) -> CountableConnection:
        return paginate(Rows(ATTRIBUTES), AttributeCountableConnection, name="attributes", **page)

    @staticmethod
    def resolve_attribute(
        root: None, info: graphene.ResolveInfo, id: str | None = None, slug: str | None = None
    ) -> AttributeDefinition | None:
        if id is not None and slug is None:
            return BY_PK.get(resolve_global_id(id, only_type="Attribute", field="id"))
        if slug is not None and id is None:
            return BY_SLUG.get(slug)
        raise StorefrontError(
            "Exactly one of 'id' or 'slug' must be specified.", code=StorefrontErrorCode.GRAPHQL_ERROR
        )
