from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


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

    objects = UserManager()

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

    def clean(self) -> None:
        super().clean()
        if self.role == Role.PRODUCER_STAFF and not self.producer_id:
            raise ValidationError({"producer": _("Producer staff must belong to a producer.")})
        if self.role == Role.OUTLET_STAFF and not self.outlet_id:
            raise ValidationError({"outlet": _("Outlet staff must belong to an outlet.")})
