from typing import ClassVar, Self

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.crypto import get_random_string
from django.utils.translation import gettext_lazy as _


def new_jwt_token_key() -> str:
    return get_random_string(length=12)


class Role(models.TextChoices):
    CONSUMER = "consumer", _("Consumer")
    PRODUCER_STAFF = "producer_staff", _("Producer staff")
    OUTLET_STAFF = "outlet_staff", _("Outlet staff")
    TRADE_STAFF = "trade_staff", _("Department of Trade staff")
    OPERATOR = "operator", _("Operator")


class User(AbstractUser):
    """An account. Its role says what it may do; producer and outlet staff are scoped to one of each."""

    email = models.EmailField(_("e-mail"), unique=True)
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, default=Role.CONSUMER)
    producer = models.ForeignKey(
        "producers.Producer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
        verbose_name=_("producer"),
    )
    outlet = models.ForeignKey(
        "outlets.Outlet",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
        verbose_name=_("outlet"),
    )
    province = models.CharField(
        _("province"),
        max_length=255,
        blank=True,
        help_text=_("Trade staff see the certified sellers of this province."),
    )
    language_code = models.CharField(_("language"), max_length=8, default="vi")
    # False from registration until the e-mailed link is followed (when the shop asks for confirmation);
    # such an account cannot sign in to the storefront.
    is_confirmed = models.BooleanField(_("e-mail confirmed"), default=True)
    # The storefront's public metadata (Saleor's `metadata`): string keys and values set by the user's client.
    metadata = models.JSONField(_("metadata"), default=dict, blank=True)
    # When a password reset e-mail was last sent; another request soon after sends nothing.
    last_password_reset_request = models.DateTimeField(null=True, blank=True, editable=False)
    # The storefront's saved addresses, as Saleor keeps them: shared rows, never an order's copy.
    addresses = models.ManyToManyField("accounts.Address", blank=True, related_name="user_addresses")
    default_shipping_address = models.ForeignKey(
        "accounts.Address",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("default shipping address"),
    )
    default_billing_address = models.ForeignKey(
        "accounts.Address",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("default billing address"),
    )
    # Signed into every JWT; a new key invalidates the user's tokens (see `set_password`).
    jwt_token_key = models.CharField(max_length=12, default=new_jwt_token_key, editable=False)

    objects: ClassVar[UserManager[Self]] = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="producer_staff") | models.Q(producer__isnull=False),
                name="user_producer_staff_has_producer",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="outlet_staff") | models.Q(outlet__isnull=False),
                name="user_outlet_staff_has_outlet",
            ),
        ]

    def set_password(self, raw_password: str | None) -> None:
        """Sets the password and a new `jwt_token_key`, so that tokens issued before no longer work."""
        super().set_password(raw_password)
        self.jwt_token_key = new_jwt_token_key()

    def clean(self) -> None:
        super().clean()
        if self.role == Role.PRODUCER_STAFF and not self.producer_id:
            raise ValidationError({"producer": _("Producer staff must belong to a producer.")})
        if self.role == Role.OUTLET_STAFF and not self.outlet_id:
            raise ValidationError({"outlet": _("Outlet staff must belong to an outlet.")})


class Address(models.Model):
    """A postal address in Saleor's shape, in Vietnam's administrative units since July 2025.

    `country_area` is the province and `city` the commune (ward or commune); there are no districts
    any more. The codes are those of `vietnamadminunits`, filled when the address is validated.
    """

    first_name = models.CharField(_("first name"), max_length=256, blank=True)
    last_name = models.CharField(_("last name"), max_length=256, blank=True)
    company_name = models.CharField(_("company"), max_length=256, blank=True)
    street_address_1 = models.CharField(_("street address"), max_length=256, blank=True)
    street_address_2 = models.CharField(_("street address (line 2)"), max_length=256, blank=True)
    city = models.CharField(_("commune"), max_length=256, blank=True)
    city_area = models.CharField(_("hamlet / area"), max_length=128, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    country = models.CharField(_("country"), max_length=2, default="VN")
    country_area = models.CharField(_("province"), max_length=128, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    province_code = models.CharField(_("province code"), max_length=8, blank=True)
    commune_code = models.CharField(_("commune code"), max_length=8, blank=True)

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")

    def __str__(self) -> str:
        return ", ".join(part for part in (self.street_address_1, self.city, self.country_area) if part)

    @property
    def full_name(self) -> str:
        return f"{self.last_name} {self.first_name}".strip()

    def copy(self) -> "Address":
        """An unsaved copy, for an order that must keep the address as it was when it was placed."""
        return Address(**{f.attname: getattr(self, f.attname) for f in self._meta.concrete_fields if not f.primary_key})
