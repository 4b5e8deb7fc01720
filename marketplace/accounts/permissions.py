"""Who may do what in the back office. Every role's rules live here, and anything not granted is denied.

A user's role (`User.role`) decides; Django's per-model permission tables are not consulted.
Superusers count as operators. The admin (`marketplace/*/admin.py`) asks these functions through
`RoleScopedAdminMixin`; other callers (the API, views) may ask them directly.

- consumer: no back office at all.
- producer_staff: their producer's products, variants, prices, own photos and stock; they may
  edit their own descriptions, variants, prices, photos and stock, and see (not edit) their
  certifications and listing history.
- outlet_staff: their outlet and the stock held there; they may change stock quantities.
- trade_staff: read-only over certification data in their province (producers, products,
  certifications, listing events, outlets) and over the sync's records (sync runs, quarantined
  records: the registry is the province's own, so these are not split by province).
- operator: everything, except what the registry owns, which is read-only for everyone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from enum import StrEnum
from typing import Any

from django.contrib.admin.options import InlineModelAdmin
from django.contrib.admin.utils import flatten_fieldsets
from django.db import models
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from catalog_sync.models import QuarantinedRecord, RegistryCursor, SyncRun
from marketplace.accounts.models import Role, User
from marketplace.catalogue.models import (
    PRODUCT_LISTING_FIELDS,
    PRODUCT_REGISTRY_FIELDS,
    Category,
    Collection,
    CollectionProduct,
    ListingEvent,
    Product,
    ProductMedia,
    ProductVariant,
    ProductVariantChannelListing,
)
from marketplace.certification.models import Certification
from marketplace.channel.models import Channel
from marketplace.inventory.models import Stock
from marketplace.orders.models import Fulfillment, Order, OrderEvent, OrderLine
from marketplace.outlets.models import Outlet
from marketplace.producers.models import PRODUCER_REGISTRY_FIELDS, Producer
from marketplace.shipping.models import ShippingMethod, ShippingZone


class Action(StrEnum):
    VIEW = "view"
    ADD = "add"
    CHANGE = "change"
    DELETE = "delete"


class Resource(StrEnum):
    """What the back office shows. Product photos are two resources: the registry's and the producer's own."""

    USER = "user"
    CHANNEL = "channel"
    PRODUCER = "producer"
    CATEGORY = "category"
    COLLECTION = "collection"
    PRODUCT = "product"
    VARIANT = "variant"
    VARIANT_PRICE = "variant_price"
    REGISTRY_MEDIA = "registry_media"
    PRODUCER_MEDIA = "producer_media"
    CERTIFICATION = "certification"
    LISTING_EVENT = "listing_event"
    OUTLET = "outlet"
    STOCK = "stock"
    SYNC_RUN = "sync_run"
    QUARANTINED_RECORD = "quarantined_record"
    REGISTRY_CURSOR = "registry_cursor"
    SHIPPING_ZONE = "shipping_zone"
    ORDER = "order"
    PAYMENT = "payment"


# Fields the registry owns (or the sync derives from it). Never editable by anyone in the back office.
REGISTRY_OWNED_FIELDS: dict[Resource, frozenset[str]] = {
    Resource.PRODUCER: frozenset({"registry_id", *PRODUCER_REGISTRY_FIELDS}),
    Resource.CATEGORY: frozenset({"kind", "parent", "scheme", "code", "name"}),
    Resource.PRODUCT: frozenset({"registry_id", *PRODUCT_REGISTRY_FIELDS, *PRODUCT_LISTING_FIELDS}),
}

# Resources that are wholly the registry's (or the sync's record of it): view at most, for everyone.
REGISTRY_OWNED_RESOURCES: frozenset[Resource] = frozenset(
    {
        Resource.CERTIFICATION,
        Resource.LISTING_EVENT,
        Resource.REGISTRY_MEDIA,
        Resource.SYNC_RUN,
        Resource.QUARANTINED_RECORD,
        Resource.REGISTRY_CURSOR,
    }
)

BACK_OFFICE_ROLES: frozenset[Role] = frozenset(
    {Role.PRODUCER_STAFF, Role.OUTLET_STAFF, Role.TRADE_STAFF, Role.OPERATOR}
)

_VIEW = frozenset({Action.VIEW})
_VIEW_CHANGE = frozenset({Action.VIEW, Action.CHANGE})
_ALL = frozenset(Action)

# resource -> role -> actions. A role or resource missing here may do nothing.
_GRANTS: dict[Resource, dict[Role, frozenset[Action]]] = {
    Resource.USER: {Role.OPERATOR: _ALL},
    Resource.CHANNEL: {Role.OPERATOR: _ALL},
    Resource.PRODUCER: {Role.OPERATOR: _VIEW_CHANGE, Role.TRADE_STAFF: _VIEW, Role.PRODUCER_STAFF: _VIEW},
    Resource.CATEGORY: {Role.OPERATOR: _VIEW_CHANGE},
    Resource.COLLECTION: {Role.OPERATOR: _ALL},
    Resource.PRODUCT: {Role.OPERATOR: _VIEW_CHANGE, Role.TRADE_STAFF: _VIEW, Role.PRODUCER_STAFF: _VIEW_CHANGE},
    Resource.VARIANT: {Role.OPERATOR: _ALL, Role.PRODUCER_STAFF: _ALL},
    Resource.VARIANT_PRICE: {Role.OPERATOR: _ALL, Role.PRODUCER_STAFF: _ALL},
    Resource.REGISTRY_MEDIA: {Role.OPERATOR: _VIEW, Role.TRADE_STAFF: _VIEW, Role.PRODUCER_STAFF: _VIEW},
    Resource.PRODUCER_MEDIA: {Role.OPERATOR: _ALL, Role.TRADE_STAFF: _VIEW, Role.PRODUCER_STAFF: _ALL},
    Resource.CERTIFICATION: {Role.OPERATOR: _VIEW, Role.TRADE_STAFF: _VIEW, Role.PRODUCER_STAFF: _VIEW},
    Resource.LISTING_EVENT: {Role.OPERATOR: _VIEW, Role.TRADE_STAFF: _VIEW, Role.PRODUCER_STAFF: _VIEW},
    Resource.OUTLET: {Role.OPERATOR: _ALL, Role.TRADE_STAFF: _VIEW, Role.OUTLET_STAFF: _VIEW},
    Resource.STOCK: {Role.OPERATOR: _ALL, Role.PRODUCER_STAFF: _ALL, Role.OUTLET_STAFF: _VIEW_CHANGE},
    Resource.SYNC_RUN: {Role.OPERATOR: _VIEW, Role.TRADE_STAFF: _VIEW},
    Resource.QUARANTINED_RECORD: {Role.OPERATOR: _VIEW, Role.TRADE_STAFF: _VIEW},
    Resource.REGISTRY_CURSOR: {Role.OPERATOR: _VIEW},
    Resource.SHIPPING_ZONE: {Role.OPERATOR: _ALL},
    # Orders change only through their services (the storefront API, the consoles): the admin shows them.
    Resource.ORDER: {Role.OPERATOR: _VIEW, Role.OUTLET_STAFF: _VIEW},
    Resource.PAYMENT: {Role.OPERATOR: _VIEW},
}

# Resources whose fields are edited field by field: resource -> role -> the fields it may edit (a role not
# named edits none). On other resources, whoever may change them may edit every field the registry does not own.
_EDITABLE_FIELDS: dict[Resource, dict[Role, frozenset[str]]] = {
    Resource.PRODUCER: {Role.OPERATOR: frozenset({"slug"})},
    Resource.PRODUCT: {
        Role.OPERATOR: frozenset({"slug", "seller_description", "seller_description_en"}),
        Role.PRODUCER_STAFF: frozenset({"seller_description", "seller_description_en"}),
    },
    Resource.STOCK: {
        Role.OPERATOR: frozenset({"variant", "outlet", "quantity"}),
        Role.PRODUCER_STAFF: frozenset({"variant", "outlet", "quantity"}),
        Role.OUTLET_STAFF: frozenset({"quantity"}),
    },
}

# Fields that name what a row is about: set when it is added, fixed afterwards.
_FIXED_AFTER_ADD: dict[Resource, frozenset[str]] = {
    Resource.STOCK: frozenset({"variant", "outlet"}),
}


def role_of(user: Any) -> Role | None:
    """The role the user acts in, or None for anonymous and inactive users. Superusers act as operators."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_superuser:
        return Role.OPERATOR
    try:
        return Role(user.role)
    except ValueError:
        return None


def is_operator(user: Any) -> bool:
    return role_of(user) == Role.OPERATOR


def can_access_admin(user: Any) -> bool:
    """Staff flag plus a back-office role whose scope is set (a producer, an outlet)."""
    role = role_of(user)
    if role is None or not user.is_staff or role not in BACK_OFFICE_ROLES:
        return False
    if role == Role.PRODUCER_STAFF:
        return user.producer_id is not None
    if role == Role.OUTLET_STAFF:
        return user.outlet_id is not None
    return True


def can(user: Any, action: Action, resource: Resource, obj: models.Model | None = None) -> bool:
    """May `user` do `action` on `resource` (on `obj`, if given, which must be within the user's scope)?"""
    if not can_access_admin(user):
        return False
    role = role_of(user)
    allowed = _GRANTS.get(resource, {}).get(role, frozenset())
    if resource in REGISTRY_OWNED_RESOURCES:
        allowed = allowed & _VIEW
    if action not in allowed:
        return False
    return obj is None or obj_in_scope(user, obj)


def editable_fields(user: Any, resource: Resource, field_names: Iterable[str], *, adding: bool) -> frozenset[str]:
    """Of `field_names`, those `user` may edit on `resource` (none when it may not change it)."""
    action = Action.ADD if adding else Action.CHANGE
    if not can(user, action, resource):
        return frozenset()
    names = frozenset(field_names) - REGISTRY_OWNED_FIELDS.get(resource, frozenset())
    limited = _EDITABLE_FIELDS.get(resource, {}).get(role_of(user))
    if limited is None and resource in _EDITABLE_FIELDS:
        return frozenset()
    if limited is not None:
        names &= limited
    if not adding:
        names -= _FIXED_AFTER_ADD.get(resource, frozenset())
    return names


def readonly_fields(user: Any, resource: Resource, field_names: Iterable[str], *, adding: bool) -> list[str]:
    """Of `field_names`, in order, those `user` must see read-only on `resource`."""
    names = list(field_names)
    editable = editable_fields(user, resource, names, adding=adding)
    return [name for name in names if name not in editable]


# --- scopes: which rows a user may see at all ---------------------------------------------------------------


def _producer_in_province(province: str, prefix: str = "") -> Q:
    """A producer belongs to a province by today's units, or by the registry's address when those are unknown."""
    return Q(**{f"{prefix}province_today": province}) | Q(
        **{f"{prefix}province_today": "", f"{prefix}address_province": province}
    )


def _scope_by_producer(user: Any, qs: QuerySet, prefix: str) -> QuerySet:
    """Rows reached through a producer: producer staff see their producer's, trade staff their province's."""
    role = role_of(user)
    if role == Role.OPERATOR:
        return qs
    if role == Role.PRODUCER_STAFF and user.producer_id:
        return qs.filter(**{f"{prefix}pk": user.producer_id})
    if role == Role.TRADE_STAFF and user.province:
        return qs.filter(_producer_in_province(user.province, prefix))
    return qs.none()


def scope_producers(user: Any, qs: QuerySet[Producer]) -> QuerySet[Producer]:
    return _scope_by_producer(user, qs, "")


def scope_products(user: Any, qs: QuerySet[Product]) -> QuerySet[Product]:
    return _scope_by_producer(user, qs, "producer__")


def scope_variants(user: Any, qs: QuerySet[ProductVariant]) -> QuerySet[ProductVariant]:
    return _scope_by_producer(user, qs, "product__producer__")


def scope_variant_prices(
    user: Any, qs: QuerySet[ProductVariantChannelListing]
) -> QuerySet[ProductVariantChannelListing]:
    return _scope_by_producer(user, qs, "variant__product__producer__")


def scope_product_media(user: Any, qs: QuerySet[ProductMedia]) -> QuerySet[ProductMedia]:
    return _scope_by_producer(user, qs, "product__producer__")


def scope_certifications(user: Any, qs: QuerySet[Certification]) -> QuerySet[Certification]:
    return _scope_by_producer(user, qs, "producer__")


def scope_listing_events(user: Any, qs: QuerySet[ListingEvent]) -> QuerySet[ListingEvent]:
    return _scope_by_producer(user, qs, "product__producer__")


def scope_outlets(user: Any, qs: QuerySet[Outlet]) -> QuerySet[Outlet]:
    role = role_of(user)
    if role == Role.OPERATOR:
        return qs
    if role == Role.OUTLET_STAFF and user.outlet_id:
        return qs.filter(pk=user.outlet_id)
    if role == Role.TRADE_STAFF and user.province:
        return qs.filter(province=user.province)
    return qs.none()


def scope_stock(user: Any, qs: QuerySet[Stock]) -> QuerySet[Stock]:
    role = role_of(user)
    if role == Role.OPERATOR:
        return qs
    if role == Role.PRODUCER_STAFF and user.producer_id:
        return qs.filter(variant__product__producer_id=user.producer_id)
    if role == Role.OUTLET_STAFF and user.outlet_id:
        return qs.filter(outlet_id=user.outlet_id)
    return qs.none()


def scope_registry_records(user: Any, qs: QuerySet) -> QuerySet:
    """Sync runs, quarantined records, cursors: the province's registry as a whole; operators and trade staff."""
    role = role_of(user)
    if role == Role.OPERATOR or (role == Role.TRADE_STAFF and user.province):
        return qs
    return qs.none()


def scope_orders(user: Any, qs: QuerySet[Order]) -> QuerySet[Order]:
    """Operators see every order; an outlet's staff the orders collected at their outlet."""
    role = role_of(user)
    if role == Role.OPERATOR:
        return qs
    if role == Role.OUTLET_STAFF and user.outlet_id:
        return qs.filter(collection_point_id=user.outlet_id)
    return qs.none()


def scope_order_parts(user: Any, qs: QuerySet) -> QuerySet:
    """Lines, fulfilments and events of the orders the user may see."""
    return qs.filter(order__in=scope_orders(user, Order.objects.all()))


def scope_operator_only(user: Any, qs: QuerySet) -> QuerySet:
    return qs if is_operator(user) else qs.none()


_SCOPES: dict[type[models.Model], Callable[[Any, QuerySet], QuerySet]] = {
    User: scope_operator_only,
    Channel: scope_operator_only,
    Category: scope_operator_only,
    Collection: scope_operator_only,
    CollectionProduct: scope_operator_only,
    Producer: scope_producers,
    Product: scope_products,
    ProductVariant: scope_variants,
    ProductVariantChannelListing: scope_variant_prices,
    ProductMedia: scope_product_media,
    Certification: scope_certifications,
    ListingEvent: scope_listing_events,
    Outlet: scope_outlets,
    Stock: scope_stock,
    SyncRun: scope_registry_records,
    QuarantinedRecord: scope_registry_records,
    RegistryCursor: scope_registry_records,
    ShippingZone: scope_operator_only,
    ShippingMethod: scope_operator_only,
    Order: scope_orders,
    OrderLine: scope_order_parts,
    Fulfillment: scope_order_parts,
    OrderEvent: scope_order_parts,
}


_SCOPES_BY_LABEL: dict[str, Callable[[Any, QuerySet], QuerySet]] = {
    # Models outside the domain (the payments package), known by label so the domain does not import them.
    "payments.transactionitem": scope_operator_only,
    "payments.transactionevent": scope_operator_only,
}


def scope(user: Any, qs: QuerySet) -> QuerySet:
    """The rows of `qs` the user may see; none for a model without a rule."""
    rule = _SCOPES.get(qs.model) or _SCOPES_BY_LABEL.get(qs.model._meta.label_lower)
    if rule is None or not can_access_admin(user):
        return qs.none()
    return rule(user, qs)


def obj_in_scope(user: Any, obj: models.Model) -> bool:
    if obj.pk is None:
        return True  # being added: its foreign keys were chosen from scoped choices
    return scope(user, type(obj)._default_manager.filter(pk=obj.pk)).exists()


def choosable(user: Any, qs: QuerySet) -> QuerySet:
    """The rows a user may pick in a form's foreign key: their own products and variants; any active outlet."""
    if qs.model is Outlet:
        return qs if is_operator(user) else qs.filter(is_active=True)
    if qs.model in (Product, ProductVariant, Producer):
        return scope(user, qs)
    return qs


# --- the admin's side: mixins that ask the rules above ------------------------------------------------------


def _model_field_names(model: type[models.Model]) -> list[str]:
    opts = model._meta
    return [
        field.name
        for field in [*opts.fields, *opts.many_to_many]
        if field.editable and not field.auto_created and not field.primary_key
    ]


class RoleScopedAdminMixin:
    """Permissions, rows, foreign-key choices and read-only fields of a ModelAdmin, from this module's rules.

    Set `resource`. Works for ModelAdmin and InlineModelAdmin alike (an inline's `obj` is its parent).
    """

    resource: Resource

    def has_module_permission(self, request: HttpRequest) -> bool:
        return can(request.user, Action.VIEW, self.resource)

    def has_view_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return can(request.user, Action.VIEW, self.resource, obj) or can(
            request.user, Action.CHANGE, self.resource, obj
        )

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return can(request.user, Action.CHANGE, self.resource, obj)

    def has_add_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return can(request.user, Action.ADD, self.resource, obj)

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return can(request.user, Action.DELETE, self.resource, obj)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return scope(request.user, super().get_queryset(request))  # type: ignore[misc]

    def formfield_for_foreignkey(self, db_field: models.ForeignKey, request: HttpRequest, **kwargs: Any) -> Any:
        if "queryset" not in kwargs:
            kwargs["queryset"] = choosable(request.user, db_field.remote_field.model._default_manager.all())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def _shown_field_names(self) -> list[str]:
        model_fields = _model_field_names(self.model)  # type: ignore[attr-defined]
        declared = self.fieldsets or self.fields  # type: ignore[attr-defined]
        if not declared:
            return model_fields
        shown = flatten_fieldsets(self.fieldsets) if self.fieldsets else list(self.fields)  # type: ignore[attr-defined]
        return [name for name in shown if name in model_fields]

    def get_readonly_fields(self, request: HttpRequest, obj: models.Model | None = None) -> tuple[str, ...]:
        declared = tuple(super().get_readonly_fields(request, obj))  # type: ignore[misc]
        names = [name for name in self._shown_field_names() if name not in declared]
        if isinstance(self, InlineModelAdmin):
            # One form set holds rows being added and rows being changed; fields fixed after adding are
            # disabled row by row by the inline's form.
            editable = editable_fields(request.user, self.resource, names, adding=True) | editable_fields(
                request.user, self.resource, names, adding=False
            )
            return declared + tuple(name for name in names if name not in editable)
        return declared + tuple(readonly_fields(request.user, self.resource, names, adding=obj is None))
