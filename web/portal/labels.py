"""Words of the domain that the portal shows, marked here so this app's catalogue gives them in Vietnamese.

The domain apps' choices and the order services' refusals are English strings with no Vietnamese
catalogue of their own yet; gettext finds a msgid in any installed app's catalogue, so translating
them here translates them wherever they are shown. Keep each string exactly as the domain spells it.
Certificate states and the reasons a product is not for sale are translated by the shop's pages
(`web.domain_labels`); a test checks that every label the portal shows has Vietnamese.
"""

from django.utils.translation import gettext_noop

DOMAIN_LABELS = (
    # catalogue.models.ProductMedia.Status
    gettext_noop("Waiting to be fetched"),
    gettext_noop("Ready"),
    gettext_noop("Rejected"),
    # orders.models.OrderStatus and FulfillmentStatus
    gettext_noop("Unconfirmed"),
    gettext_noop("Unfulfilled"),
    gettext_noop("Ready for pickup"),
    gettext_noop("Shipped"),
    gettext_noop("Picked up"),
    gettext_noop("Delivered"),
    gettext_noop("Canceled"),
    gettext_noop("Being prepared"),
    gettext_noop("Handed over"),
    # deliveries.models.DeliveryStatus ("Canceled" is above)
    gettext_noop("Announced"),
    gettext_noop("Received"),
    # orders.services.fulfillment_mark_shipped's refusals
    gettext_noop("Pickup orders are not shipped; mark them ready for pickup."),
    gettext_noop("This part cannot be shipped now."),
    gettext_noop("The order is not paid yet."),
    # ledger.payouts.bank_details_clean's refusals
    gettext_noop("The bank's BIN is its 6-digit Napas code."),
    gettext_noop("Name the bank."),
    gettext_noop("The bank's name is too long."),
    gettext_noop("An account number has 6 to 19 digits only."),
    gettext_noop("Name the account holder."),
    gettext_noop("The account holder is written as the bank has it: letters, digits, spaces and . , & ( ) - only."),
)
