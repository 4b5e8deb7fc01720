from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TradeConfig(AppConfig):
    """The department of trade's console: certified sellers, certificates, delistings, reports, sales."""

    name = "web.trade"
    label = "trade"
    verbose_name = _("Department of trade console")
