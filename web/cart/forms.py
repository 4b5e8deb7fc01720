from __future__ import annotations

from typing import cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from marketplace.accounts.address_validation import commune_choices, find_province, province_choices
from marketplace.shipping.models import ShippingMethod
from web.cart.language import in_language
from web.cart.selectors import PickupOption

DEFAULT_PROVINCE = "75"  # Tỉnh Đồng Nai, where the shop is
DELIVERY = "delivery"
PICKUP_PREFIX = "pickup-"
CASH = "cash"
CARD = "card"
TRANSFER = "transfer"


class AddToCartForm(forms.Form):
    variant_id = forms.IntegerField(min_value=1)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, initial=1)


class LineQuantityForm(forms.Form):
    quantity = forms.IntegerField(label=_("Quantity"), min_value=0, max_value=10_000)


def set_place_choices(form: forms.Form, *, province: str) -> None:
    """A form's `country_area` offers every province, and its `city` the communes of `province` (a code or name)."""
    cast(forms.ChoiceField, form.fields["country_area"]).choices = [(p.code, p.name) for p in province_choices()]
    cast(forms.ChoiceField, form.fields["city"]).choices = [("", _("Choose…"))] + [
        (c.code, c.name) for c in commune_choices(find_province(province))
    ]


class CheckoutForm(forms.Form):
    """The checkout page: e-mail, pickup outlet or delivery (address and method), and how to pay.

    The commune list is the chosen province's; the page reloads it when the province changes.
    """

    email = forms.EmailField(label=_("E-mail"), max_length=254)
    delivery = forms.ChoiceField(label=_("How do you want to receive your order?"), widget=forms.RadioSelect)
    first_name = forms.CharField(label=_("First name"), max_length=256, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=256, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    street_address_1 = forms.CharField(label=_("House number and street"), max_length=256, required=False)
    country_area = forms.ChoiceField(label=_("Province"), required=False)
    city = forms.ChoiceField(label=_("Commune or ward"), required=False)
    shipping_method = forms.ChoiceField(label=_("Delivery method"), widget=forms.RadioSelect, required=False)
    payment = forms.ChoiceField(label=_("Payment"), widget=forms.RadioSelect)

    def __init__(
        self,
        *args,
        pickup: list[PickupOption],
        shipping_methods: list[ShippingMethod],
        card_available: bool,
        transfer_available: bool = False,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.pickup = pickup
        self._choice_field("delivery").choices = [
            (f"{PICKUP_PREFIX}{option.outlet.pk}", in_language(option.outlet, "name")) for option in pickup
        ] + [(DELIVERY, _("Home delivery"))]
        set_place_choices(self, province=self._value("country_area") or DEFAULT_PROVINCE)
        self._choice_field("shipping_method").choices = [(str(m.pk), in_language(m, "name")) for m in shipping_methods]
        self.shipping_methods = shipping_methods
        payments = [(CASH, _("Cash when I collect or receive the order"))]
        if transfer_available:
            payments.append((TRANSFER, _("Bank transfer: scan a VietQR code with your banking app")))
        if card_available:
            payments.append((CARD, _("Card (Visa, Mastercard, JCB)")))
        self._choice_field("payment").choices = payments
        if not self.is_bound:
            self.initial.setdefault("country_area", DEFAULT_PROVINCE)
            self.initial.setdefault("payment", CASH)
            if pickup:
                self.initial.setdefault("delivery", f"{PICKUP_PREFIX}{pickup[0].outlet.pk}")

    def _choice_field(self, name: str) -> forms.ChoiceField:
        return cast(forms.ChoiceField, self.fields[name])  # the copy of the ChoiceField declared above

    def _value(self, name: str) -> str:
        if self.is_bound:
            return self.data.get(self.add_prefix(name), "")
        return str(self.initial.get(name) or "")

    @property
    def outlet_id(self) -> int | None:
        value = self.cleaned_data.get("delivery", "")
        return int(value.removeprefix(PICKUP_PREFIX)) if value.startswith(PICKUP_PREFIX) else None

    @property
    def shipping_method_id(self) -> int | None:
        value = self.cleaned_data.get("shipping_method")
        return int(value) if value else None

    def address_values(self) -> dict[str, str]:
        data = self.cleaned_data
        return {
            name: data.get(name, "")
            for name in ("first_name", "last_name", "phone", "street_address_1", "country_area", "city")
        }

    def pickup_option(self, value: str) -> PickupOption | None:
        for option in self.pickup:
            if f"{PICKUP_PREFIX}{option.outlet.pk}" == value:
                return option
        return None


def card_payments_available() -> bool:
    """Cards are offered when Stripe.js can be given a publishable key and the server a secret key."""
    return bool(settings.STRIPE_PUBLISHABLE_KEY and settings.STRIPE_SECRET_KEY)


class RefundAccountForm(forms.Form):
    """Where the money of a transfer goes back to: the buyer's own account."""

    account_holder = forms.CharField(label=_("Account holder"), max_length=255)
    bank_name = forms.CharField(label=_("Bank"), max_length=255)
    account_number = forms.CharField(label=_("Account number"), max_length=40)

    def clean_account_number(self) -> str:
        number = "".join(self.cleaned_data["account_number"].split())
        if not number.isdigit() or not 6 <= len(number) <= 19:
            raise forms.ValidationError(_("An account number is 6 to 19 digits."))
        return number
