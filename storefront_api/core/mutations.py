"""Mutations the Saleor way: parse and resolve the input, check permissions, call one service,
and return the service's refusals as `errors { field code message }` (never as a 500)."""

from __future__ import annotations

from typing import Any

import graphene
from graphene_django.constants import MUTATION_ERRORS_FLAG

from marketplace.core.errors import DomainError, ErrorDetail, PermissionDenied
from storefront_api.core.errors import StorefrontError, StorefrontErrorCode
from storefront_api.core.ids import global_id


class PermissionDeniedError(StorefrontError):
    pass


def permission_denied(message: str = "You do not have permission to perform this action") -> PermissionDeniedError:
    return PermissionDeniedError(message, code=StorefrontErrorCode.PERMISSION_DENIED)


class BaseMutation(graphene.Mutation):
    """Subclasses declare `errors = NonNullList(<Domain>Error)`, `error_type`, and `perform_mutation`."""

    class Meta:
        abstract = True

    error_type: type[graphene.ObjectType]
    line_type = "CheckoutLine"  # the type of the ids in an error's `lines`

    @classmethod
    def perform_mutation(cls, root: Any, info: graphene.ResolveInfo, *args: Any, **data: Any) -> BaseMutation:
        """The payload; subclasses name the arguments they take (`*args: Any, **data: Any` lets them)."""
        raise NotImplementedError

    @classmethod
    def mutate(cls, root: Any, info: graphene.ResolveInfo, **data: Any) -> BaseMutation:
        try:
            result = cls.perform_mutation(root, info, **data)
        except DomainError as error:
            return cls.failure(info, error.details)
        except StorefrontError as error:
            if isinstance(error, PermissionDeniedError):
                raise
            return cls.failure(info, [ErrorDetail(error.message, error.code, error.field)])
        except PermissionDenied as error:
            raise permission_denied(str(error) or "You do not have permission to perform this action") from None
        if getattr(result, "errors", None) is None:
            result.errors = []
        return result

    @classmethod
    def failure(cls, info: graphene.ResolveInfo, details: list[ErrorDetail]) -> BaseMutation:
        """The payload of a refusal: its `errors`, and each field declared with a `default_value` at that value
        (as Saleor declares `confirmationNeeded`), so a non-null field of the payload is never null."""
        setattr(info.context, MUTATION_ERRORS_FLAG, True)
        defaults = {
            name: field.default_value
            for name, field in cls._meta.fields.items()
            if getattr(field, "default_value", None) is not None
        }
        return cls(errors=[cls.error_from_detail(detail) for detail in details], **defaults)

    @classmethod
    def error_from_detail(cls, detail: ErrorDetail) -> graphene.ObjectType:
        fields = cls.error_type._meta.fields
        values: dict[str, Any] = {"field": detail.field, "code": detail.code.value, "message": detail.message}
        if "lines" in fields:
            values["lines"] = [global_id(cls.line_type, pk) for pk in detail.lines] or None
        if "variants" in fields:
            values["variants"] = [global_id("ProductVariant", pk) for pk in detail.variants] or None
        for key, value in detail.extra.items():
            if key in fields:
                values[key] = value
        return cls.error_type(**values)


def error_type(name: str, code_enum: type[graphene.Enum], *, extra: dict[str, Any] | None = None) -> type:
    """A Saleor error type: `{field message code}` plus extra fields (e.g. `lines`, `variants`)."""
    attrs: dict[str, Any] = {
        "field": graphene.String(
            description="Name of a field that caused the error. A value of `null` indicates that the error isn't "
            "associated with a particular field."
        ),
        "message": graphene.String(description="The error message."),
        "code": graphene.Field(code_enum, required=True, description="The error code."),
        **(extra or {}),
    }
    return type(name, (graphene.ObjectType,), attrs)
