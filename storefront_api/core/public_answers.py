"""Whole answers to the public catalogue's queries, kept in the cache for anyone who asks the same.

A storefront asks the same few queries with the same variables over and over: the product list, a product's
page, the menus. An answer to a query that reads only what any visitor may read (`PUBLIC_FIELDS` at its top,
no `Authorization` header) is the same for everyone until the catalogue, the search index or anything else
shown changes, or the day does (a certificate runs out at midnight): it is kept under
`marketplace.catalogue.read_cache.answer_key`, whose versions every such change bumps, so a delisted product
leaves the cached answers in the transaction that delists it. Only complete answers (status 200, no
`errors`) are kept; what the client got wrong is refused again each time, by the same code as before.
"""

from __future__ import annotations

from typing import Any

import orjson
from django.http import HttpRequest
from django.utils.translation import get_language
from graphql import FieldNode, OperationDefinitionNode, OperationType

from marketplace.catalogue.read_cache import look_up_answer

# Query fields whose answers depend only on their arguments, the data and the day; not `me`, `checkout`,
# `order` or `orders`, which read who asks.
PUBLIC_FIELDS = frozenset(
    {
        "__typename",
        "addressValidationRules",
        "attribute",
        "attributes",
        "categories",
        "category",
        "channel",
        "channels",
        "collection",
        "collections",
        "menu",
        "menus",
        "page",
        "pages",
        "pageType",
        "pageTypes",
        "producer",
        "producers",
        "product",
        "productSearch",
        "productVariant",
        "productVariants",
        "products",
        "shop",
    }
)


def is_public(operation: OperationDefinitionNode) -> bool:
    """A query whose top-level selections are all public fields (no fragment spread: it is not followed)."""
    return operation.operation == OperationType.QUERY and all(
        isinstance(selection, FieldNode) and selection.name.value in PUBLIC_FIELDS
        for selection in operation.selection_set.selections
    )


def public_answer(
    request: HttpRequest,
    *,
    operation: OperationDefinitionNode,
    variables: dict[str, Any] | None,
    operation_name: str | None,
    query: str,
) -> tuple[str, bytes | None] | None:
    """The cache key of this operation's answer and the answer kept there (None if none yet); None when it may
    not be shared."""
    if "HTTP_AUTHORIZATION" in request.META or request.GET.get("pretty") or not is_public(operation):
        return None
    try:
        asked = orjson.dumps([get_language(), operation_name, variables, query], option=orjson.OPT_SORT_KEYS)
    except TypeError:  # what orjson cannot write (an integer beyond 64 bits): not kept
        return None
    return look_up_answer(kind="graphql", fingerprint=asked)
