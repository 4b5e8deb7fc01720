"""The domain's choice labels that the consumer pages show, so that this app's catalogue gives them Vietnamese.

The models declare these with `gettext_lazy` in apps that have no catalogue of their own; a translation
in any installed catalogue applies to the same msgid everywhere. `gettext_noop` only marks them for
`makemessages`.
"""

from django.utils.translation import gettext_noop

from marketplace.catalogue.models import ListingReason

LABELS = [
    # CertificationStatus
    gettext_noop("Active"),
    gettext_noop("Expired"),
    gettext_noop("Revoked"),
    gettext_noop("Suspended"),
    gettext_noop("Superseded"),
    # CouncilLevel
    gettext_noop("District council"),
    gettext_noop("Provincial council"),
    gettext_noop("Central council"),
    # ProducerKind
    gettext_noop("Enterprise"),
    gettext_noop("Cooperative"),
    gettext_noop("Cooperative group"),
    gettext_noop("Household business"),
    # OutletKind
    gettext_noop("OCOP showroom"),
    gettext_noop("Tourist-site outlet"),
    gettext_noop("Producer warehouse"),
    # EventKind
    gettext_noop("Fair"),
    gettext_noop("Exhibition"),
    gettext_noop("Promotion week"),
    # Weekday (an outlet's opening hours)
    gettext_noop("Monday"),
    gettext_noop("Tuesday"),
    gettext_noop("Wednesday"),
    gettext_noop("Thursday"),
    gettext_noop("Friday"),
    gettext_noop("Saturday"),
    gettext_noop("Sunday"),
    # ListingReason (why a product is not for sale)
    gettext_noop("Certificate expired"),
    gettext_noop("Downgraded below 3 stars"),
    gettext_noop("Certificate revoked"),
    gettext_noop("Certificate suspended"),
    gettext_noop("Superseded, and no valid successor yet"),
    gettext_noop("Certificate not valid yet"),
    gettext_noop("The registry's latest record of the certificate is invalid"),
    gettext_noop("No valid certificate"),
    # orders.payment_status.PaymentStatus (the storefront API's paymentStatusDisplay, in the shop's language)
    gettext_noop("Not charged"),
    gettext_noop("Pending"),
    gettext_noop("Partially charged"),
    gettext_noop("Fully charged"),
    gettext_noop("Partially refunded"),
    gettext_noop("Fully refunded"),
    gettext_noop("Refused"),
    gettext_noop("Cancelled"),
    # checkout.models.Checkout's fields added for the storefront API
    gettext_noop("save the shipping address to the address book"),
    gettext_noop("save the billing address to the address book"),
    gettext_noop("metadata"),
]


def listing_reason_label(reason: str) -> str:
    """A listing reason's code (`ListingReason`) in the page's words; a code not known here as it is."""
    return str(ListingReason(reason).label) if reason in ListingReason.values else reason
