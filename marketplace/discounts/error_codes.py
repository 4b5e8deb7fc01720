import enum


class DiscountErrorCode(enum.StrEnum):
    """Saleor's discount error codes (those this shop raises)."""

    INVALID = "INVALID"
    NOT_FOUND = "NOT_FOUND"
    VOUCHER_ALREADY_USED = "VOUCHER_ALREADY_USED"


class VoucherRefusal(enum.StrEnum):
    """Why a voucher does not apply to a checkout (the first reason that holds). Each is answered as Saleor's
    `VOUCHER_NOT_APPLICABLE`; the reason travels with it for the pages' messages."""

    OTHER_CHANNEL = "other_channel"  # the voucher is for another channel
    NOT_STARTED = "not_started"  # before its start date
    EXPIRED = "expired"  # after its end date
    USED_UP = "used_up"  # its usage limit is reached
    ALREADY_USED = "already_used"  # once per customer, and this e-mail used it
    MINIMUM_NOT_REACHED = "minimum_not_reached"  # the checkout's subtotal is below its minimum
    NOTHING_ELIGIBLE = "nothing_eligible"  # no buyable line is one of the products it is limited to
