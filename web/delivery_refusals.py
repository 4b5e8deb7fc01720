"""Why a delivery's announcement, receipt or cancellation was refused, in the reader's language: the portal and the
outlet console share these sentences. The service's own words (in English, naming the product) follow where they
add what the sentence cannot know."""

from __future__ import annotations

from django.utils.translation import gettext as _

from marketplace.core.errors import ErrorDetail
from marketplace.deliveries.error_codes import DeliveryErrorCode


def delivery_refusal(detail: ErrorDetail) -> str:
    code = str(detail.code)
    if code == DeliveryErrorCode.INVALID and detail.field == "key":
        return _("This receipt form was already used: open the delivery again to see what was recorded.")
    if code == DeliveryErrorCode.ALREADY_RECEIVED:
        return _("This delivery was already received.")
    if code == DeliveryErrorCode.CANCELED:
        return _("The cooperative canceled this delivery: receive the goods as a delivery without announcement.")
    if code == DeliveryErrorCode.OUTLET_NOT_RECEIVING:
        return _("This outlet does not take deliveries.")
    if code == DeliveryErrorCode.DATE_IN_PAST:
        return _("The day has passed: a delivery is announced for today or later.")
    if code == DeliveryErrorCode.REQUIRED and detail.field == "expectedOn":
        return _("Give the day the goods arrive.")
    if code == DeliveryErrorCode.REQUIRED and detail.field == "lines":
        return _("Give the quantity of at least one product.")
    if code == DeliveryErrorCode.ONE_PRODUCER:
        return _("One delivery comes from one cooperative: receive each cooperative's goods separately.")
    if code == DeliveryErrorCode.NOT_OWN_PRODUCT and {"product", "producer"} <= detail.extra.keys():
        return _("Product %(product)s is not one of %(producer)s's products.") % detail.extra
    if code == DeliveryErrorCode.NOT_LISTED and "product" in detail.extra:
        return _("%(product)s is not listed today: its OCOP certificate is not valid.") % detail.extra
    if code == DeliveryErrorCode.NOT_OWN_PRODUCT:  # none of the products named is one the outlet can take
        return _("Choose the products received.")
    return detail.message
