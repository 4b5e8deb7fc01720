"""Nodes seen in one channel, and the base of the object types that show them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import graphene

from marketplace.channel.models import Channel
from storefront_api.core.execution import plain

N = TypeVar("N")


@dataclass(frozen=True)
class ChannelContext(Generic[N]):
    """A node seen in one channel, as Saleor passes products and variants: prices depend on the channel."""

    node: N
    channel: Channel


@plain
def resolve_node_attribute(
    attname: str, default_value: Any, root: ChannelContext[Any], info: graphene.ResolveInfo | None, **args: Any
) -> Any:
    """The default resolver of a `ChannelContextType`: the attribute of the wrapped node named as the field.

    Plain (it reads only its root), so the executor's short path resolves these fields without a `ResolveInfo`.
    """
    return getattr(root.node, attname, default_value)


class ChannelContextType(graphene.ObjectType):
    """An object type whose root is a `ChannelContext`.

    A field without a `resolve_<field>` reads the node's attribute of the field's (Python) name; a field
    whose API name differs from the model's attribute is declared under the attribute with `name=`.
    `channel`, when a type declares it, is the slug of the channel the node is seen in.
    """

    class Meta:
        abstract = True

    @classmethod
    def __init_subclass_with_meta__(cls, default_resolver: Any = None, **options: Any) -> None:
        super().__init_subclass_with_meta__(default_resolver=default_resolver or resolve_node_attribute, **options)

    @staticmethod
    @plain
    def resolve_channel(root: ChannelContext[Any], info: graphene.ResolveInfo) -> str:
        return root.channel.slug
