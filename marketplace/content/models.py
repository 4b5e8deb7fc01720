"""The shop's navigation and its own pages, as Saleor has them: menus of items, and pages of a page type.

A menu (the storefront asks for `navbar` and `footer`) is a tree of items. An item links to one thing: an OCOP
group or product set (a category), a collection, one of these pages, or a URL; an item linking to nothing is a
heading over its children (a footer column, a group in the navigation bar).

A page is written in Vietnamese and, optionally, English, as EditorJS blocks (see `editorjs.py`). Its page type
names the attributes its pages carry (the storefront reads its merchandising texts from them: the hero of the
home page, the announcement bar, ...). Only published pages are shown, from their publication time on.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.catalogue.models import Category, Collection
from marketplace.content.error_codes import MenuErrorCode, PageErrorCode
from marketplace.core.models import TimestampedModel

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

MAX_MENU_LEVEL = 2
"""Items nest three levels deep (levels 0, 1 and 2): as deep as the storefront reads a menu."""


class Menu(models.Model):
    name = models.CharField(_("name"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=255, unique=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("menu")
        verbose_name_plural = _("menus")

    def __str__(self) -> str:
        return self.name


class PageAttributeKind(models.TextChoices):
    """The kinds of value a page attribute holds (Saleor's input types, those the storefront reads)."""

    PLAIN_TEXT = "plain-text", _("Text")
    BOOLEAN = "boolean", _("Yes or no")
    NUMERIC = "numeric", _("Number")
    COLLECTION = "collection", _("Collection")
    FILE = "file", _("File")


class PageAttribute(models.Model):
    """A field of a page type's pages, e.g. `hero-heading` (text) or `featured-collection` (a collection)."""

    name = models.CharField(_("name"), max_length=255)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    slug = models.SlugField(_("slug"), max_length=255, unique=True)
    kind = models.CharField(_("kind of value"), max_length=16, choices=PageAttributeKind.choices)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("page attribute")
        verbose_name_plural = _("page attributes")

    def __str__(self) -> str:
        return f"{self.name} ({self.slug})"


class PageType(models.Model):
    name = models.CharField(_("name"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=255, unique=True)
    attributes = models.ManyToManyField(
        PageAttribute, related_name="page_types", blank=True, verbose_name=_("attributes")
    )

    class Meta:
        ordering = ["slug"]
        verbose_name = _("page type")
        verbose_name_plural = _("page types")

    def __str__(self) -> str:
        return self.name


class Page(TimestampedModel):
    page_type = models.ForeignKey(PageType, on_delete=models.PROTECT, related_name="pages", verbose_name=_("type"))
    title = models.CharField(_("title"), max_length=250)
    title_en = models.CharField(_("English title"), max_length=250, blank=True)
    slug = models.SlugField(_("slug"), max_length=255, unique=True)
    slug_en = models.SlugField(_("English slug"), max_length=255, blank=True)
    content = models.JSONField(_("content"), null=True, blank=True, help_text=_("EditorJS blocks."))
    content_en = models.JSONField(_("English content"), null=True, blank=True, help_text=_("EditorJS blocks."))
    seo_title = models.CharField(_("SEO title"), max_length=70, blank=True)
    seo_title_en = models.CharField(_("English SEO title"), max_length=70, blank=True)
    seo_description = models.CharField(_("SEO description"), max_length=300, blank=True)
    seo_description_en = models.CharField(_("English SEO description"), max_length=300, blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(
        _("published from"), null=True, blank=True, help_text=_("Empty: from when it is published.")
    )

    class Meta:
        ordering = ["slug"]
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        constraints = [
            models.UniqueConstraint(fields=["slug_en"], condition=~models.Q(slug_en=""), name="page_unique_slug_en"),
        ]

    def __str__(self) -> str:
        return self.title

    def is_visible(self, *, now: datetime.datetime | None = None) -> bool:
        """Published, and its publication time (if any) has come."""
        moment = now or timezone.now()
        return self.is_published and (self.published_at is None or self.published_at <= moment)


class PageAttributeValue(models.Model):
    """A page's value of one attribute of its type, in the field of the attribute's kind."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="attribute_values", verbose_name=_("page"))
    attribute = models.ForeignKey(
        PageAttribute, on_delete=models.CASCADE, related_name="values", verbose_name=_("attribute")
    )
    text = models.TextField(_("text"), blank=True)
    text_en = models.TextField(_("English text"), blank=True)
    boolean = models.BooleanField(_("yes or no"), null=True, blank=True)
    number = models.FloatField(_("number"), null=True, blank=True)
    collection = models.ForeignKey(
        Collection, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("collection")
    )
    file = models.FileField(_("file"), upload_to="pages/", blank=True)

    class Meta:
        ordering = ["attribute__slug"]
        verbose_name = _("attribute value")
        verbose_name_plural = _("attribute values")
        constraints = [
            models.UniqueConstraint(fields=["page", "attribute"], name="page_attribute_value_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.page} – {self.attribute.slug}"

    def clean(self) -> None:
        """The attribute is one of the page type's, and only the field of its kind holds a value."""
        if self.page_id is None or self.attribute_id is None:
            return
        if not self.page.page_type.attributes.filter(pk=self.attribute_id).exists():
            message = _("This attribute is not one of the page type's.")
            raise ValidationError({"attribute": ValidationError(message, code=PageErrorCode.INVALID.value)})
        kind = PageAttributeKind(self.attribute.kind)
        filled: dict[str, bool] = {
            PageAttributeKind.PLAIN_TEXT: bool(self.text or self.text_en),
            PageAttributeKind.BOOLEAN: self.boolean is not None,
            PageAttributeKind.NUMERIC: self.number is not None,
            PageAttributeKind.COLLECTION: self.collection_id is not None,
            PageAttributeKind.FILE: bool(self.file),
        }
        stray = [str(label) for value, label in PageAttributeKind.choices if filled[value] and value != kind.value]
        if stray:
            raise ValidationError(
                _("A %(kind)s attribute holds no %(others)s value.")
                % {"kind": self.attribute.get_kind_display(), "others": ", ".join(stray)},
                code=PageErrorCode.INVALID.value,
            )


class MenuItem(models.Model):
    menu = models.ForeignKey(Menu, on_delete=models.CASCADE, related_name="items", verbose_name=_("menu"))
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children", verbose_name=_("parent")
    )
    name = models.CharField(_("name"), max_length=128)
    name_en = models.CharField(_("English name"), max_length=128, blank=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("category")
    )
    collection = models.ForeignKey(
        Collection, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("collection")
    )
    page = models.ForeignKey(
        Page, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("page")
    )
    url = models.URLField(_("URL"), max_length=256, blank=True)

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("menu item")
        verbose_name_plural = _("menu items")
        constraints = [
            models.CheckConstraint(
                name="menu_item_at_most_one_target",
                condition=(
                    models.Q(category__isnull=True, collection__isnull=True, page__isnull=True)
                    | models.Q(category__isnull=False, collection__isnull=True, page__isnull=True, url="")
                    | models.Q(category__isnull=True, collection__isnull=False, page__isnull=True, url="")
                    | models.Q(category__isnull=True, collection__isnull=True, page__isnull=False, url="")
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def targets(self) -> list[str]:
        """The names of the fields this item links through (one at most for a valid item)."""
        linked = [name for name in ("category", "collection", "page") if getattr(self, f"{name}_id") is not None]
        return [*linked, "url"] if self.url else linked

    @property
    def level(self) -> int:
        """0 for a top item, 1 for its children, ... (reads the parents)."""
        return len(_ancestor_ids(self.parent_id))

    def clean(self) -> None:
        """One target at most; the parent in the same menu, not the item itself nor one of its own items, and
        no deeper than `MAX_MENU_LEVEL`."""
        if len(self.targets()) > 1:
            raise ValidationError(
                _("A menu item links to one thing: a category, a collection, a page or a URL."),
                code=MenuErrorCode.TOO_MANY_MENU_ITEMS.value,
            )
        if self.parent is None:
            return
        if self.parent.menu_id != self.menu_id:
            raise _parent_error(_("The parent item belongs to another menu."), MenuErrorCode.CANNOT_ASSIGN_NODE)
        ancestors = _ancestor_ids(self.parent_id)
        if self.pk is not None and self.pk in ancestors:
            raise _parent_error(_("An item cannot be placed under itself."), MenuErrorCode.CANNOT_ASSIGN_NODE)
        if len(ancestors) + self._depth_below() > MAX_MENU_LEVEL:
            message = _("Menus nest at most %(levels)d levels deep.") % {"levels": MAX_MENU_LEVEL + 1}
            raise _parent_error(message, MenuErrorCode.INVALID)

    def _depth_below(self) -> int:
        """How many levels of items hang below this one (0 for a new item or one without children)."""
        if self.pk is None:
            return 0
        depth, level = 0, [self.pk]
        while level:
            level = list(MenuItem.objects.filter(parent_id__in=level).values_list("pk", flat=True))
            depth += bool(level)
        return depth


def _ancestor_ids(parent_id: int | None) -> list[int]:
    """The saved item `parent_id` and its parents, nearest first (a loop, which `clean` prevents, stops it)."""
    found: list[int] = []
    while parent_id is not None and parent_id not in found:
        found.append(parent_id)
        parent_id = MenuItem.objects.filter(pk=parent_id).values_list("parent_id", flat=True).first()
    return found


def _parent_error(message: StrOrPromise, code: MenuErrorCode) -> ValidationError:
    return ValidationError({"parent": ValidationError(message, code=code.value)})
