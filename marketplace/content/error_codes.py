import enum


class MenuErrorCode(enum.StrEnum):
    """Saleor's menu error codes (those this shop raises)."""

    INVALID = "INVALID"
    NO_MENU_ITEM_PROVIDED = "NO_MENU_ITEM_PROVIDED"
    TOO_MANY_MENU_ITEMS = "TOO_MANY_MENU_ITEMS"
    CANNOT_ASSIGN_NODE = "CANNOT_ASSIGN_NODE"


class PageErrorCode(enum.StrEnum):
    """Saleor's page error codes (those this shop raises)."""

    INVALID = "INVALID"
    UNIQUE = "UNIQUE"
    ATTRIBUTE_ALREADY_ASSIGNED = "ATTRIBUTE_ALREADY_ASSIGNED"
