from django.utils.translation import get_language


def in_language(obj, field: str) -> str:
    """`obj.<field>_en` on English pages when it is filled in, else `obj.<field>` (the Vietnamese)."""
    value = getattr(obj, field, "") or ""
    if (get_language() or "vi").startswith("en"):
        return getattr(obj, f"{field}_en", "") or value
    return value
