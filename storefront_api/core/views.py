"""The `/graphql/` endpoint: POST JSON from any client (no CSRF), GET only for GraphiQL while DEBUG."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from graphene.validation import depth_limit_validator
from graphene_django.views import GraphQLView
from graphql import GraphQLError, specified_rules

logger = logging.getLogger(__name__)

MAX_QUERY_DEPTH = 12


class StorefrontGraphQLView(GraphQLView):
    """graphene-django's view with a bounded query depth; malformed queries answer 400, never 500."""

    graphiql = True
    validation_rules = (*specified_rules, depth_limit_validator(max_depth=MAX_QUERY_DEPTH))

    @classmethod
    def can_display_graphiql(cls, request: HttpRequest, data: dict[str, Any]) -> bool:
        return settings.DEBUG and request.method == "GET" and super().can_display_graphiql(request, data)

    @staticmethod
    def format_error(error: Exception) -> dict[str, Any]:
        """Errors as GraphQL formats them, but an unexpected exception's text only while DEBUG."""
        unexpected = error.original_error if isinstance(error, GraphQLError) else error
        if unexpected is None or isinstance(unexpected, GraphQLError) or settings.DEBUG:
            return GraphQLView.format_error(error)
        logger.error("Storefront API error", exc_info=unexpected)
        formatted = GraphQLView.format_error(error)
        formatted["message"] = "Internal Server Error"
        formatted["extensions"] = {"exception": {"code": type(unexpected).__name__}}
        return formatted

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "GET" and not self.can_display_graphiql(request, {}):
            return HttpResponseNotAllowed(["POST"], "Send GraphQL queries with POST.")
        return super().dispatch(request, *args, **kwargs)
