"""The producer portal's pages. Every view serves producer staff only and reads through selectors scoped to
`request.user.producer_id`: another producer's product, photo or order part answers 404."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from marketplace.accounts.models import Role
from marketplace.catalogue.models import Product, ProductMedia, ProductVariant
from marketplace.core.dates import local_today
from marketplace.core.errors import DomainError
from marketplace.orders.models import Fulfillment, FulfillmentStatus, OrderStatus
from marketplace.orders.services import fulfillment_mark_shipped
from web.access import role_required
from web.portal import selectors, services
from web.portal.forms import DescriptionForm, PhotoForm, PortalForm, PriceForm, ShipForm, StockForm

ORDERS_PER_PAGE = 20
THUMBNAIL_SIZE = "256"


@require_GET
@role_required(Role.PRODUCER_STAFF)
def home(request: HttpRequest) -> HttpResponse:
    producer_id = request.user.producer_id
    rows = selectors.producer_product_rows(producer_id=producer_id, today=local_today())
    warnings = sorted((row for row in rows if row.standing.needs_attention), key=lambda row: row.standing.days_left)
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


def _own_product(request: HttpRequest, product_id: int) -> Product:
    return get_object_or_404(selectors.producer_products(producer_id=request.user.producer_id), pk=product_id)


def _thumbnail_url(media: ProductMedia) -> str | None:
    if media.status != ProductMedia.Status.READY or not media.image:
        return None
    return default_storage.url((media.renditions or {}).get(THUMBNAIL_SIZE) or media.image.name)


def _render_product(
    request: HttpRequest,
    product: Product,
    *,
    variants: list[ProductVariant] | None = None,
    bound: dict[str, PortalForm] | None = None,
) -> HttpResponse:
    """The product page, with the form just sent (`bound`, by section) showing its errors."""
    variants = variants if variants is not None else selectors.product_variants(product=product)
    bound = bound or {}
    certifications = selectors.product_certifications(product=product)
    media = selectors.product_media(product=product)
    for item in media:
        item.thumbnail_url = _thumbnail_url(item)
    initial_descriptions = {name: getattr(product, name) for name in services.PRODUCER_EDITABLE_PRODUCT_FIELDS}
    context = {
        "product": product,
        "variants": variants,
        "certifications": certifications,
        "standing": selectors.certificate_standing(certifications=certifications, today=local_today()),
        "registry_media": [item for item in media if item.source == ProductMedia.Source.REGISTRY],
        "producer_media": [item for item in media if item.source == ProductMedia.Source.PRODUCER],
        "price_form": bound.get("prices") or PriceForm(variants=variants),
        "stock_form": bound.get("stock") or StockForm(variants=variants, outlets=selectors.stock_outlets()),
        "description_form": bound.get("descriptions") or DescriptionForm(initial=initial_descriptions),
        "photo_form": bound.get("photos") or PhotoForm(),
        "portal_section": "home",
    }
    return render(request, "portal/product.html", context)


def _save(
    request: HttpRequest,
    product: Product,
    form: PortalForm,
    *,
    section: str,
    save: Callable[[], object],
    saved: str,
    unchanged: str = "",
    variants: list[ProductVariant] | None = None,
) -> HttpResponse:
    """Validate `form` and `save()` through a service: back to the page's `section` with a message, or the
    page again with the form's errors. `save()` returns whether anything changed."""
    if form.is_valid():
        try:
            changed = save()
        except DomainError as error:
            form.add_service_errors(error)
        else:
            if changed or not unchanged:
                messages.success(request, saved)
            else:
                messages.info(request, unchanged)
            return redirect(f"{reverse('portal:product', args=[product.pk])}#{section}")
    return _render_product(request, product, variants=variants, bound={section: form})


@require_GET
@role_required(Role.PRODUCER_STAFF)
def product_detail(request: HttpRequest, product_id: int) -> HttpResponse:
    return _render_product(request, _own_product(request, product_id))


@require_POST
@role_required(Role.PRODUCER_STAFF)
def product_prices(request: HttpRequest, product_id: int) -> HttpResponse:
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
def product_stock(request: HttpRequest, product_id: int) -> HttpResponse:
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
def product_descriptions(request: HttpRequest, product_id: int) -> HttpResponse:
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
def product_photo_add(request: HttpRequest, product_id: int) -> HttpResponse:
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
def product_photo_remove(request: HttpRequest, product_id: int, media_id: int) -> HttpResponse:
    product = _own_product(request, product_id)
    media = get_object_or_404(
        ProductMedia.objects.select_related("product"),
        pk=media_id,
        product=product,
        source=ProductMedia.Source.PRODUCER,
    )
    services.product_photo_remove(media=media, by_user=request.user)
    messages.success(request, gettext("Photo removed."))
    return redirect(f"{reverse('portal:product', args=[product.pk])}#photos")


def _shippable(fulfillment: Fulfillment) -> bool:
    order = fulfillment.order
    return (
        not order.is_pickup
        and order.status == OrderStatus.UNFULFILLED
        and fulfillment.status == FulfillmentStatus.PENDING
    )


@require_GET
@role_required(Role.PRODUCER_STAFF)
def orders(request: HttpRequest) -> HttpResponse:
    show_all = request.GET.get("show") == "all"
    fulfillments: QuerySet[Fulfillment] = selectors.producer_fulfillments(
        producer_id=request.user.producer_id, open_only=not show_all
    )
    page = Paginator(fulfillments, ORDERS_PER_PAGE).get_page(request.GET.get("page"))
    for fulfillment in page:
        if _shippable(fulfillment):
            fulfillment.ship_form = ShipForm(auto_id=f"ship-{fulfillment.pk}-%s")
    return render(request, "portal/orders.html", {"page": page, "show_all": show_all, "portal_section": "orders"})


@require_POST
@role_required(Role.PRODUCER_STAFF)
def fulfillment_ship(request: HttpRequest, fulfillment_id: int) -> HttpResponse:
    fulfillment = get_object_or_404(
        Fulfillment.objects.select_related("order"), pk=fulfillment_id, producer_id=request.user.producer_id
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
