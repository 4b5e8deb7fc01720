"""What a client asked for: lets a resolver skip work whose result would not be sent."""

from __future__ import annotations

from collections.abc import Iterable

import graphene
from graphql import FieldNode, FragmentSpreadNode, InlineFragmentNode, SelectionNode


def selects(info: graphene.ResolveInfo, name: str) -> bool:
    """Whether the field being resolved selects the sub-field `name` (by its schema name, through fragments)."""
    return any(_selects(info, node.selection_set.selections, name) for node in info.field_nodes if node.selection_set)


def _selects(info: graphene.ResolveInfo, selections: Iterable[SelectionNode], name: str) -> bool:
    for selection in selections:
        if isinstance(selection, FieldNode) and selection.name.value == name:
            return True
        if isinstance(selection, InlineFragmentNode) and _selects(info, selection.selection_set.selections, name):
            return True
        if isinstance(selection, FragmentSpreadNode):
            fragment = info.fragments.get(selection.name.value)
            if fragment is not None and _selects(info, fragment.selection_set.selections, name):
                return True
    return False
