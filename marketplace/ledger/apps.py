from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "marketplace.ledger"
    label = "ledger"
    verbose_name = _("Payout ledger")

    def ready(self) -> None:
        from marketplace.ledger import receivers  # noqa: F401  (posts sales and refunds on the orders' signals)
