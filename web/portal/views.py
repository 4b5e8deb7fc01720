"""The producer portal's pages. Every view serves producer staff only and reads through selectors scoped to
`own_producer_id(request)`: another producer's product, photo or order part answers 404."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.messages.storage.base import Message
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from marketplace.accounts.models import Role
from marketplace.catalogue.models import Product, ProductMedia
from marketplace.core.dates import local_today
from marketplace.core.errors import DomainError
from marketplace.ledger.models import PayoutDetails
from marketplace.ledger.payouts import payout_details_update
from marketplace.ledger.selectors import Period, parse_month, producer_statement
from marketplace.orders.models import Fulfillment, FulfillmentStatus, OrderStatus
from marketplace.orders.services import fulfillment_mark_shipped
from marketplace.producers.models import Producer
from web.access import SignedInRequest, own_producer_id, role_required
from web.portal import selectors, services
from web.portal.forms import (
    DescriptionForm,
    PackNamesForm,
    PayoutDetailsForm,
    PhotoForm,
    PortalForm,
    PriceForm,
    ShipForm,
    StockForm,
)
from web.portal.statement_files import statement_filename, statement_pdf, statement_xlsx

ORDERS_PER_PAGE = 20
THUMBNAIL_SIZE = "256"
# The product page's forms, each in a section of that id; a message about one is tagged with it and shown there.
PRODUCT_SECTIONS = ("prices", "packs", "stock", "descriptions", "photos")
SECTION_TAG = "portal-section-"


@require_GET
@role_required(Role.PRODUCER_STAFF)
def home(request: SignedInRequest) -> HttpResponse:
    producer_id = own_producer_id(request)
    rows = selectors.producer_product_rows(producer_id=producer_id, today=local_today())
    warnings = sorted((row for row in rows if row.standing.needs_attention), key=_days_left)
    return render(
        request,
        "portal/home.html",
        {
            "rows": rows,
            "warnings": warnings,
            "open_orders": selectors.producer_open_order_count(producer_id=producer_id),
            "portal_section": "home",
        },
    )


def _days_left(row: selectors.ProductRow) -> int:
    # Only expiring and expired certificates are warned about, and both always count their days left.
    return row.standing.days_left if row.standing.days_left is not None else 0


def _own_product(request: SignedInRequest, product_id: int) -> Product:
    return get_object_or_404(selectors.producer_products(producer_id=own_producer_id(request)), pk=product_id)


@dataclass(frozen=True)
class Photo:
    """A photo on the product page, with the address of its thumbnail (None until the photo is ready)."""

    media: ProductMedia
    thumbnail_url: str | None


def _photo(media: ProductMedia) -> Photo:
    if media.status != ProductMedia.Status.READY or not media.image:
        return Photo(media=media, thumbnail_url=None)
    url = default_storage.url((media.renditions or {}).get(THUMBNAIL_SIZE) or media.image.name)
    return Photo(media=media, thumbnail_url=url)


def _announce(request: SignedInRequest, section: str, text: str, *, level: int = messages.SUCCESS) -> None:
    """A message about the form of the product page's `section`: the page shows it in that section, beside the
    form, where the redirect's #section brings the eye (not at the top of the page, off screen)."""
    messages.add_message(request, level, text, extra_tags=f"{SECTION_TAG}{section}")


def _messages_by_section(request: SignedInRequest) -> tuple[dict[str, list[Message]], list[Message]]:
    """The pending messages: those about a section of the product page, by section, and the others."""
    by_section: dict[str, list[Message]] = {section: [] for section in PRODUCT_SECTIONS}
    others: list[Message] = []
    for message in messages.get_messages(request):
        section = (message.extra_tags or "").removeprefix(SECTION_TAG)
        by_section.get(section, others).append(message)
    return by_section, others


def _render_product(
    request: SignedInRequest,
    product: Product,
    *,
    variants: list[selectors.VariantRow] | None = None,
    bound: dict[str, PortalForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The product page, with the form just sent (`bound`, by section) showing its errors."""
    variants = variants if variants is not None else selectors.product_variants(product=product)
    bound = bound or {}
    section_messages, page_messages = _messages_by_section(request)
    certifications = selectors.product_certifications(product=product)
    photos = [_photo(media) for media in selectors.product_media(product=product)]
    initial_descriptions = {name: getattr(product, name) for name in services.PRODUCER_EDITABLE_PRODUCT_FIELDS}
    context = {
        "product": product,
        "variants": variants,
        "certifications": certifications,
        "standing": selectors.certificate_standing(certifications=certifications, today=local_today()),
        "registry_photos": [photo for photo in photos if photo.media.source == ProductMedia.Source.REGISTRY],
        "producer_photos": [photo for photo in photos if photo.media.source == ProductMedia.Source.PRODUCER],
        "price_form": bound.get("prices") or PriceForm(variants=variants),
        "pack_form": bound.get("packs") or PackNamesForm(variants=variants),
        "stock_form": bound.get("stock") or StockForm(variants=variants, outlets=selectors.stock_outlets()),
        "description_form": bound.get("descriptions") or DescriptionForm(initial=initial_descriptions),
        "photo_form": bound.get("photos") or PhotoForm(),
        "section_messages": section_messages,
        "page_messages": page_messages,
        "portal_section": "home",
    }
    return render(request, "portal/product.html", context, status=status)


def _save(
    request: SignedInRequest,
    product: Product,
    form: PortalForm,
    *,
    section: str,
    save: Callable[[], object],
    saved: str,
    unchanged: str = "",
    variants: list[selectors.VariantRow] | None = None,
) -> HttpResponse:
    """Validate `form` and `save()` through a service: back to the page's `section` with a message shown there, or
    the page again (400) with the form's errors beside it and its first error focused. The form posts to its
    address with #section, so that page opens at the section too."""
    if form.is_valid():
        try:
            changed = save()
        except DomainError as error:
            form.add_service_errors(error)
        else:
            if changed or not unchanged:
                _announce(request, section, saved)
            else:
                _announce(request, section, unchanged, level=messages.INFO)
            return redirect(f"{reverse('portal:product', args=[product.pk])}#{section}")
    form.focus_first_error()
    return _render_product(request, product, variants=variants, bound={section: form}, status=400)


@require_GET
@role_required(Role.PRODUCER_STAFF)
def product_detail(request: SignedInRequest, product_id: int) -> HttpResponse:
    return _render_product(request, _own_product(request, product_id))


@require_POST
@role_required(Role.PRODUCER_STAFF)
def product_prices(request: SignedInRequest, product_id: int) -> HttpResponse:
    product = _own_product(request, product_id)
    variants = selectors.product_variants(product=product)
    form = PriceForm(request.POST, variants=variants)
    return _save(
        request,
        product,
        form,
        section="prices",
        variants=variants,
        save=lambda: services.variant_prices_update(product=product, prices=form.prices(), by_user=request.user),
        saved=gettext("Prices saved. Shoppers see them now."),
        unchanged=gettext("No price changed."),
    )


@require_POST
@role_required(Role.PRODUCER_STAFF)
def product_packs(request: SignedInRequest, product_id: int) -> HttpResponse:
    """The packs' English names (issue 16 §3: "Hũ 500 g" was left in Vietnamese on English pages)."""
    product = _own_product(request, product_id)
    variants = selectors.product_variants(product=product)
    form = PackNamesForm(request.POST, variants=variants)
    return _save(
        request,
        product,
        form,
        section="packs",
        variants=variants,
        save=lambda: services.variant_names_en_update(product=product, names=form.names(), by_user=request.user),
        saved=gettext("English pack names saved."),
        unchanged=gettext("Nothing changed."),
    )


@require_POST
@role_required(Role.PRODUCER_STAFF)
def product_stock(request: SignedInRequest, product_id: int) -> HttpResponse:
    product = _own_product(request, product_id)
    variants = selectors.product_variants(product=product)
    form = StockForm(request.POST, variants=variants, outlets=selectors.stock_outlets())
    return _save(
        request,
        product,
        form,
        section="stock",
        variants=variants,
        save=lambda: services.stock_update_quantities(
            product=product, quantities=form.quantities(), by_user=request.user
        ),
        saved=gettext("Stock saved."),
        unchanged=gettext("No quantity changed."),
    )


@require_POST
@role_required(Role.PRODUCER_STAFF)
def product_descriptions(request: SignedInRequest, product_id: int) -> HttpResponse:
    product = _own_product(request, product_id)
    form = DescriptionForm(request.POST)
    return _save(
        request,
        product,
        form,
        section="descriptions",
        save=lambda: services.product_descriptions_update(
            product=product,
            seller_description=form.cleaned_data["seller_description"],
            seller_description_en=form.cleaned_data["seller_description_en"],
            by_user=request.user,
        ),
        saved=gettext("Descriptions saved."),
        unchanged=gettext("Nothing changed."),
    )


@require_POST
@role_required(Role.PRODUCER_STAFF)
def product_photo_add(request: SignedInRequest, product_id: int) -> HttpResponse:
    product = _own_product(request, product_id)
    form = PhotoForm(request.POST, request.FILES)
    return _save(
        request,
        product,
        form,
        section="photos",
        save=lambda: services.product_photo_add(
            product=product,
            processed=form.cleaned_data["photo"],
            alt=form.cleaned_data["alt"] or product.name,
            by_user=request.user,
        ),
        saved=gettext("Photo added. Shoppers see it with the product."),
    )


@require_POST
@role_required(Role.PRODUCER_STAFF)
def product_photo_remove(request: SignedInRequest, product_id: int, media_id: int) -> HttpResponse:
    product = _own_product(request, product_id)
    media = get_object_or_404(
        ProductMedia.objects.select_related("product"),
        pk=media_id,
        product=product,
        source=ProductMedia.Source.PRODUCER,
    )
    services.product_photo_remove(media=media, by_user=request.user)
    _announce(request, "photos", gettext("Photo removed."))
    return redirect(f"{reverse('portal:product', args=[product.pk])}#photos")


@dataclass(frozen=True)
class OrderPart:
    """The producer's part of an order, with the form that marks it shipped while it can be."""

    fulfillment: Fulfillment
    ship_form: ShipForm | None


def _shippable(fulfillment: Fulfillment) -> bool:
    order = fulfillment.order
    return (
        not order.is_pickup
        and order.status == OrderStatus.UNFULFILLED
        and fulfillment.status == FulfillmentStatus.PENDING
    )


@require_GET
@role_required(Role.PRODUCER_STAFF)
def orders(request: SignedInRequest) -> HttpResponse:
    show_all = request.GET.get("show") == "all"
    fulfillments: QuerySet[Fulfillment] = selectors.producer_fulfillments(
        producer_id=own_producer_id(request), open_only=not show_all
    )
    page = Paginator(fulfillments, ORDERS_PER_PAGE).get_page(request.GET.get("page"))
    parts = [
        OrderPart(
            fulfillment=fulfillment,
            ship_form=ShipForm(auto_id=f"ship-{fulfillment.pk}-%s") if _shippable(fulfillment) else None,
        )
        for fulfillment in page
    ]
    return render(
        request,
        "portal/orders.html",
        {"page": page, "parts": parts, "show_all": show_all, "portal_section": "orders"},
    )


@require_POST
@role_required(Role.PRODUCER_STAFF)
def fulfillment_ship(request: SignedInRequest, fulfillment_id: int) -> HttpResponse:
    fulfillment = get_object_or_404(
        Fulfillment.objects.select_related("order"), pk=fulfillment_id, producer_id=own_producer_id(request)
    )
    form = ShipForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("The tracking number is too long."))
    else:
        try:
            order = fulfillment_mark_shipped(
                fulfillment=fulfillment, by_user=request.user, tracking_number=form.cleaned_data["tracking_number"]
            )
        except DomainError as error:
            # The order services speak English; their messages are in this app's catalogue too.
            messages.error(request, " ".join(gettext(detail.message) for detail in error.details))
        else:
            messages.success(
                request, gettext("Order #%(number)s: your part is marked shipped.") % {"number": order.number}
            )
    return redirect("portal:orders")


# --- the statement of account and the bank details -----------------------------------------------------------

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _statement_period(request: SignedInRequest) -> Period:
    """The month asked for (?month=YYYY-MM), or this month (Vietnam time) with a message when it is not a month."""
    try:
        return parse_month(request.GET.get("month"), today=local_today())
    except ValueError:
        messages.error(request, gettext("A month is written like 2026-11; here is this month's statement."))
        return parse_month(None, today=local_today())


@require_GET
@role_required(Role.PRODUCER_STAFF)
def statement(request: SignedInRequest) -> HttpResponse:
    """The producer's statement of account for a month: the page, or ?format=xlsx / ?format=pdf."""
    producer = request.user.producer
    if producer is None:  # role_required turned staff without a producer away
        raise Http404
    period = _statement_period(request)
    report = producer_statement(producer=producer, period=period)
    kind = request.GET.get("format", "html")
    if kind == "xlsx":
        return _download(statement_xlsx(report), XLSX, statement_filename(report, "xlsx"))
    if kind == "pdf":
        return _download(statement_pdf(report), "application/pdf", statement_filename(report, "pdf"))
    previous, following = _neighbours(period)
    context = {
        "statement": report,
        "month": period.month_value,
        "previous_month": previous,
        "next_month": following,
        "portal_section": "statement",
    }
    return render(request, "portal/statement.html", context)


@require_GET
@role_required(Role.OPERATOR)
def producer_statement_file(request: SignedInRequest, producer_id: int) -> HttpResponse:
    """An operator's copy of any producer's statement as a file, ?format=pdf or xlsx (the same files the producer
    downloads; the page itself is in the back office, linked from there)."""
    producer = get_object_or_404(Producer, pk=producer_id)
    report = producer_statement(producer=producer, period=_statement_period(request))
    if request.GET.get("format") == "pdf":
        return _download(statement_pdf(report), "application/pdf", statement_filename(report, "pdf"))
    return _download(statement_xlsx(report), XLSX, statement_filename(report, "xlsx"))


def _neighbours(period: Period) -> tuple[str, str | None]:
    """The months before and after (none after this month)."""
    before = period.start - datetime.timedelta(days=1)
    after = period.end + datetime.timedelta(days=1)
    return f"{before:%Y-%m}", (f"{after:%Y-%m}" if after <= local_today() else None)


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_http_methods(["GET", "POST"])
@role_required(Role.PRODUCER_STAFF)
def payout_details(request: SignedInRequest) -> HttpResponse:
    """Where the producer is paid: its bank, account number and holder."""
    producer = request.user.producer
    if producer is None:
        raise Http404
    current = PayoutDetails.objects.filter(producer=producer).first()
    if request.method == "POST":
        form = PayoutDetailsForm(request.POST)
        if form.is_valid():
            try:
                payout_details_update(producer=producer, by_user=request.user, **form.cleaned_data)
            except DomainError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, gettext("Bank details saved. Payouts go to this account from now on."))
                return redirect("portal:payout-details")
    else:
        initial = {name: getattr(current, name) for name in PayoutDetailsForm.base_fields} if current else {}
        form = PayoutDetailsForm(initial=initial)
    return render(request, "portal/payout_details.html", {"form": form, "current": current, "portal_section": "payout"})
