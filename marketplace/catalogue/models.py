from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from marketplace.core.models import TimestampedModel


class GroupScheme(models.TextChoices):
    """The two lists of OCOP product groups in use (CONTRACT.md)."""

    SCHEME_2018 = "2018", _("Decision 490/QĐ-TTg (2018)")
    SCHEME_2023 = "2023", _("Decisions 919/QĐ-TTg and 148/QĐ-TTg (2023)")


class Category(models.Model):
    """An OCOP product group (under its scheme), or a product set within a group."""

    class Kind(models.TextChoices):
        GROUP = "group", _("Product group")
        PRODUCT_SET = "product_set", _("Product set")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("parent")
    )
    scheme = models.CharField(_("scheme"), max_length=4, choices=GroupScheme.choices)
    code = models.CharField(_("code"), max_length=16, blank=True)
    name = models.CharField(_("name"), max_length=255)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    slug = models.SlugField(_("slug"), max_length=255, unique=True)
    slug_en = models.SlugField(
        _("English slug"), max_length=255, blank=True, help_text=_("Made from the English name when it is set.")
    )
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    seo_title = models.CharField(_("SEO title"), max_length=70, blank=True)
    seo_description = models.CharField(_("SEO description"), max_length=300, blank=True)
    background_image = models.ImageField(_("background image"), upload_to="categories/", blank=True)
    background_image_alt = models.CharField(_("background image alternative text"), max_length=128, blank=True)

    class Meta:
        ordering = ["scheme", "code", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [
            models.UniqueConstraint(
                fields=["slug_en"], condition=~models.Q(slug_en=""), name="category_unique_slug_en"
            ),
            models.UniqueConstraint(
                fields=["scheme", "code"], condition=models.Q(kind="group"), name="category_unique_group_code"
            ),
            models.UniqueConstraint(
                fields=["parent", "name"], condition=models.Q(kind="product_set"), name="category_unique_set"
            ),
        ]

    def __str__(self) -> str:
        if self.kind == self.Kind.GROUP:
            return f"{self.code}. {self.name} ({self.scheme})"
        return self.name


class ListingState(models.TextChoices):
    DRAFT = "draft", _("Draft (never listed)")
    LISTED = "listed", _("Listed")
    DELISTED = "delisted", _("Delisted")


# Written only by the registry sync.
PRODUCT_REGISTRY_FIELDS = (
    "name",
    "name_en",
    "product_set",
    "description",
    "registry_image_ids",
    "group",
    "category",
    "producer",
)
# Written only by the listing gate.
PRODUCT_LISTING_FIELDS = ("listing_state", "listing_changed_at", "current_certification")


class Product(TimestampedModel):
    """A product as the registry certifies it, plus what its producer manages.

    Registry-owned: registry_id, name, name_en, group, category, product_set, description.
    Producer-managed: variants (prices, stock), own descriptions and photos. These survive a
    delisting and come back with the relisting.
    """

    registry_id = models.CharField(_("registry product id"), max_length=64, unique=True)
    slug = models.SlugField(_("slug"), max_length=255, unique=True)
    slug_en = models.SlugField(
        _("English slug"), max_length=255, blank=True, help_text=_("Made from the English name when it is set.")
    )
    name = models.CharField(_("name"), max_length=500)
    name_en = models.CharField(_("English name"), max_length=500, blank=True)
    producer = models.ForeignKey(
        "producers.Producer", on_delete=models.PROTECT, related_name="products", verbose_name=_("producer")
    )
    group = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="group_products",
        verbose_name=_("OCOP group"),
    )
    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="products",
        verbose_name=_("category"),
    )
    product_set = models.CharField(_("product set"), max_length=255, blank=True)
    description = models.TextField(_("description (registry)"), blank=True)
    registry_image_ids = models.JSONField(_("registry image ids"), default=list, blank=True)

    seller_description = models.TextField(_("producer's description"), blank=True)
    seller_description_en = models.TextField(_("producer's description (English)"), blank=True)

    listing_state = models.CharField(
        _("listing state"), max_length=16, choices=ListingState.choices, default=ListingState.DRAFT, db_index=True
    )
    listing_changed_at = models.DateTimeField(_("listing changed at"), null=True, blank=True)
    current_certification = models.ForeignKey(
        "certification.Certification",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("certificate it is listed under"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        # The storefront's default order (name, then pk): a page is read from the index, not sorted.
        indexes = [models.Index(fields=["name", "id"], name="product_name_id")]
        constraints = [
            models.UniqueConstraint(fields=["slug_en"], condition=~models.Q(slug_en=""), name="product_unique_slug_en"),
        ]

    def __str__(self) -> str:
        return self.name


class ProductVariant(TimestampedModel):
    """What is sold: a SKU with its weight; prices live on the channel listing, as in Saleor."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variants", verbose_name=_("product"))
    sku = models.CharField(_("SKU"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=255, blank=True)
    name_en = models.CharField(
        _("English name"), max_length=255, blank=True, help_text=_('The pack in English, e.g. "Jar 500 g".')
    )
    weight_grams = models.PositiveIntegerField(_("weight (g)"), null=True, blank=True)
    track_inventory = models.BooleanField(_("track inventory"), default=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "sku"]
        verbose_name = _("variant")
        verbose_name_plural = _("variants")

    def __str__(self) -> str:
        return f"{self.product.name} – {self.name or self.sku}"


class ProductVariantChannelListing(models.Model):
    """A variant's price in one channel, in whole đồng (VND has no minor unit)."""

    variant = models.ForeignKey(
        ProductVariant, on_delete=models.CASCADE, related_name="channel_listings", verbose_name=_("variant")
    )
    channel = models.ForeignKey(
        "channel.Channel", on_delete=models.CASCADE, related_name="variant_listings", verbose_name=_("channel")
    )
    price_amount = models.PositiveBigIntegerField(_("price (đồng)"))
    currency = models.CharField(_("currency"), max_length=3, default="VND")

    class Meta:
        verbose_name = _("variant price")
        verbose_name_plural = _("variant prices")
        constraints = [
            models.UniqueConstraint(fields=["variant", "channel"], name="variant_channel_listing_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.price_amount:,} {self.currency}"


class ProductMedia(TimestampedModel):
    """A product image: from the registry (downloaded, checked, re-encoded) or the producer's own."""

    class Source(models.TextChoices):
        REGISTRY = "registry", _("Registry")
        PRODUCER = "producer", _("Producer")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be fetched")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Rejected")

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="media", verbose_name=_("product"))
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    registry_media_id = models.CharField(_("registry media id"), max_length=128, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    failure_reason = models.CharField(_("why it was rejected"), max_length=500, blank=True)
    image = models.ImageField(_("image"), upload_to="products/", blank=True)
    width = models.PositiveIntegerField(_("width"), null=True, blank=True)
    height = models.PositiveIntegerField(_("height"), null=True, blank=True)
    renditions = models.JSONField(_("renditions"), default=dict, blank=True, help_text=_("size → stored path"))
    alt = models.CharField(_("alternative text"), max_length=255, blank=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("product image")
        verbose_name_plural = _("product images")
        constraints = [
            models.UniqueConstraint(
                fields=["product", "registry_media_id"],
                condition=models.Q(source="registry"),
                name="product_media_unique_registry_image",
            ),
        ]

    def __str__(self) -> str:
        return self.registry_media_id or self.image.name or f"media {self.pk}"


class ListingWindow(models.Model):
    """How many listed products share a category and a certificate validity window (a read model).

    Written only by PostgreSQL triggers on `catalogue_product` and `certification_certification`
    (migration 0005), in the transaction that changes a product's listing state, category or current
    certificate, or that certificate's status, stars, quarantine or dates: it is never behind the rows it
    counts. A product counts when it is listed and its certificate passes the gate's state part (active,
    3–5 stars, not quarantined); `starts`/`until` are the dates the gate compares with today (`valid_from`,
    else the decision date, else the beginning of time; `valid_until`). So the number of listed products
    today, in all or in some categories, is a sum over a few hundred rows instead of a count over every
    product (`marketplace.catalogue.selectors.listed_count`).
    """

    group_id = models.BigIntegerField(help_text="The product's OCOP group, 0 without one.")
    category_id = models.BigIntegerField(help_text="The product's product set, 0 without one.")
    starts = models.DateField()
    until = models.DateField()
    products = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group_id", "category_id", "starts", "until"], name="listing_window_key")
        ]

    def __str__(self) -> str:
        return f"{self.products} products, group {self.group_id}, set {self.category_id}, {self.starts}–{self.until}"


class ListingSpan(models.Model):
    """How many listed products share a certificate validity window, whatever their category (a read model).

    `ListingWindow` summed over categories, kept by the same PostgreSQL trigger function (migration 0006) in the
    same transaction. The total of listed products today is a sum over these rows: as many as there are
    distinct validity windows (899 in the generated 100,000-product catalogue, against 11,676 windows).
    """

    starts = models.DateField()
    until = models.DateField()
    products = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["starts", "until"], name="listing_span_key")]

    def __str__(self) -> str:
        return f"{self.products} products, {self.starts}–{self.until}"


class ListingReason(models.TextChoices):
    CERTIFIED = "certified", _("Listed under a valid certificate")
    RELISTED = "relisted", _("Relisted under a valid certificate")
    RECERTIFIED = "recertified", _("Now listed under a newer certificate")
    CERTIFICATE_EXPIRED = "certificate_expired", _("Certificate expired")
    DOWNGRADED = "downgraded_below_3_stars", _("Downgraded below 3 stars")
    REVOKED = "revoked", _("Certificate revoked")
    SUSPENDED = "suspended", _("Certificate suspended")
    SUPERSEDED = "superseded_without_valid_successor", _("Superseded, and no valid successor yet")
    NOT_YET_VALID = "not_yet_valid", _("Certificate not valid yet")
    QUARANTINED = "certificate_quarantined", _("The registry's latest record of the certificate is invalid")
    NO_VALID_CERTIFICATE = "no_valid_certificate", _("No valid certificate")


class ListingTrigger(models.TextChoices):
    REGISTRY_SYNC = "registry_sync", _("Registry sync")
    DAILY_CHECK = "daily_check", _("Daily validity check")
    STAFF = "staff", _("Staff")


class ListingEvent(models.Model):
    """The audit trail of a product's listing: when, why, and which registry revision caused it."""

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="listing_events", verbose_name=_("product")
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    from_state = models.CharField(_("from"), max_length=16, choices=ListingState.choices)
    to_state = models.CharField(_("to"), max_length=16, choices=ListingState.choices)
    reason = models.CharField(_("why"), max_length=64, choices=ListingReason.choices)
    certificate_id = models.CharField(_("certificate"), max_length=64, blank=True)
    certificate_revision = models.PositiveIntegerField(_("registry revision"), null=True, blank=True)
    trigger = models.CharField(_("trigger"), max_length=16, choices=ListingTrigger.choices)
    sync_run_id = models.PositiveBigIntegerField(_("sync run"), null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("listing event")
        verbose_name_plural = _("listing events")

    def __str__(self) -> str:
        return f"{self.product} {self.from_state}→{self.to_state} ({self.reason})"


class CollectionRule(models.TextChoices):
    """How a collection's products are chosen: by hand, or refreshed from the catalogue by a rule."""

    MANUAL = "manual", _("Chosen by hand")
    FIVE_STARS = "five_stars", _("Every listed 5-star product")
    NEW_THIS_SEASON = "new_this_season", _("The most recently certified listed products")


class Collection(TimestampedModel):
    """A curated set of products for the storefront, as Saleor's collection (e.g. 5-star products)."""

    name = models.CharField(_("name"), max_length=250)
    name_en = models.CharField(_("English name"), max_length=250, blank=True)
    slug = models.SlugField(_("slug"), max_length=255, unique=True)
    slug_en = models.SlugField(
        _("English slug"), max_length=255, blank=True, help_text=_("Made from the English name when it is set.")
    )
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    seo_title = models.CharField(_("SEO title"), max_length=70, blank=True)
    seo_description = models.CharField(_("SEO description"), max_length=300, blank=True)
    background_image = models.ImageField(_("background image"), upload_to="collections/", blank=True)
    background_image_alt = models.CharField(_("background image alternative text"), max_length=128, blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    rule = models.CharField(_("rule"), max_length=32, choices=CollectionRule.choices, default=CollectionRule.MANUAL)
    products = models.ManyToManyField(
        Product, through="CollectionProduct", related_name="collections", blank=True, verbose_name=_("products")
    )

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("collection")
        verbose_name_plural = _("collections")
        constraints = [
            models.UniqueConstraint(
                fields=["slug_en"], condition=~models.Q(slug_en=""), name="collection_unique_slug_en"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CollectionProduct(models.Model):
    collection = models.ForeignKey(
        Collection, on_delete=models.CASCADE, related_name="collection_products", verbose_name=_("collection")
    )
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="collection_memberships", verbose_name=_("product")
    )
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("product in a collection")
        verbose_name_plural = _("products in collections")
        constraints = [
            models.UniqueConstraint(fields=["collection", "product"], name="collection_product_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.collection} – {self.product}"
