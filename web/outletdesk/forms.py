"""The pickup counter's forms: the code typed or scanned, then the hand-over with the cash taken."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.deliveries.services import MAX_LINE_QUANTITY, MAX_LOT, MAX_NOTE
from marketplace.orders.pickup import normalise_pickup_code

# What staff type for an amount of đồng: digits grouped with dots, commas or spaces, perhaps a currency sign.
_AMOUNT = re.compile(r"(?P<digits>\d[\d\s.,]*)\s*(?:₫|đ|đồng|vnd)?", re.IGNORECASE)


class PickupCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Pickup code"),
        max_length=64,
        help_text=_("Six letters and digits from the buyer's e-mail, or scan its QR code."),
        widget=forms.TextInput(
            attrs={
                "class": "pickup-code-input",
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "inputmode": "text",
                "autofocus": True,
            }
        ),
        error_messages={"required": _("Type the buyer's pickup code.")},
    )

    def clean_code(self) -> str:
        code = normalise_pickup_code(self.cleaned_data["code"])
        if not code:
            raise forms.ValidationError(_("Type the buyer's pickup code."), code="required")
        return code


class CashAmountField(forms.Field):
    """A whole number of đồng as staff type it: "370000", "370.000", "370 000 ₫"."""

    widget = forms.TextInput

    def to_python(self, value: str | None) -> int | None:
        text = (value or "").strip()
        if not text:
            return None
        match = _AMOUNT.fullmatch(text) if len(text) <= 32 else None
        if match is None:
            raise forms.ValidationError(_("Enter the amount in đồng, for example 370000."), code="invalid")
        return int(re.sub(r"\D", "", match["digits"]))


class HandOverForm(forms.Form):
    """The code again (hidden) and, when cash is due, the amount the buyer paid."""

    code = forms.CharField(widget=forms.HiddenInput, max_length=64)
    cash_amount = CashAmountField(
        label=_("Cash received (đồng)"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "autofocus": True}),
        error_messages={"required": _("Count the buyer's cash and enter the amount.")},
    )

    def __init__(self, *args, cash_due: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if cash_due <= 0:
            del self.fields["cash_amount"]

    def clean_code(self) -> str:
        return normalise_pickup_code(self.cleaned_data["code"])


CHOICES = [("cash", _("Cash")), ("card_terminal", _("Card on this outlet's terminal"))]


class CounterPaymentForm(forms.Form):
    """How a walk-in sale is paid; `key` is the sale's idempotency key, made when the basket page is drawn."""

    key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    method = forms.ChoiceField(
        label=_("Paid by"),
        widget=forms.RadioSelect,
        choices=CHOICES,
        initial="cash",
    )
    cash_received = CashAmountField(
        label=_("Cash received (đồng)"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    slip_reference = forms.CharField(
        label=_("Card slip reference"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, vietqr: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if vietqr:  # offered when the collection account is configured
            method = self.fields["method"]
            assert isinstance(method, forms.ChoiceField)
            method.choices = [*CHOICES, ("vietqr", _("Bank transfer: the buyer scans a VietQR code"))]


class ReceiptEmailForm(forms.Form):
    email = forms.EmailField(
        label=_("Buyer's e-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "inputmode": "email"}),
        error_messages={
            "required": _("Enter the buyer's e-mail address."),
            "invalid": _("Enter the buyer's e-mail address, like name@example.com."),
        },
    )
    language = forms.ChoiceField(
        label=_("Language of the receipt"),
        choices=[("vi", "Tiếng Việt"), ("en", "English")],
        widget=forms.RadioSelect,
        initial="vi",
    )


class DayCloseForm(forms.Form):
    cash_counted = CashAmountField(
        label=_("Cash counted in the till (đồng)"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"required": _("Count the till and enter the amount.")},
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


# --- deliveries ---


class ReceivedLineForm(forms.Form):
    """One line of a delivery as received: how many came, and the lot and best-before date on the goods."""

    quantity = forms.IntegerField(
        label=_("Quantity received"),
        min_value=0,
        max_value=MAX_LINE_QUANTITY,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "quantity"}),
        error_messages={"required": _("Give the quantity received (0 when none came).")},
    )
    lot = forms.CharField(label=_("Lot"), max_length=MAX_LOT, required=False)
    best_before = forms.DateField(
        label=_("Best before"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class UnannouncedLineForm(ReceivedLineForm):
    """A line nobody announced: the variant found by name or SKU, at least one received."""

    variant = forms.IntegerField(widget=forms.HiddenInput)
    quantity = forms.IntegerField(
        label=_("Quantity received"),
        min_value=1,
        max_value=MAX_LINE_QUANTITY,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "quantity"}),
        error_messages={"required": _("Give the quantity received.")},
    )


class DeliveryReceiptForm(forms.Form):
    """The receipt's own fields: its idempotency key (drawn with the page), a note, and the search for goods that
    were not announced."""

    key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    note = forms.CharField(
        label=_("Note (damage, returns, anything the cooperative should know)"),
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
