from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.Model):
    """A sales channel, as in Saleor: one for now, selling in đồng."""

    name = models.CharField(_("name"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=255, unique=True)
    currency_code = models.CharField(_("currency"), max_length=3, default="VND")
    default_country = models.CharField(_("default country"), max_length=2, default="VN")
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("channel")
        verbose_name_plural = _("channels")

    def __str__(self) -> str:
        return self.name
