"""The forms of counts, write-offs and transfers in the outlet console. Each carries an idempotency key drawn with
the page, so a form sent twice (a double tap, a dropped connection retried) is recorded once."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.inventory.models import Stock
from marketplace.stockmoves.models import VarianceReason
from web.outletdesk.labels import outlet_name, product_name

QUANTITY_LIMIT = 1_000_000


def reason_choices() -> list[tuple[str, Any]]:
    return [("", _("Choose a reason")), *VarianceReason.choices]


def _variant_label(stock: Stock) -> str:
    variant = stock.variant
    return f"{product_name(variant.product)} – {variant.name} ({variant.sku})"


def _source_label(stock: Stock) -> str:
    available = _("%(count)s available") % {"count": stock.quantity_available}
    return f"{_variant_label(stock)} · {outlet_name(stock.outlet)}: {available}"


class WriteOffForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    variant = forms.TypedChoiceField(
        label=_("Product"), coerce=int, error_messages={"required": _("Choose the product.")}
    )
    quantity = forms.IntegerField(
        label=_("Quantity written off"),
        min_value=1,
        max_value=QUANTITY_LIMIT,
        initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=VarianceReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose why.")},
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=255, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )

    def __init__(self, *args: Any, stocks: Iterable[Stock], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[Any, str]] = [("", str(_("Choose the product")))]
        on_shelf = _("on the shelf")  # outside the f-string, where makemessages finds it
        choices += [(stock.variant_id, f"{_variant_label(stock)} · {on_shelf}: {stock.quantity}") for stock in stocks]
        self.fields["variant"].choices = choices  # type: ignore[attr-defined]


class TransferRequestForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    order = forms.UUIDField(widget=forms.HiddenInput, required=False)
    source = forms.TypedChoiceField(
        label=_("Product, and the outlet to ask"), coerce=int, error_messages={"required": _("Choose what to ask for.")}
    )
    quantity = forms.IntegerField(
        label=_("Quantity"),
        min_value=1,
        max_value=QUANTITY_LIMIT,
        initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    note = forms.CharField(label=_("Note for the other outlet"), required=False, max_length=255)

    def __init__(self, *args: Any, sources: Iterable[Stock], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sources = {stock.pk: stock for stock in sources}
        choices: list[tuple[Any, str]] = [("", str(_("Choose a product at another outlet")))]
        choices += [(stock.pk, _source_label(stock)) for stock in self.sources.values()]
        self.fields["source"].choices = choices  # type: ignore[attr-defined]

    def source_stock(self) -> Stock:
        return self.sources[self.cleaned_data["source"]]


class TransferQuantityForm(forms.Form):
    """How many are sent, or received."""

    quantity = forms.IntegerField(min_value=0, max_value=QUANTITY_LIMIT, required=False)
    answer = forms.CharField(required=False, max_length=255)
