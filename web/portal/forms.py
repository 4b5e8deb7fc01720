"""The portal's forms. They check what a person typed; the services check it again under lock, and decide."""

from __future__ import annotations

import re
from typing import Any, cast

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from marketplace.catalogue.images import ImageRejected, ProcessedImage, process_image, rejection_message
from marketplace.catalogue.models import ProductVariant
from marketplace.catalogue.packs import pack_name_en
from marketplace.core.errors import DomainError, ErrorDetail
from marketplace.core.text import clean_text
from marketplace.deliveries.services import MAX_LINE_QUANTITY, MAX_LOT, MAX_NOTE, AnnouncedLine
from marketplace.inventory.models import Stock
from marketplace.outlets.models import Outlet
from web.delivery_refusals import delivery_refusal
from web.portal.selectors import VariantRow
from web.portal.services import MAX_PRICE, MAX_QUANTITY

# 150000, or grouped by thousands as people write it: 150.000 / 150,000 / 150 000, with or without "₫".
_AMOUNT = re.compile(r"^(\d+|\d{1,3}(?:[.,\s]\d{3})+)$")
_CURRENCY = re.compile(r"\s*(₫|đ|vnd|đồng)\s*$", re.IGNORECASE)


def variant_label(variant: ProductVariant) -> str:
    return f"{variant.name} ({variant.sku})" if variant.name else variant.sku


class DongField(forms.IntegerField):
    """A price in whole đồng, typed as people write it."""

    default_error_messages = {"invalid": _("Enter a whole number of đồng, such as 150000 or 150.000.")}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_PRICE)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str):
            text = _CURRENCY.sub("", value.strip())
            if text and not _AMOUNT.match(text):
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            value = re.sub(r"[.,\s]", "", text)
        return super().to_python(value)


class PortalForm(forms.Form):
    """A form whose service may still refuse: the refusals go next to the fields they are about.

    When it comes back with errors, `focus_first_error()` marks the first field at fault, in the order the page
    shows them, with `autofocus` (or, when only the form as a whole is at fault, its error summary): the browser
    puts the cursor there, in view, without any script."""

    focus_summary = False  # whether the error summary, rather than a field, takes the focus

    def field_for(self, detail: ErrorDetail) -> str | None:
        return None

    def page_order(self) -> list[str]:
        """The names of the fields in the order the page shows them."""
        return list(self.fields)

    def invalid_fields(self) -> list[forms.BoundField]:
        """The fields with errors, in page order (the error summary lists them so)."""
        return [self[name] for name in self.page_order() if name in self.errors]

    def focus_first_error(self) -> None:
        invalid = self.invalid_fields()
        if invalid:
            invalid[0].field.widget.attrs["autofocus"] = True
        else:
            self.focus_summary = bool(self.errors)

    def add_service_errors(self, error: DomainError) -> None:
        for detail in error.details:
            name = self.field_for(detail)
            self.add_error(name if name in self.fields else None, detail.message)


class PriceForm(PortalForm):
    """One price per variant of the product, in the default channel."""

    def __init__(self, *args: Any, variants: list[VariantRow], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for row in variants:
            self.fields[self.field_name(row.variant.pk)] = DongField(
                label=_("Price of %(variant)s (đồng)") % {"variant": variant_label(row.variant)},
                initial=row.price_amount,
            )

    @staticmethod
    def field_name(variant_id: int) -> str:
        return f"variant_{variant_id}"

    def field_for(self, detail: ErrorDetail) -> str | None:
        return self.field_name(detail.variants[0]) if detail.variants else None

    def prices(self) -> dict[int, int]:
        return {int(name.removeprefix("variant_")): amount for name, amount in self.cleaned_data.items()}


class PackNamesForm(PortalForm):
    """The English name of each pack, for tourists reading the shop in English."""

    def __init__(self, *args: Any, variants: list[VariantRow], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for row in variants:
            self.fields[self.field_name(row.variant.pk)] = forms.CharField(
                label=_("%(variant)s in English") % {"variant": variant_label(row.variant)},
                initial=row.variant.name_en,
                required=False,
                max_length=255,
                help_text=_("Empty: English pages show %(guess)s.")
                % {"guess": pack_name_en(row.variant.name) or row.variant.name or row.variant.sku},
                widget=forms.TextInput(attrs={"lang": "en", "autocomplete": "off"}),
            )

    @staticmethod
    def field_name(variant_id: int) -> str:
        return f"pack_{variant_id}"

    def field_for(self, detail: ErrorDetail) -> str | None:
        return self.field_name(detail.variants[0]) if detail.variants else None

    def names(self) -> dict[int, str]:
        return {int(name.removeprefix("pack_")): value for name, value in self.cleaned_data.items()}


class StockForm(PortalForm):
    """The quantity at each outlet already holding one of the product's variants, and one more outlet to add."""

    new_variant = forms.TypedChoiceField(label=_("Variant"), coerce=int, required=False)
    new_outlet = forms.ModelChoiceField(
        label=_("Outlet"), queryset=Outlet.objects.none(), required=False, empty_label=_("— choose an outlet —")
    )
    new_quantity = forms.IntegerField(label=_("Quantity"), min_value=0, max_value=MAX_QUANTITY, required=False)

    def __init__(self, *args: Any, variants: list[VariantRow], outlets: QuerySet[Outlet], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows: list[tuple[str, ProductVariant, Stock]] = []  # (field name, variant, stock) in display order
        for variant, stocks in ((row.variant, row.stocks) for row in variants):
            for stock in stocks:
                name = self.field_name(variant.pk, stock.outlet_id)
                self.fields[name] = forms.IntegerField(
                    label=_("%(variant)s at %(outlet)s") % {"variant": variant_label(variant), "outlet": stock.outlet},
                    min_value=0,
                    max_value=MAX_QUANTITY,
                    initial=stock.quantity,
                )
                self.rows.append((name, variant, stock))
        cast(forms.TypedChoiceField, self.fields["new_variant"]).choices = [
            (row.variant.pk, variant_label(row.variant)) for row in variants
        ]
        cast(forms.ModelChoiceField, self.fields["new_outlet"]).queryset = outlets
        self._allocated = {name: stock.quantity_allocated for name, _variant, stock in self.rows}
        self._existing = {(variant.pk, stock.outlet_id) for _name, variant, stock in self.rows}

    @staticmethod
    def field_name(variant_id: int, outlet_id: int) -> str:
        return f"stock_{variant_id}_{outlet_id}"

    def bound_rows(self) -> list[tuple[forms.BoundField, ProductVariant, Stock]]:
        return [(self[name], variant, stock) for name, variant, stock in self.rows]

    def page_order(self) -> list[str]:
        """The table of outlets holding stock first, then the outlet to add."""
        return [name for name, _variant, _stock in self.rows] + ["new_variant", "new_outlet", "new_quantity"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        for name, allocated in self._allocated.items():
            quantity = cleaned.get(name)
            if quantity is not None and quantity < allocated:
                self.add_error(
                    name,
                    forms.ValidationError(
                        _("%(allocated)s are promised to orders; the quantity cannot be lower."),
                        code="below_allocated",
                        params={"allocated": allocated},
                    ),
                )
        outlet, quantity = cleaned.get("new_outlet"), cleaned.get("new_quantity")
        if outlet is not None and quantity is None:
            self.add_error("new_quantity", _("How many does this outlet hold?"))
        if outlet is None and quantity is not None:
            self.add_error("new_outlet", _("Choose the outlet that holds them."))
        if outlet is not None and (cleaned.get("new_variant"), outlet.pk) in self._existing:
            self.add_error("new_outlet", _("This outlet already holds this variant: change its quantity above."))
        return cleaned

    def field_for(self, detail: ErrorDetail) -> str | None:
        outlet = detail.extra.get("outlet")
        name = self.field_name(detail.variants[0], int(outlet)) if detail.variants and outlet else None
        return name if name in self.fields else "new_quantity"

    def quantities(self) -> dict[tuple[int, int], int]:
        result = {(variant.pk, stock.outlet_id): self.cleaned_data[name] for name, variant, stock in self.rows}
        if self.cleaned_data.get("new_outlet") is not None:
            result[(self.cleaned_data["new_variant"], self.cleaned_data["new_outlet"].pk)] = self.cleaned_data[
                "new_quantity"
            ]
        return result


class DescriptionForm(PortalForm):
    """The producer's own words about the product; the registry's description is shown beside them, unchanged."""

    seller_description = forms.CharField(
        label=_("Your description (Vietnamese)"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=10_000,
    )
    seller_description_en = forms.CharField(
        label=_("Your description (English)"),
        widget=forms.Textarea(attrs={"rows": 6, "lang": "en"}),
        required=False,
        max_length=10_000,
    )


class PhotoForm(PortalForm):
    """A photo of the product: checked and re-encoded by the catalogue's image pipeline before anything is stored,
    and big enough to show (`OCOP_PHOTO_MIN_SIDE` pixels on its shorter side)."""

    photo = forms.FileField(
        label=_("Photo file"),
        help_text=format_lazy(
            _(
                "A JPEG, PNG or WebP picture of at most {size} MB, at least {min_side} pixels on its shorter side. "
                "Square or 4:3 shows best on the shop."
            ),
            size=settings.OCOP_IMAGE_MAX_BYTES // (1024 * 1024),
            min_side=settings.OCOP_PHOTO_MIN_SIDE,
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    alt = forms.CharField(
        label=_("What the photo shows"),
        help_text=_("Read aloud to people who cannot see it, e.g. “A 500 g bag of roasted cashews”."),
        max_length=255,
        required=False,
    )

    def clean_photo(self) -> ProcessedImage:
        upload = self.cleaned_data["photo"]
        max_bytes = settings.OCOP_IMAGE_MAX_BYTES
        if upload.size > max_bytes:  # refused before it is read into memory
            raise forms.ValidationError(
                _("This file is %(size)s MB; a photo may be at most %(max)s MB."),
                code="too_large",
                params={"size": f"{upload.size / (1024 * 1024):.1f}", "max": max_bytes // (1024 * 1024)},
            )
        upload.seek(0)
        try:
            return process_image(
                upload.read(),
                max_pixels=settings.OCOP_IMAGE_MAX_PIXELS,
                max_bytes=max_bytes,
                sizes=settings.OCOP_IMAGE_RENDITION_SIZES,
                min_side=settings.OCOP_PHOTO_MIN_SIDE,
            )
        except ImageRejected as rejected:
            raise forms.ValidationError(rejection_message(rejected), code=rejected.code) from rejected


class ShipForm(forms.Form):
    tracking_number = forms.CharField(
        label=_("Tracking number"),
        max_length=255,
        required=False,
        help_text=_("The courier's number for the parcel, if it has one."),
    )

    def clean_tracking_number(self) -> str:
        """As the buyer's e-mail and the order page will show it: NFC, no control characters or markup."""
        return clean_text(self.cleaned_data["tracking_number"]) or ""


class PayoutDetailsForm(PortalForm):
    """Where the producer is paid. The service writes the holder's name as banks want it (capital letters without
    accents) and checks everything again."""

    bank_bin = forms.CharField(
        label=_("Bank BIN"), max_length=6, help_text=_("The bank's 6-digit Napas code, e.g. 970436 for Vietcombank.")
    )
    bank_name = forms.CharField(label=_("Bank"), max_length=200)
    account_number = forms.CharField(
        label=_("Account number"), max_length=40, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    account_holder = forms.CharField(
        label=_("Account holder"),
        max_length=100,
        help_text=_("As the bank has it; we write it in capital letters without accents."),
    )

    def field_for(self, detail: ErrorDetail) -> str | None:
        return detail.field

    def add_service_errors(self, error: DomainError) -> None:
        """The service's refusals (in English), in the page's language, next to their fields."""
        for detail in error.details:
            name = self.field_for(detail)
            self.add_error(name if name in self.fields else None, gettext(detail.message))


class DeliveryAnnouncementForm(PortalForm):
    """A delivery to announce: the outlet, the day, and per variant of the cooperative's listed products the quantity
    sent (empty: none), with the lot and best-before date when known."""

    outlet = forms.ModelChoiceField(
        label=_("Outlet"), queryset=Outlet.objects.none(), empty_label=_("— choose an outlet —")
    )
    expected_on = forms.DateField(
        label=_("Arrives on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(
        label=_("Note for the outlet"), required=False, max_length=MAX_NOTE, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, variants: list[ProductVariant], outlets: QuerySet[Outlet], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["outlet"]).queryset = outlets
        self.variants = variants
        for variant in variants:
            name = f"{variant.product.name} – {variant_label(variant)}"
            self.fields[f"quantity_{variant.pk}"] = forms.IntegerField(
                label=_("Quantity of %(variant)s") % {"variant": name},
                min_value=1,
                max_value=MAX_LINE_QUANTITY,
                required=False,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )
            self.fields[f"lot_{variant.pk}"] = forms.CharField(
                label=_("Lot of %(variant)s") % {"variant": name}, max_length=MAX_LOT, required=False
            )
            self.fields[f"best_before_{variant.pk}"] = forms.DateField(
                label=_("Best before, %(variant)s") % {"variant": name},
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            )

    def rows(self) -> list[tuple[ProductVariant, forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [
            (variant, self[f"quantity_{variant.pk}"], self[f"lot_{variant.pk}"], self[f"best_before_{variant.pk}"])
            for variant in self.variants
        ]

    def lines(self) -> list[AnnouncedLine]:
        data = self.cleaned_data
        return [
            AnnouncedLine(
                variant_id=variant.pk,
                quantity=data[f"quantity_{variant.pk}"],
                lot=data.get(f"lot_{variant.pk}") or "",
                best_before=data.get(f"best_before_{variant.pk}"),
            )
            for variant in self.variants
            if data.get(f"quantity_{variant.pk}")
        ]

    def field_for(self, detail: ErrorDetail) -> str | None:
        if detail.variants and detail.field in ("quantity", "lot", "lines"):
            return f"{'lot' if detail.field == 'lot' else 'quantity'}_{detail.variants[0]}"
        return {"outlet": "outlet", "expectedOn": "expected_on", "note": "note"}.get(detail.field or "")

    def add_service_errors(self, error: DomainError) -> None:
        for detail in error.details:
            name = self.field_for(detail)
            self.add_error(name if name in self.fields else None, delivery_refusal(detail))
