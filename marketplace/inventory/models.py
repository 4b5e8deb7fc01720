from django.db import models
from django.utils.translation import gettext_lazy as _


class Stock(models.Model):
    """How many of a variant an outlet holds, and how many of those are promised to orders."""

    variant = models.ForeignKey(
        "catalogue.ProductVariant", on_delete=models.CASCADE, related_name="stocks", verbose_name=_("variant")
    )
    outlet = models.ForeignKey(
        "outlets.Outlet", on_delete=models.CASCADE, related_name="stocks", verbose_name=_("outlet")
    )
    quantity = models.PositiveIntegerField(_("quantity"), default=0)
    quantity_allocated = models.PositiveIntegerField(_("allocated"), default=0)

    class Meta:
        ordering = ["outlet", "variant"]
        verbose_name = _("stock")
        verbose_name_plural = _("stock")
        constraints = [
            models.UniqueConstraint(fields=["variant", "outlet"], name="stock_unique_variant_outlet"),
            models.CheckConstraint(
                condition=models.Q(quantity_allocated__lte=models.F("quantity")),
                name="stock_allocated_within_quantity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.variant} @ {self.outlet}: {self.quantity}"

    @property
    def quantity_available(self) -> int:
        return max(self.quantity - self.quantity_allocated, 0)
