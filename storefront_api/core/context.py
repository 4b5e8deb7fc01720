from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from marketplace.channel.models import Channel

N = TypeVar("N")


@dataclass(frozen=True)
class ChannelContext(Generic[N]):
    """A node seen in one channel, as Saleor passes products and variants: prices depend on the channel."""

    node: N
    channel: Channel
