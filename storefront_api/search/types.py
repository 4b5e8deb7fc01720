"""The OCOP extension `productSearch`: a ranked, faceted page of products."""

from __future__ import annotations

import graphene

from storefront_api.core.connection import CountableConnection
from storefront_api.core.types import OrderDirection
from storefront_api.producer.types import ProducerKindEnum
from storefront_api.product.filters import PriceRangeInput
from storefront_api.product.types import ProductType


class ProductSearchFacetValue(graphene.ObjectType):
    value = graphene.String(
        required=True, description="What to filter by: a number of stars, a Category or Warehouse id, or a name."
    )
    label = graphene.String(required=True)
    count = graphene.Int(required=True, description="Matching products with this value.")


def _facet(description: str) -> graphene.NonNull:
    return graphene.NonNull(graphene.List(graphene.NonNull(ProductSearchFacetValue)), description=description)


class ProductSearchFacets(graphene.ObjectType):
    """Counts over the matches with every filter applied except the facet's own."""

    stars = _facet("OCOP stars.")
    group = _facet("OCOP product groups (Category ids).")
    commune = _facet("The producer's commune, in today's units.")
    district = _facet("The producer's district, as the registry gives it (before July 2025).")
    producer_kind = _facet("The producer's legal form.")
    outlet = _facet("Outlets with the product in stock (Warehouse ids).")


class ProductSearchFilterInput(graphene.InputObjectType):
    stars = graphene.List(graphene.NonNull(graphene.Int))
    groups = graphene.List(graphene.NonNull(graphene.ID), description="OCOP product groups (Category ids).")
    communes = graphene.List(graphene.NonNull(graphene.String))
    districts = graphene.List(graphene.NonNull(graphene.String))
    producer_kinds = graphene.List(graphene.NonNull(ProducerKindEnum))
    outlets = graphene.List(graphene.NonNull(graphene.ID), description="Outlets holding stock (Warehouse ids).")
    price = graphene.Field(PriceRangeInput, description="The product's lowest price.")


class ProductSearchSortField(graphene.Enum):
    RELEVANCE = "relevance"
    PRICE = "price"
    STARS = "stars"
    NEWEST = "newest"


class ProductSearchSortingInput(graphene.InputObjectType):
    field = graphene.InputField(ProductSearchSortField, required=True)
    direction = graphene.Field(OrderDirection, description="DESC by default: best, dearest, most stars, newest.")


class ProductSearchConnection(CountableConnection):
    facets = graphene.Field(graphene.NonNull(ProductSearchFacets))
    corrected = graphene.Boolean(
        required=True,
        description=(
            "No product matched the query's words as written: these products have similar names (typos corrected,"
            ' or a fuzzy match). Show it: "No products found for …. Products with similar names:".'
        ),
    )
    corrected_query = graphene.String(
        description="When `corrected`: the words the products matched instead, folded (no diacritics, lower case)."
    )

    class Meta:
        node = ProductType
        description = "A page of matching listed products, best first, with facet counts."
