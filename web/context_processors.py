from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import get_language

from search.selectors import listed_kinds
from web.languages import language_url, language_urls, without_language
from web.navigation import console_url


def site(request: HttpRequest) -> dict[str, Any]:
    """What the layout shows on every page: the user's console link, how many items the cart holds, the page's
    address in each language (for `hreflang`) and where the language switch returns."""
    user = getattr(request, "user", None)
    return {
        "console_url": console_url(user) if user is not None and user.is_authenticated else None,
        "cart_quantity": request.session.get("cart_quantity", 0) if hasattr(request, "session") else 0,
        "language_alternates": [
            (code, request.build_absolute_uri(url)) for code, url in language_urls(request.path, request.GET)
        ],
        "language_switch_next": without_language(request.path, request.GET),
        # The page without its query, in the language it is shown in: what `<link rel="canonical">` names.
        "canonical_url": request.build_absolute_uri(language_url(request.path, None, get_language() or "vi")),
        "site_share_image_url": request.build_absolute_uri(reverse("web:site_share_image")),
        # What the search box suggests: kinds of product that are listed (from the cache; none when it lost them).
        "search_suggestions": listed_kinds(),
    }
