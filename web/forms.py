"""Forms of the consumer pages: the catalogue's filters (GET), verifying a certificate, reporting a misuse."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from marketplace.core.money import format_vnd
from search.backends.base import SearchFilters, SearchQuery, SortField
from web.languages import pack_label
from web.selectors import VariantOffer

PAGE_SIZE = 24
MAX_PAGE = 40  # deeper pages are a crawler's, not a shopper's: narrow the search instead
MAX_QUERY_LENGTH = 200  # as the API's productSearch
MAX_ID = 2**31 - 1  # the largest value of PostgreSQL's integer: facet values above it name nothing

# Sort choices as the page offers them: (value, label, field, descending).
SORTS = [
    ("relevance", _("Best match"), SortField.RELEVANCE, True),
    ("price", _("Price: low to high"), SortField.PRICE, False),
    ("-price", _("Price: high to low"), SortField.PRICE, True),
    ("stars", _("Most stars"), SortField.STARS, True),
    ("newest", _("Newest"), SortField.NEWEST, True),
]


class _Values(forms.MultipleChoiceField):
    """Facet values from the query string, checked only for their form (the facets offer what exists)."""

    def __init__(self, *, kind: type, **kwargs):
        self.kind = kind
        super().__init__(required=False, **kwargs)

    def valid_value(self, value) -> bool:
        try:
            parsed = self.kind(value)
        except (TypeError, ValueError):
            return False
        if isinstance(parsed, int) and not 0 <= parsed <= MAX_ID:
            return False  # no stars, group or outlet has such a number (and PostgreSQL would refuse to compare)
        return len(str(value)) <= 255 and "\x00" not in str(value)

    def clean(self, value):
        return tuple(self.kind(v) for v in super().clean(value))


def page_links(*, total: int, current: int) -> dict[str, int | None]:
    """The page links of a list of `total` results, PAGE_SIZE a page, at most MAX_PAGE pages."""
    pages = min(-(-total // PAGE_SIZE), MAX_PAGE)
    return {
        "current_page": current,
        "pages": pages,
        "previous_page": current - 1 if current > 1 else None,
        "next_page": current + 1 if current < pages else None,
    }


class CatalogueForm(forms.Form):
    """The catalogue's query string: text, facets, price range, sort and page. Invalid parts are ignored."""

    q = forms.CharField(label=_("Search products"), required=False, max_length=MAX_QUERY_LENGTH)
    stars = _Values(kind=int, label=_("Stars"))
    group = _Values(kind=int, label=_("Product group"))
    commune = _Values(kind=str, label=_("Commune"))
    outlet = _Values(kind=int, label=_("In stock at"))
    price_min = forms.IntegerField(label=_("From (VND)"), required=False, min_value=0)
    price_max = forms.IntegerField(label=_("To (VND)"), required=False, min_value=0)
    sort = forms.ChoiceField(
        label=_("Sort by"), required=False, choices=[(value, label) for value, label, _f, _d in SORTS]
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE)

    def search_query(self) -> SearchQuery:
        """The search this query string asks for; a part that does not parse is left out."""
        self.is_valid()
        data = {name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors}
        sort = next((s for s in SORTS if s[0] == (data.get("sort") or "relevance")), SORTS[0])
        page = data.get("page") or 1
        return SearchQuery(
            text=(data.get("q") or "").strip(),
            filters=SearchFilters(
                stars=data.get("stars") or (),
                group_ids=data.get("group") or (),
                communes=data.get("commune") or (),
                outlet_ids=data.get("outlet") or (),
                price_min=data.get("price_min"),
                price_max=data.get("price_max"),
            ),
            sort=sort[2],
            descending=sort[3],
            offset=(page - 1) * PAGE_SIZE,
            limit=PAGE_SIZE,
        )

    @property
    def page_number(self) -> int:
        return (self.cleaned_data.get("page") if "page" not in self.errors else None) or 1


class VerifyForm(forms.Form):
    certificate_id = forms.CharField(
        label=_("Certificate number"),
        max_length=64,
        help_text=_("As printed on the label or the certificate, e.g. DN-2025-0001."),
        # The number goes into the result page's address, one path segment: no certificate's number has a "/".
        validators=[RegexValidator("/", inverse_match=True)],
    )


class MisuseReportForm(forms.Form):
    place = forms.CharField(
        label=_("Where did you see it?"),
        max_length=500,
        help_text=_("The shop, market or website, and its address."),
    )
    description = forms.CharField(
        label=_("What did you see?"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    reporter_name = forms.CharField(label=_("Your name (optional)"), max_length=255, required=False)
    reporter_contact = forms.CharField(
        label=_("Your e-mail or phone (optional)"),
        max_length=255,
        required=False,
        help_text=_("Only if you agree to be contacted about this report."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():  # the page prints each help text under this id
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"id_{name}-help"


class AddToCartForm(forms.Form):
    """Posted to /cart/add/ (the cart's view validates it again)."""

    variant_id = forms.TypedChoiceField(label=_("Pack"), coerce=int)
    quantity = forms.IntegerField(
        label=_("Quantity"), min_value=1, max_value=99, initial=1, widget=forms.NumberInput(attrs={"size": 3})
    )

    def __init__(self, *args: Any, offers: Iterable[VariantOffer] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = get_language() or "vi"
        self._variant_field().choices = [
            (
                offer.variant.pk,
                f"{pack_label(offer.variant) or offer.variant.sku} – {format_vnd(offer.price, language)}",
            )
            for offer in offers
            if offer.price is not None and offer.available > 0
        ]

    def _variant_field(self) -> forms.TypedChoiceField:
        return cast(forms.TypedChoiceField, self.fields["variant_id"])  # the copy of `variant_id` declared above

    def has_packs(self) -> bool:
        """Whether any pack can be chosen: priced and in stock."""
        return bool(self._variant_field().choices)
