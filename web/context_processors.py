from typing import Any

from django.http import HttpRequest

from web.navigation import console_url


def site(request: HttpRequest) -> dict[str, Any]:
    """What the layout shows on every page: the user's console link and how many items the cart holds."""
    user = getattr(request, "user", None)
    return {
        "console_url": console_url(user) if user is not None and user.is_authenticated else None,
        "cart_quantity": request.session.get("cart_quantity", 0) if hasattr(request, "session") else 0,
    }
