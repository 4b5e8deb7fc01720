"""Who may do what in the back office: the machinery, and a registry the apps fill with their own models' rules.

A user's role (`User.role`) decides; Django's per-model permission tables are not consulted.
Superusers count as operators. The admin (`*/admin.py`) asks these functions through
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

Each app states these rules for its own models, in its own `permissions.py`:
- a `Resource` for each thing the back office shows: which role may do which action, what the registry
  owns, which fields are edited field by field and which are fixed once a row is added;
- `register_model(...)` for each model: which rows a user may see (its scope) and pick in a form's
  foreign key (its choices).
This module imports none of them: `autodiscover()` (run when the accounts app is ready) imports every
installed app's `permissions` module, the way the admin finds each app's `admin.py`. Anything not granted
is denied: a role a resource does not name may do nothing on it, and a model without a scope shows no rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from django.contrib.admin.options import InlineModelAdmin
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.module_loading import autodiscover_modules

from marketplace.accounts.models import Role, User

_M = TypeVar("_M", bound=models.Model)

ScopeRule = Callable[[Any, QuerySet[Any]], QuerySet[Any]]
"""Given a user and a queryset, the rows of it that user may see (or choose)."""


class Action(StrEnum):
    VIEW = "view"
    ADD = "add"
    CHANGE = "change"
    DELETE = "delete"


VIEW: frozenset[Action] = frozenset({Action.VIEW})
VIEW_CHANGE: frozenset[Action] = frozenset({Action.VIEW, Action.CHANGE})
ALL: frozenset[Action] = frozenset(Action)

BACK_OFFICE_ROLES: frozenset[Role] = frozenset(
    {Role.PRODUCER_STAFF, Role.OUTLET_STAFF, Role.TRADE_STAFF, Role.OPERATOR}
)


@dataclass(frozen=True, eq=False)
class Resource:
    """Something the back office shows (an admin page, an inline), declared by the app that owns it.

    - `grants`: role -> the actions it may do. A role not named may do nothing.
    - `registry_owned`: wholly the registry's (or the sync's record of it): view at most, for everyone.
    - `registry_fields`: fields the registry owns (or the sync derives from it): never editable by anyone.
    - `editable_by`: when set, the resource is edited field by field: role -> the fields it may edit (a role not
      named edits none). When not, whoever may change it may edit every field the registry does not own.
    - `fixed_after_add`: fields that name what a row is about: set when it is added, fixed afterwards.
    """

    name: str
    grants: Mapping[Role, frozenset[Action]]
    registry_owned: bool = False
    registry_fields: frozenset[str] = frozenset()
    editable_by: Mapping[Role, frozenset[str]] | None = None
    fixed_after_add: frozenset[str] = frozenset()

    def allowed_actions(self, role: Role | None) -> frozenset[Action]:
        allowed = self.grants.get(role, frozenset()) if role is not None else frozenset()
        return allowed & VIEW if self.registry_owned else allowed

    def fields_editable_by(self, role: Role | None) -> frozenset[str] | None:
        """The fields `role` may edit when the resource is edited field by field; None when it is not."""
        if self.editable_by is None:
            return None
        return self.editable_by.get(role, frozenset()) if role is not None else frozenset()


# --- roles ---------------------------------------------------------------------------------------------------


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


# --- actions and fields --------------------------------------------------------------------------------------


def can(user: Any, action: Action, resource: Resource, obj: models.Model | None = None) -> bool:
    """May `user` do `action` on `resource` (on `obj`, if given, which must be within the user's scope)?"""
    if not can_access_admin(user):
        return False
    if action not in resource.allowed_actions(role_of(user)):
        return False
    return obj is None or obj_in_scope(user, obj)


def editable_fields(user: Any, resource: Resource, field_names: Iterable[str], *, adding: bool) -> frozenset[str]:
    """Of `field_names`, those `user` may edit on `resource` (none when it may not change it)."""
    action = Action.ADD if adding else Action.CHANGE
    if not can(user, action, resource):
        return frozenset()
    names = frozenset(field_names) - resource.registry_fields
    limited = resource.fields_editable_by(role_of(user))
    if limited is not None:
        names &= limited
    if not adding:
        names -= resource.fixed_after_add
    return names


def readonly_fields(user: Any, resource: Resource, field_names: Iterable[str], *, adding: bool) -> list[str]:
    """Of `field_names`, in order, those `user` must see read-only on `resource`."""
    names = list(field_names)
    editable = editable_fields(user, resource, names, adding=adding)
    return [name for name in names if name not in editable]


# --- scopes: which rows a user may see at all, and pick in a form ----------------------------------------------


@dataclass(frozen=True)
class _ModelRules:
    scope: ScopeRule
    choices: ScopeRule


_MODEL_RULES: dict[str, _ModelRules] = {}


def any_row(user: Any, qs: QuerySet[_M]) -> QuerySet[_M]:
    """Choices: every row (the foreign key is not narrowed)."""
    return qs


def within_scope(user: Any, qs: QuerySet[_M]) -> QuerySet[_M]:
    """Choices: the rows the user may see."""
    return scope(user, qs)


def register_model(model: type[models.Model] | str, *, scope: ScopeRule, choices: ScopeRule = any_row) -> None:
    """Declare the rows of `model` (a class, or an "app_label.model_name" label) a user may see and choose.

    Called by the app that owns the model, from its `permissions` module.
    """
    label = model.lower() if isinstance(model, str) else model._meta.label_lower
    rules = _ModelRules(scope=scope, choices=choices)
    if _MODEL_RULES.setdefault(label, rules) != rules:
        raise ImproperlyConfigured(f"The back-office rules of {label} are registered twice, differently.")


def has_rules(model: type[models.Model]) -> bool:
    """Whether the app owning `model` registered its rules (a model without them shows no rows to anyone)."""
    return model._meta.label_lower in _MODEL_RULES


def autodiscover() -> None:
    """Import the `permissions` module of every installed app, so each registers the rules of its models."""
    autodiscover_modules("permissions")


def scope(user: Any, qs: QuerySet[_M]) -> QuerySet[_M]:
    """The rows of `qs` the user may see; none for a model without a rule."""
    rules = _MODEL_RULES.get(qs.model._meta.label_lower)
    if rules is None or not can_access_admin(user):
        return qs.none()
    return rules.scope(user, qs)


def obj_in_scope(user: Any, obj: models.Model) -> bool:
    if obj.pk is None:
        return True  # being added: its foreign keys were chosen from scoped choices
    return scope(user, type(obj)._default_manager.filter(pk=obj.pk)).exists()


def choosable(user: Any, qs: QuerySet[_M]) -> QuerySet[_M]:
    """The rows a user may pick in a form's foreign key, by the rule the model's app registered (default: any)."""
    rules = _MODEL_RULES.get(qs.model._meta.label_lower)
    return qs if rules is None else rules.choices(user, qs)


def scope_operator_only(user: Any, qs: QuerySet[_M]) -> QuerySet[_M]:
    return qs if is_operator(user) else qs.none()


def scope_province_wide(user: Any, qs: QuerySet[_M]) -> QuerySet[_M]:
    """Records of the province as a whole (the registry's, the sync's): operators, and trade staff with a province."""
    role = role_of(user)
    if role == Role.OPERATOR or (role == Role.TRADE_STAFF and user.province):
        return qs
    return qs.none()


# --- the admin's side: a mixin that asks the rules above ------------------------------------------------------


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

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
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

    def get_readonly_fields(self, request: HttpRequest, obj: models.Model | None = None) -> list[str] | tuple[str, ...]:
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


# --- this app's own: users -------------------------------------------------------------------------------------

USER = Resource("accounts.user", grants={Role.OPERATOR: ALL})

register_model(User, scope=scope_operator_only)
