import uuid
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from marketplace.accounts.permissions import RoleScopedAdminMixin
from marketplace.catalogue.images import ImageRejected, process_image, rejection_message
from marketplace.catalogue.models import (
    Category,
    Collection,
    CollectionProduct,
    ListingEvent,
    Product,
    ProductMedia,
    ProductVariant,
    ProductVariantChannelListing,
)
from marketplace.catalogue.permissions import (
    CATEGORY,
    COLLECTION,
    LISTING_EVENT,
    PRODUCER_MEDIA,
    PRODUCT,
    REGISTRY_MEDIA,
    VARIANT,
    VARIANT_PRICE,
)
from marketplace.catalogue.slugs import english_slug_fill
from marketplace.certification.admin import render_stars
from marketplace.certification.models import Certification
from marketplace.certification.permissions import CERTIFICATION
from marketplace.inventory.admin import StockInline


@admin.register(Category)
class CategoryAdmin(RoleScopedAdminMixin, admin.ModelAdmin):
    """OCOP groups and product sets, as the registry names them; only the English name and slug are ours."""

    resource = CATEGORY
    list_display = ("name", "name_en", "kind", "scheme", "code", "parent")
    list_filter = ("kind", "scheme")
    list_select_related = ("parent",)
    search_fields = ("name", "name_en", "code")

    def save_model(self, request: HttpRequest, obj: Category, form: Any, change: bool) -> None:
        english_slug_fill(obj)
        super().save_model(request, obj, form, change)


class CollectionProductInline(RoleScopedAdminMixin, admin.TabularInline):
    resource = COLLECTION
    model = CollectionProduct
    fields = ("product", "sort_order")
    raw_id_fields = ("product",)
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[CollectionProduct]:
        return super().get_queryset(request).select_related("product")


@admin.register(Collection)
class CollectionAdmin(RoleScopedAdminMixin, admin.ModelAdmin):
    """Storefront collections. Those with a rule are rebuilt from the catalogue by `collections_refresh_automatic`."""

    resource = COLLECTION
    list_display = ("name", "slug", "rule", "is_published")
    list_filter = ("is_published", "rule")
    search_fields = ("name", "name_en", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (CollectionProductInline,)

    def save_model(self, request: HttpRequest, obj: Collection, form: Any, change: bool) -> None:
        english_slug_fill(obj)
        super().save_model(request, obj, form, change)


class VariantInline(RoleScopedAdminMixin, admin.TabularInline):
    resource = VARIANT
    model = ProductVariant
    fields = ("sku", "name", "weight_grams", "track_inventory", "sort_order")
    show_change_link = True
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[ProductVariant]:
        return super().get_queryset(request).select_related("product")


class ProducerMediaForm(forms.ModelForm):
    """A producer's photo goes through the same checks as the registry's: a real JPEG, PNG or WebP
    within the size and pixel limits, re-encoded without its metadata (camera, GPS) before it is stored; and,
    as in the portal, big enough to show (`OCOP_PHOTO_MIN_SIDE` on the shorter side)."""

    class Meta:
        model = ProductMedia
        fields = ("image", "alt", "sort_order")

    def clean_image(self) -> UploadedFile | None:
        upload = self.cleaned_data.get("image")
        if not upload or "image" not in self.changed_data:
            return upload
        upload.seek(0)
        try:
            processed = process_image(
                upload.read(),
                max_pixels=settings.OCOP_IMAGE_MAX_PIXELS,
                max_bytes=settings.OCOP_IMAGE_MAX_BYTES,
                sizes=(),
                min_side=settings.OCOP_PHOTO_MIN_SIDE,
            )
        except ImageRejected as rejected:
            raise forms.ValidationError(rejection_message(rejected), code="invalid_image") from rejected
        return SimpleUploadedFile(
            f"{uuid.uuid4().hex}.{processed.extension}", processed.content, processed.content_type
        )

    def save(self, commit: bool = True) -> ProductMedia:
        media = self.instance
        media.source = ProductMedia.Source.PRODUCER
        if media.image:
            media.status = ProductMedia.Status.READY
            media.width, media.height = media.image.width, media.image.height
        return super().save(commit=commit)


class ProducerMediaInline(RoleScopedAdminMixin, admin.TabularInline):
    """The producer's own photos."""

    resource = PRODUCER_MEDIA
    model = ProductMedia
    form = ProducerMediaForm
    fields = ("image", "alt", "sort_order")
    extra = 0
    verbose_name = _("producer's photo")
    verbose_name_plural = _("producer's photos")

    def get_queryset(self, request: HttpRequest) -> QuerySet[ProductMedia]:
        return super().get_queryset(request).filter(source=ProductMedia.Source.PRODUCER)


class RegistryMediaInline(RoleScopedAdminMixin, admin.TabularInline):
    """The registry's photos, as fetched and checked by the sync."""

    resource = REGISTRY_MEDIA
    model = ProductMedia
    fields = ("registry_media_id", "status", "failure_reason", "image", "width", "height")
    extra = 0
    verbose_name = _("registry photo")
    verbose_name_plural = _("registry photos")

    def get_queryset(self, request: HttpRequest) -> QuerySet[ProductMedia]:
        return super().get_queryset(request).filter(source=ProductMedia.Source.REGISTRY)


class CertificationInline(RoleScopedAdminMixin, admin.TabularInline):
    """The product's rating history: every certificate it held."""

    resource = CERTIFICATION
    model = Certification
    fk_name = "product"
    fields = (
        "certificate_id",
        "stars",
        "status",
        "council_level",
        "decision_number",
        "valid_from",
        "valid_until",
        "revision",
        "quarantined_revision",
    )
    extra = 0
    show_change_link = True


class ListingEventInline(RoleScopedAdminMixin, admin.TabularInline):
    resource = LISTING_EVENT
    model = ListingEvent
    fields = (
        "created_at",
        "from_state",
        "to_state",
        "reason",
        "certificate_id",
        "certificate_revision",
        "trigger",
        "actor",
        "note",
    )
    readonly_fields = ("created_at",)
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[ListingEvent]:
        return super().get_queryset(request).select_related("product", "actor")


@admin.register(Product)
class ProductAdmin(RoleScopedAdminMixin, admin.ModelAdmin):
    """A product: the registry's part read-only; the producer's descriptions, variants and photos editable."""

    resource = PRODUCT
    list_display = ("name", "registry_id", "producer", "stars", "listing_state", "group")
    list_filter = ("listing_state", ("group", admin.RelatedOnlyFieldListFilter), "producer__kind")
    list_select_related = ("producer", "current_certification", "group")
    search_fields = ("name", "name_en", "registry_id", "producer__name")
    fieldsets = (
        (
            _("From the registry"),
            {
                "fields": (
                    "registry_id",
                    "name",
                    "name_en",
                    "producer",
                    "group",
                    "category",
                    "product_set",
                    "description",
                    "registry_image_ids",
                )
            },
        ),
        (_("Listing"), {"fields": ("listing_state", "listing_changed_at", "current_certification")}),
        (_("Producer's content"), {"fields": ("slug", "slug_en", "seller_description", "seller_description_en")}),
    )
    inlines = (VariantInline, ProducerMediaInline, RegistryMediaInline, CertificationInline, ListingEventInline)

    @admin.display(description=_("stars"), ordering="current_certification__stars")
    def stars(self, obj: Product) -> str:
        certification = obj.current_certification
        return render_stars(certification.stars if certification else None)


class VariantPriceInline(RoleScopedAdminMixin, admin.TabularInline):
    resource = VARIANT_PRICE
    model = ProductVariantChannelListing
    fields = ("channel", "price_amount", "currency")
    readonly_fields = ("currency",)
    extra = 0


@admin.register(ProductVariant)
class ProductVariantAdmin(RoleScopedAdminMixin, admin.ModelAdmin):
    """A variant with its prices (per channel, whole đồng) and its stock at each outlet."""

    resource = VARIANT
    list_display = ("sku", "product", "name", "weight_grams", "prices")
    list_filter = (("product__producer", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("product",)
    search_fields = ("sku", "name", "product__name", "product__registry_id")
    fields = ("product", "sku", "name", "weight_grams", "track_inventory", "sort_order")
    inlines = (VariantPriceInline, StockInline)

    def get_queryset(self, request: HttpRequest) -> QuerySet[ProductVariant]:
        return super().get_queryset(request).prefetch_related("channel_listings")

    @admin.display(description=_("price (đồng)"))
    def prices(self, obj: ProductVariant) -> str:
        return ", ".join(f"{listing.price_amount:,}".replace(",", ".") for listing in obj.channel_listings.all())


@admin.register(ListingEvent)
class ListingEventAdmin(RoleScopedAdminMixin, admin.ModelAdmin):
    """Why and when each product was listed or delisted. Written by the sync and the daily check only."""

    resource = LISTING_EVENT
    list_display = ("created_at", "product", "from_state", "to_state", "reason", "certificate_id", "trigger")
    list_filter = ("to_state", "reason", "trigger")
    list_select_related = ("product", "actor")
    search_fields = ("product__name", "product__registry_id", "certificate_id", "note")
    date_hierarchy = "created_at"
    fields = (
        "product",
        "created_at",
        "from_state",
        "to_state",
        "reason",
        "certificate_id",
        "certificate_revision",
        "trigger",
        "sync_run_id",
        "actor",
        "note",
    )
    readonly_fields = ("created_at",)
