"""The domain's words that the trade pages show: choice labels of the catalogue, certification and sync apps.

Those apps have no Vietnamese catalogue yet, so their labels are listed here for `makemessages` to carry into
this app's catalogue (gettext finds a translation in any installed app's catalogue). A test checks that the
list still matches the models' choices.
"""

from django.utils.translation import gettext_noop as _

DOMAIN_LABELS = (
    # ListingReason
    _("Listed under a valid certificate"),
    _("Relisted under a valid certificate"),
    _("Now listed under a newer certificate"),
    _("Certificate expired"),
    _("Downgraded below 3 stars"),
    _("Certificate revoked"),
    _("Certificate suspended"),
    _("Superseded, and no valid successor yet"),
    _("Certificate not valid yet"),
    _("The registry's latest record of the certificate is invalid"),
    _("No valid certificate"),
    # ListingTrigger
    _("Registry sync"),
    _("Daily validity check"),
    _("Staff"),
    # ListingState
    _("Draft (never listed)"),
    _("Listed"),
    _("Delisted"),
    # MisuseReportStatus
    _("New"),
    _("Handled"),
    _("Dismissed"),
    # CertificationStatus
    _("Active"),
    _("Expired"),
    _("Revoked"),
    _("Suspended"),
    _("Superseded"),
    # SyncRun.Status
    _("Running"),
    _("Succeeded"),
    _("Failed"),
)
