from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CartConfig(AppConfig):
    """The buyer's pages: cart, checkout (pickup or delivery, cash or card) and the order page."""

    name = "web.cart"
    label = "cart"
    verbose_name = _("Cart and checkout")
