"""Money for people to read, and the platform's share of it. Amounts are whole đồng (VND has no minor unit), never
floats."""

from decimal import ROUND_HALF_UP, Decimal

__all__ = ["commission_of", "format_vnd"]


def commission_of(subtotal: int, *, percent: Decimal) -> int:
    """The platform's share of a producer's goods, rounded to the đồng (half up)."""
    return int((subtotal * percent / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def format_vnd(amount: int, language: str = "vi") -> str:
    """`150000` as "150.000 ₫" in Vietnamese, "150,000 VND" in English (any `en-*` counts as English)."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError(f"amounts are whole đồng as int, not {type(amount).__name__}")
    sign = "-" if amount < 0 else ""
    grouped = f"{abs(amount):,}"
    if (language or "").lower().startswith("en"):
        return f"{sign}{grouped} VND"
    return f"{sign}{grouped.replace(',', '.')} ₫"
