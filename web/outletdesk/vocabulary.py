"""The domain's words that the outlet console shows: choice labels of the stock-moves and deliveries apps.

Those apps have no Vietnamese catalogue of their own, so their labels are listed here for `makemessages` to carry into
this app's catalogue (gettext finds a translation in any installed app's catalogue). Keep each string exactly as the
model spells it; a test checks that the list still matches the models' choices and that each has Vietnamese.
"""

from django.utils.translation import gettext_noop as _

DOMAIN_LABELS = (
    # stockmoves.models.VarianceReason (the count sheet, the write-off form, the counts' history)
    _("Damage"),
    _("Expiry"),
    _("Theft"),
    _("Counting error"),
    _("Other"),
    # stockmoves.models.StockCountKind (the counts' history)
    _("Stock count"),
    _("Write-off"),
    # stockmoves.models.TransferStatus (transfers, the stock page, an order's transfers)
    _("Requested"),
    _("In transit"),
    _("Received"),
    _("Declined"),
    _("Canceled"),
    # deliveries.models.DeliveryStatus (a delivery's page)
    _("Announced"),
)
