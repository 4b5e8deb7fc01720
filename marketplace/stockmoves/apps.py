from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StockMovesConfig(AppConfig):
    name = "marketplace.stockmoves"
    label = "stockmoves"
    verbose_name = _("Stock counts and transfers")
