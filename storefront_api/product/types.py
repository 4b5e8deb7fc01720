"""Product, variant, media, category and certification types, shaped like Saleor's (plus the OCOP extension)."""

from __future__ import annotations

import enum
from typing import Any, Unpack

import graphene
from django.core.files.storage import default_storage
from django.http import HttpRequest
from django.urls import reverse

from marketplace.catalogue.models import Category, Product, ProductMedia, ProductVariant
from marketplace.certification.models import Certification, CertificationStatus, CouncilLevel
from marketplace.core.dates import local_today
from storefront_api.account.enums import CountryCodeEnum
from storefront_api.account.types import AddressInput
from storefront_api.attribute.assigned import DEFAULT_LIMIT, AssignedAttribute, AssignedValues, assigned_values
from storefront_api.attribute.definitions import ATTRIBUTES, BY_SLUG, VARIANT_ATTRIBUTES, AttributeDefinition
from storefront_api.attribute.types import Rows, SelectedAttribute
from storefront_api.collection.dataloaders import CollectionsByProductIdLoader
from storefront_api.core.connection import CountableConnection, PageArgs, connection_page_args, paginate
from storefront_api.core.context import ChannelContext, ChannelContextType
from storefront_api.core.dataloaders import loader_for
from storefront_api.core.execution import plain
from storefront_api.core.languages import is_english
from storefront_api.core.scalars import PositiveInt
from storefront_api.core.types import (
    Image,
    LanguageCodeEnum,
    LanguageDisplay,
    OrderDirection,
    SortDirection,
    TaxedMoney,
    TaxedMoneyRange,
    ThumbnailFormat,
    ThumbnailFormatEnum,
    language_display,
    taxed_money,
)
from storefront_api.producer.types import ProducerType
from storefront_api.product.dataloaders import (
    CategoryByIdLoader,
    CertificationsByProductIdLoader,
    MediaByProductIdLoader,
    PriceByVariantIdLoader,
    QuantityAvailableByVariantIdLoader,
    VariantsByProductIdLoader,
)
from storefront_api.product.descriptions import rich_text, seo_description
from storefront_api.product.filters import (
    ProductFilterInput,
    ProductOrder,
    ProductVariantFilterInput,
    ProductVariantSortingInput,
    ProductVariantWhereInput,
    ProductWhereInput,
    variant_matches,
    with_where,
)
from storefront_api.product.resolvers import products_connection

DEFAULT_THUMBNAIL_SIZE = 4096

CertificationStatusEnum = graphene.Enum(
    "CertificationStatusEnum",
    [(status.name, status.value) for status in CertificationStatus],
    description="A certificate's status as the registry gives it.",
)
CouncilLevelEnum = graphene.Enum(
    "CouncilLevelEnum",
    [(level.name, level.value) for level in CouncilLevel],
    description="The council that rated the product.",
)


def media_url(request: HttpRequest, media: ProductMedia, size: int | None) -> str:
    """The absolute URL of the smallest stored rendition at least `size` pixels, or of the original."""
    path = media.image.name
    if size is not None:
        fitting = sorted(int(key) for key in media.renditions or {} if str(key).isdigit() and int(key) >= size)
        if fitting:
            path = media.renditions[str(fitting[0])]
    return request.build_absolute_uri(default_storage.url(path))


def translated_slug(row: Product | Category | Any, language_code: str) -> str:
    """The slug of a product, category or collection in a language: English, or the default (Vietnamese)."""
    return (row.slug_en or row.slug) if is_english(language_code) else row.slug


class ProductMediaKind(enum.StrEnum):
    IMAGE = "image"
    VIDEO = "video"


class ProductMediaTypeEnum(graphene.Enum):
    """The kind of a product's media; only images are stored here."""

    class Meta:
        name = "ProductMediaType"
        enum = ProductMediaKind


class ProductMediaType(graphene.ObjectType):
    sort_order = graphene.Int()
    alt = graphene.String(required=True)
    type = graphene.Field(ProductMediaTypeEnum, required=True, description="The type of the media: always an image.")
    url = graphene.String(
        required=True,
        size=graphene.Int(description="Size of the image; the smallest stored rendition at least this size is used."),
        format=graphene.Argument(
            ThumbnailFormatEnum,
            default_value=ThumbnailFormat.ORIGINAL.value,
            description="Accepted for Saleor clients; renditions are served in the format they are stored in (WebP).",
        ),
    )

    class Meta:
        name = "ProductMedia"
        interfaces = (graphene.relay.Node,)

    @staticmethod
    def resolve_url(root: ProductMedia, info: graphene.ResolveInfo, size: int | None = None, **_: Any) -> str:
        return media_url(info.context, root, size)

    @staticmethod
    @plain
    def resolve_type(root: ProductMedia, info: graphene.ResolveInfo) -> str:
        return ProductMediaKind.IMAGE.value


def background_image(info: graphene.ResolveInfo, image: Any, alt: str) -> Image | None:
    """A category's or collection's background image (the original is served), or None without one."""
    if not image:
        return None
    return Image(url=info.context.build_absolute_uri(default_storage.url(image.name)), alt=alt)


class CategoryTranslation(graphene.ObjectType):
    language = graphene.Field(LanguageDisplay, required=True)
    seo_title = graphene.String()
    seo_description = graphene.String()
    slug = graphene.String()
    name = graphene.String()
    description = graphene.JSONString()

    class Meta:
        interfaces = (graphene.relay.Node,)


class CategoryFilterInput(graphene.InputObjectType):
    search = graphene.String(description="Words in the category's name (Vietnamese or English) or slug.")
    ids = graphene.List(graphene.NonNull(graphene.ID))
    slugs = graphene.List(graphene.NonNull(graphene.String))


class CategoryWhereInput(graphene.InputObjectType):
    ids = graphene.List(graphene.NonNull(graphene.ID))


class CategorySortField(enum.StrEnum):
    NAME = "name"


class CategorySortFieldEnum(graphene.Enum):
    class Meta:
        name = "CategorySortField"
        enum = CategorySortField


class CategorySortingInput(graphene.InputObjectType):
    direction = graphene.InputField(OrderDirection, required=True, description="Specifies the direction of the sort.")
    field = graphene.InputField(
        CategorySortFieldEnum, required=True, description="Sort categories by the selected field."
    )


class CategoryType(graphene.ObjectType):
    """An OCOP product group (level 0) or a product set within a group (level 1)."""

    seo_title = graphene.String()
    seo_description = graphene.String()
    name = graphene.String(required=True)
    description = graphene.JSONString(description="Rich text (EditorJS blocks).")
    slug = graphene.String(required=True)
    level = graphene.Int(required=True)
    parent = graphene.Field(lambda: CategoryType)
    background_image = graphene.Field(
        Image,
        size=graphene.Int(description="Accepted for Saleor clients; the original is served."),
        format=graphene.Argument(ThumbnailFormatEnum, default_value=ThumbnailFormat.ORIGINAL.value),
    )
    translation = graphene.Field(CategoryTranslation, language_code=graphene.Argument(LanguageCodeEnum, required=True))
    products = graphene.Field(
        lambda: ProductCountableConnection,
        filter=ProductFilterInput(description="Filtering options for products."),
        where=ProductWhereInput(description="Where filtering options for products."),
        sort_by=ProductOrder(description="Sort products."),
        search=graphene.String(description="Search products."),
        channel=graphene.String(description="Slug of a channel for which the data should be returned."),
        description="The listed products in this category, its product sets or this OCOP group.",
        **connection_page_args(),
    )

    class Meta:
        name = "Category"
        interfaces = (graphene.relay.Node,)

    @staticmethod
    @plain
    def resolve_level(root: Category, info: graphene.ResolveInfo) -> int:
        return 0 if root.parent_id is None else 1

    @staticmethod
    def resolve_parent(root: Category, info: graphene.ResolveInfo) -> Category | None:
        if root.parent_id is None:
            return None
        return loader_for(info.context, CategoryByIdLoader).load(root.parent_id)

    @staticmethod
    @plain
    def resolve_description(root: Category, info: graphene.ResolveInfo) -> Any:
        return rich_text(root.description)

    @staticmethod
    @plain
    def resolve_seo_title(root: Category, info: graphene.ResolveInfo) -> str:
        return root.seo_title or root.name

    @staticmethod
    @plain
    def resolve_seo_description(root: Category, info: graphene.ResolveInfo) -> str | None:
        return root.seo_description or seo_description(root.description)

    @staticmethod
    def resolve_background_image(root: Category, info: graphene.ResolveInfo, **_: Any) -> Image | None:
        return background_image(info, root.background_image, root.background_image_alt or root.name)

    @staticmethod
    def resolve_products(
        root: Category,
        info: graphene.ResolveInfo,
        filter: dict | None = None,
        where: dict | None = None,
        **kwargs: Any,
    ) -> CountableConnection:
        product_filter = with_where(filter, where)
        return products_connection(
            info, ProductCountableConnection, product_filter=product_filter, category=root, **kwargs
        )

    @staticmethod
    def resolve_translation(root: Category, info: graphene.ResolveInfo, language_code: str) -> CategoryTranslation:
        if is_english(language_code):
            return CategoryTranslation(
                id=root.pk,
                language=language_display(language_code),
                name=root.name_en or None,
                description=rich_text(root.description_en),
                seo_title=root.name_en or None,
                seo_description=seo_description(root.description_en),
                slug=translated_slug(root, language_code),
            )
        return CategoryTranslation(
            id=root.pk,
            language=language_display(language_code),
            name=root.name,
            description=CategoryType.resolve_description(root, info),
            seo_title=CategoryType.resolve_seo_title(root, info),
            seo_description=CategoryType.resolve_seo_description(root, info),
            slug=root.slug,
        )


class CategoryCountableConnection(CountableConnection):
    class Meta:
        node = CategoryType
        strict_types = True


class ProductTypeType(graphene.ObjectType):
    """Saleor's product type, here the product's OCOP group."""

    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    has_variants = graphene.Boolean(required=True)

    class Meta:
        name = "ProductType"
        interfaces = (graphene.relay.Node,)

    @staticmethod
    @plain
    def resolve_has_variants(root: Category, info: graphene.ResolveInfo) -> bool:
        return True


class CertificationType(graphene.ObjectType):
    """The OCOP extension: one OCOP certificate as the rating registry issued it."""

    certificate_id = graphene.String(required=True)
    stars = graphene.Int(required=True)
    score = graphene.Float()
    council_level = graphene.Field(CouncilLevelEnum)
    decision_number = graphene.String()
    decision_date = graphene.Date()
    issuer = graphene.String()
    valid_from = graphene.Date(description="First day of validity (the decision date when the registry gives none).")
    valid_until = graphene.Date(required=True, description="Last day of validity, included.")
    status = graphene.Field(CertificationStatusEnum, required=True, description="The status the registry gives.")
    is_valid_today = graphene.Boolean(
        required=True, description="Whether it lists the product today: active, 3–5 stars, within its dates."
    )

    class Meta:
        name = "Certification"

    @staticmethod
    @plain
    def resolve_score(root: Certification, info: graphene.ResolveInfo) -> float | None:
        return float(root.score) if root.score is not None else None

    @staticmethod
    @plain
    def resolve_council_level(root: Certification, info: graphene.ResolveInfo) -> str | None:
        return root.council_level or None

    @staticmethod
    @plain
    def resolve_valid_from(root: Certification, info: graphene.ResolveInfo) -> Any:
        return root.valid_from or root.decision_date

    @staticmethod
    @plain
    def resolve_is_valid_today(root: Certification, info: graphene.ResolveInfo) -> bool:
        return root.is_valid_on(local_today())


class VariantPricingInfo(graphene.ObjectType):
    on_sale = graphene.Boolean()
    discount = graphene.Field(TaxedMoney)
    price = graphene.Field(TaxedMoney)
    price_undiscounted = graphene.Field(TaxedMoney)


class ProductPricingInfo(graphene.ObjectType):
    on_sale = graphene.Boolean()
    discount = graphene.Field(TaxedMoney)
    display_gross_prices = graphene.Boolean(required=True)
    price_range = graphene.Field(TaxedMoneyRange)
    price_range_undiscounted = graphene.Field(TaxedMoneyRange)


def _variant_price(info: graphene.ResolveInfo, root: ChannelContext[ProductVariant]) -> int | None:
    return loader_for(info.context, PriceByVariantIdLoader, root.channel).load(root.node.pk)


class VariantAttributeScope(enum.StrEnum):
    ALL = "all"
    VARIANT_SELECTION = "variant_selection"
    NOT_VARIANT_SELECTION = "not_variant_selection"


class VariantAttributeScopeEnum(graphene.Enum):
    class Meta:
        name = "VariantAttributeScope"
        enum = VariantAttributeScope


class ProductVariantTranslation(graphene.ObjectType):
    language = graphene.Field(LanguageDisplay, required=True)
    name = graphene.String(required=True)

    class Meta:
        interfaces = (graphene.relay.Node,)


def _assigned_attribute(definitions: tuple[AttributeDefinition, ...], of: Any, slug: str) -> AssignedValues | None:
    definition = BY_SLUG.get(slug)
    if definition is None or definition not in definitions:
        return None
    return AssignedValues(attribute=definition, values=definition.values_of(of))


def _limit(limit: int) -> int:
    return max(limit, 0)


class ProductVariantType(ChannelContextType):
    name = graphene.String(required=True)
    sku = graphene.String()
    track_inventory = graphene.Boolean(required=True)
    quantity_available = graphene.Int(
        address=graphene.Argument(AddressInput, description="Accepted for Saleor clients; stock is not per country."),
        country_code=graphene.Argument(
            CountryCodeEnum, description="Accepted for Saleor clients; stock is not per country."
        ),
        description="What the outlets hold and have not promised to orders.",
    )
    pricing = graphene.Field(
        VariantPricingInfo, address=graphene.Argument(AddressInput, description="Accepted for Saleor clients.")
    )
    translation = graphene.Field(
        ProductVariantTranslation, language_code=graphene.Argument(LanguageCodeEnum, required=True)
    )
    attributes = graphene.NonNull(
        graphene.List(graphene.NonNull(SelectedAttribute)),
        variant_selection=graphene.Argument(VariantAttributeScopeEnum, description="Which attributes to show."),
        description="The variant's pack, the attribute a buyer picks the variant by.",
    )
    assigned_attribute = graphene.Field(
        AssignedAttribute, slug=graphene.String(required=True, description="Slug of the attribute.")
    )
    assigned_attributes = graphene.NonNull(
        graphene.List(graphene.NonNull(AssignedAttribute)),
        limit=graphene.Argument(PositiveInt, default_value=DEFAULT_LIMIT, description="Maximum number of attributes."),
    )
    media = graphene.List(graphene.NonNull(ProductMediaType), description="The product's images.")
    created_at = graphene.DateTime(required=True, name="created")
    updated_at = graphene.DateTime(required=True)
    product = graphene.Field(lambda: ProductType, required=True)

    class Meta:
        name = "ProductVariant"
        interfaces = (graphene.relay.Node,)

    @staticmethod
    def resolve_product(root: ChannelContext[ProductVariant], info: graphene.ResolveInfo) -> ChannelContext[Product]:
        return ChannelContext(node=root.node.product, channel=root.channel)

    @staticmethod
    def resolve_quantity_available(root: ChannelContext[ProductVariant], info: graphene.ResolveInfo, **_: Any) -> int:
        return loader_for(info.context, QuantityAvailableByVariantIdLoader).load(root.node.pk)

    @staticmethod
    def resolve_translation(
        root: ChannelContext[ProductVariant], info: graphene.ResolveInfo, language_code: str
    ) -> ProductVariantTranslation:
        variant = root.node
        return ProductVariantTranslation(
            id=variant.pk, language=language_display(language_code), name=variant.name or variant.sku
        )

    @staticmethod
    @plain
    def resolve_attributes(
        root: ChannelContext[ProductVariant], info: graphene.ResolveInfo, variant_selection: Any = None
    ) -> list[SelectedAttribute]:
        scope = getattr(variant_selection, "value", variant_selection)
        if scope == VariantAttributeScope.NOT_VARIANT_SELECTION.value:
            return []
        return [
            SelectedAttribute(attribute=definition, values=definition.values_of(root.node))
            for definition in VARIANT_ATTRIBUTES
        ]

    @staticmethod
    def resolve_assigned_attribute(
        root: ChannelContext[ProductVariant], info: graphene.ResolveInfo, slug: str
    ) -> AssignedValues | None:
        return _assigned_attribute(VARIANT_ATTRIBUTES, root.node, slug)

    @staticmethod
    def resolve_assigned_attributes(
        root: ChannelContext[ProductVariant], info: graphene.ResolveInfo, limit: int = DEFAULT_LIMIT
    ) -> list[AssignedValues]:
        return assigned_values(VARIANT_ATTRIBUTES, root.node)[: _limit(limit)]

    @staticmethod
    def resolve_media(root: ChannelContext[ProductVariant], info: graphene.ResolveInfo) -> list[ProductMedia]:
        return loader_for(info.context, MediaByProductIdLoader).load(root.node.product_id)

    @staticmethod
    def resolve_pricing(
        root: ChannelContext[ProductVariant], info: graphene.ResolveInfo, **_: Any
    ) -> VariantPricingInfo | None:
        amount = _variant_price(info, root)
        if amount is None:
            return None
        price = taxed_money(amount, root.channel.currency_code)
        return VariantPricingInfo(on_sale=False, discount=None, price=price, price_undiscounted=price)


class ProductVariantCountableConnection(CountableConnection):
    class Meta:
        node = ProductVariantType
        strict_types = True


class ProductTranslation(graphene.ObjectType):
    language = graphene.Field(LanguageDisplay, required=True)
    slug = graphene.String()
    name = graphene.String()
    description = graphene.JSONString()
    seo_title = graphene.String()
    seo_description = graphene.String()

    class Meta:
        interfaces = (graphene.relay.Node,)


def _description_text(product: Product) -> str:
    """The producer's own description, or the registry's."""
    return product.seller_description or product.description


class ProductType(ChannelContextType):
    """A product listed under a valid OCOP certificate, in one channel."""

    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    description = graphene.JSONString(description="Rich text (EditorJS blocks): the producer's or the registry's.")
    seo_title = graphene.String()
    seo_description = graphene.String()
    channel = graphene.String(description="Slug of the channel the product is seen in.")
    category = graphene.Field(CategoryType)
    product_type = graphene.Field(ProductTypeType, required=True)
    thumbnail = graphene.Field(
        Image,
        size=graphene.Int(default_value=DEFAULT_THUMBNAIL_SIZE, description="Size of the image."),
        format=graphene.Argument(ThumbnailFormatEnum, default_value=ThumbnailFormat.ORIGINAL.value),
    )
    media = graphene.List(graphene.NonNull(ProductMediaType))
    is_available = graphene.Boolean(description="Whether a priced variant is in stock.")
    is_available_for_purchase = graphene.Boolean(description="Whether a variant has a price.")
    listing_changed_at = graphene.DateTime(
        name="availableForPurchaseAt", description="When the product was last listed."
    )
    pricing = graphene.Field(ProductPricingInfo)
    variants = graphene.List(
        graphene.NonNull(ProductVariantType), deprecation_reason="Use `productVariants` field instead."
    )
    product_variants = graphene.Field(
        ProductVariantCountableConnection,
        filter=ProductVariantFilterInput(description="Filtering options for product variants."),
        where=ProductVariantWhereInput(description="Where filtering options for product variants."),
        sort_by=ProductVariantSortingInput(description="Sort product variants."),
        description="The product's variants, one page at a time.",
        **connection_page_args(),
    )
    assigned_attribute = graphene.Field(
        AssignedAttribute, slug=graphene.String(required=True, description="Slug of the attribute.")
    )
    assigned_attributes = graphene.NonNull(
        graphene.List(graphene.NonNull(AssignedAttribute)),
        limit=graphene.Argument(PositiveInt, default_value=DEFAULT_LIMIT, description="Maximum number of attributes."),
        description="OCOP stars, OCOP group, district and commune, each typed by its kind (all single choice).",
    )
    attributes = graphene.NonNull(
        graphene.List(graphene.NonNull(SelectedAttribute)),
        description="OCOP stars, OCOP group, district (before 2025) and commune (today), as Saleor attributes.",
    )
    collections = graphene.List(
        graphene.NonNull("storefront_api.collection.types.CollectionType"),
        description="The published collections the product is in.",
    )
    created_at = graphene.DateTime(required=True, name="created")
    updated_at = graphene.DateTime(required=True)
    translation = graphene.Field(ProductTranslation, language_code=graphene.Argument(LanguageCodeEnum, required=True))
    current_certification = graphene.Field(
        CertificationType, name="certification", description="The certificate the product is listed under."
    )
    certification_history = graphene.List(
        graphene.NonNull(CertificationType), required=True, description="Every certificate it held, newest first."
    )
    producer = graphene.Field(ProducerType, required=True)
    provenance_url = graphene.String(required=True, description="The product's public provenance page.")

    class Meta:
        name = "Product"
        interfaces = (graphene.relay.Node,)

    @staticmethod
    @plain
    def resolve_description(root: ChannelContext[Product], info: graphene.ResolveInfo) -> Any:
        return rich_text(_description_text(root.node))

    @staticmethod
    @plain
    def resolve_seo_title(root: ChannelContext[Product], info: graphene.ResolveInfo) -> str:
        return root.node.name

    @staticmethod
    @plain
    def resolve_seo_description(root: ChannelContext[Product], info: graphene.ResolveInfo) -> str | None:
        return seo_description(_description_text(root.node))

    @staticmethod
    @plain
    def resolve_category(root: ChannelContext[Product], info: graphene.ResolveInfo) -> Category | None:
        return root.node.category or root.node.group

    @staticmethod
    @plain
    def resolve_product_type(root: ChannelContext[Product], info: graphene.ResolveInfo) -> Any:
        group = root.node.group
        if group is None:
            return ProductTypeType(id="ocop", name="OCOP", slug="ocop")
        return ProductTypeType(id=group.pk, name=group.name, slug=group.slug)

    @staticmethod
    def resolve_thumbnail(
        root: ChannelContext[Product], info: graphene.ResolveInfo, size: int = DEFAULT_THUMBNAIL_SIZE, **_: Any
    ) -> Image | None:
        media = loader_for(info.context, MediaByProductIdLoader).load(root.node.pk)
        if not media:
            return None
        first = media[0]
        return Image(url=media_url(info.context, first, size), alt=first.alt or root.node.name)

    @staticmethod
    def resolve_media(root: ChannelContext[Product], info: graphene.ResolveInfo) -> list[ProductMedia]:
        return loader_for(info.context, MediaByProductIdLoader).load(root.node.pk)

    @staticmethod
    def resolve_variants(
        root: ChannelContext[Product], info: graphene.ResolveInfo
    ) -> list[ChannelContext[ProductVariant]]:
        variants = loader_for(info.context, VariantsByProductIdLoader).load(root.node.pk)
        return [ChannelContext(node=variant, channel=root.channel) for variant in variants]

    @staticmethod
    def resolve_product_variants(
        root: ChannelContext[Product],
        info: graphene.ResolveInfo,
        filter: dict | None = None,
        where: dict | None = None,
        sort_by: dict | None = None,
        **page: Unpack[PageArgs],
    ) -> CountableConnection:
        variants = loader_for(info.context, VariantsByProductIdLoader).load(root.node.pk)
        rows = [variant for variant in variants if variant_matches(variant, variant_filter=filter, where=where)]
        if sort_by:
            descending = getattr(sort_by.get("direction"), "value", None) == SortDirection.DESC.value
            rows.sort(key=lambda variant: (variant.updated_at, variant.pk), reverse=descending)
        connection = paginate(Rows(rows), ProductVariantCountableConnection, name="productVariants", **page)
        for edge in connection.edges:
            edge.node = ChannelContext(node=edge.node, channel=root.channel)
        return connection

    @staticmethod
    def resolve_assigned_attribute(
        root: ChannelContext[Product], info: graphene.ResolveInfo, slug: str
    ) -> AssignedValues | None:
        return _assigned_attribute(ATTRIBUTES, root.node, slug)

    @staticmethod
    def resolve_assigned_attributes(
        root: ChannelContext[Product], info: graphene.ResolveInfo, limit: int = DEFAULT_LIMIT
    ) -> list[AssignedValues]:
        return assigned_values(ATTRIBUTES, root.node)[: _limit(limit)]

    @staticmethod
    @plain
    def resolve_attributes(root: ChannelContext[Product], info: graphene.ResolveInfo) -> list[SelectedAttribute]:
        return [
            SelectedAttribute(attribute=definition, values=definition.values_of(root.node)) for definition in ATTRIBUTES
        ]

    @staticmethod
    def resolve_collections(root: ChannelContext[Product], info: graphene.ResolveInfo) -> list[ChannelContext[Any]]:
        collections = loader_for(info.context, CollectionsByProductIdLoader).load(root.node.pk)
        return [ChannelContext(node=collection, channel=root.channel) for collection in collections]

    @staticmethod
    def _prices(root: ChannelContext[Product], info: graphene.ResolveInfo) -> list[tuple[ProductVariant, int]]:
        prices = loader_for(info.context, PriceByVariantIdLoader, root.channel)
        variants = loader_for(info.context, VariantsByProductIdLoader).load(root.node.pk)
        priced = [(variant, prices.load(variant.pk)) for variant in variants]
        return [(variant, amount) for variant, amount in priced if amount is not None]

    @staticmethod
    def resolve_is_available(root: ChannelContext[Product], info: graphene.ResolveInfo) -> bool:
        stock = loader_for(info.context, QuantityAvailableByVariantIdLoader)
        return any(
            not variant.track_inventory or stock.load(variant.pk) > 0
            for variant, _amount in ProductType._prices(root, info)
        )

    @staticmethod
    def resolve_is_available_for_purchase(root: ChannelContext[Product], info: graphene.ResolveInfo) -> bool:
        return bool(ProductType._prices(root, info))

    @staticmethod
    def resolve_pricing(root: ChannelContext[Product], info: graphene.ResolveInfo) -> ProductPricingInfo | None:
        amounts = [amount for _variant, amount in ProductType._prices(root, info)]
        if not amounts:
            return None
        currency = root.channel.currency_code
        price_range = TaxedMoneyRange(
            start=taxed_money(min(amounts), currency), stop=taxed_money(max(amounts), currency)
        )
        return ProductPricingInfo(
            on_sale=False,
            discount=None,
            display_gross_prices=True,
            price_range=price_range,
            price_range_undiscounted=price_range,
        )

    @staticmethod
    def resolve_translation(
        root: ChannelContext[Product], info: graphene.ResolveInfo, language_code: str
    ) -> ProductTranslation:
        product = root.node
        if is_english(language_code):
            return ProductTranslation(
                id=product.pk,
                language=language_display(language_code),
                name=product.name_en or None,
                description=rich_text(product.seller_description_en),
                seo_title=product.name_en or None,
                seo_description=seo_description(product.seller_description_en),
                slug=translated_slug(product, language_code),
            )
        text = _description_text(product)
        return ProductTranslation(
            id=product.pk,
            language=language_display(language_code),
            name=product.name,
            description=rich_text(text),
            seo_title=product.name,
            seo_description=seo_description(text),
            slug=product.slug,
        )

    @staticmethod
    def resolve_certification_history(root: ChannelContext[Product], info: graphene.ResolveInfo) -> list[Certification]:
        return loader_for(info.context, CertificationsByProductIdLoader).load(root.node.pk)

    @staticmethod
    def resolve_provenance_url(root: ChannelContext[Product], info: graphene.ResolveInfo) -> str:
        return info.context.build_absolute_uri(reverse("web:provenance", args=[root.node.slug]))


class ProductCountableConnection(CountableConnection):
    class Meta:
        node = ProductType
        strict_types = True
