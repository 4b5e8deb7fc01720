"""Menus and pages in the back office, for operators. A page's content is edited as text (paragraphs, `## `
headings, `- ` lists) and stored as EditorJS blocks (`editorjs.py`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from marketplace.accounts.permissions import RoleScopedAdminMixin
from marketplace.content.editorjs import blocks_from_text, text_from_blocks
from marketplace.content.models import Menu, MenuItem, Page, PageAttribute, PageAttributeValue, PageType
from marketplace.content.permissions import MENU, PAGE, PAGE_TYPE

_CONTENT_HELP = _("Paragraphs separated by an empty line; a line starting with “## ” is a heading, “- ” a list item.")


class MenuItemInline(RoleScopedAdminMixin, admin.TabularInline):
    resource = MENU
    model = MenuItem
    fk_name = "menu"
    fields = ("name", "name_en", "parent", "sort_order", "category", "collection", "page", "url")
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[MenuItem]:
        return super().get_queryset(request).select_related("parent", "category", "collection", "page")

    def formfield_for_foreignkey(self, db_field: models.ForeignKey, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "parent":  # a parent among this menu's items
            menu_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
            kwargs["queryset"] = MenuItem.objects.filter(menu_id=menu_id) if menu_id else MenuItem.objects.none()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Menu)
class MenuAdmin(RoleScopedAdminMixin, admin.ModelAdmin):
    """The storefront reads the menus `navbar` (the navigation bar) and `footer` (its columns)."""

    resource = MENU
    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (MenuItemInline,)


class PageForm(forms.ModelForm):
    content_text = forms.CharField(label=_("content"), widget=forms.Textarea, required=False, help_text=_CONTENT_HELP)
    content_en_text = forms.CharField(
        label=_("English content"), widget=forms.Textarea, required=False, help_text=_CONTENT_HELP
    )

    class Meta:
        model = Page
        fields = (
            "page_type",
            "title",
            "slug",
            "seo_title",
            "seo_description",
            "title_en",
            "slug_en",
            "seo_title_en",
            "seo_description_en",
            "is_published",
            "published_at",
        )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["content_text"].initial = text_from_blocks(self.instance.content)
            self.fields["content_en_text"].initial = text_from_blocks(self.instance.content_en)

    def save(self, commit: bool = True) -> Page:
        page: Page = super().save(commit=False)
        page.content = blocks_from_text(self.cleaned_data.get("content_text") or "")
        page.content_en = blocks_from_text(self.cleaned_data.get("content_en_text") or "")
        if commit:
            page.save()
            self.save_m2m()
        return page


class PageAttributeValueInline(RoleScopedAdminMixin, admin.StackedInline):
    resource = PAGE
    model = PageAttributeValue
    fields = ("attribute", "text", "text_en", "boolean", "number", "collection", "file")
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[PageAttributeValue]:
        return super().get_queryset(request).select_related("attribute", "collection")


@admin.register(Page)
class PageAdmin(RoleScopedAdminMixin, admin.ModelAdmin):
    resource = PAGE
    form = PageForm
    list_display = ("title", "slug", "page_type", "is_published", "published_at")
    list_filter = ("is_published", "page_type")
    list_select_related = ("page_type",)
    search_fields = ("title", "title_en", "slug", "slug_en")
    prepopulated_fields = {"slug": ("title",), "slug_en": ("title_en",)}
    fieldsets = (
        (None, {"fields": ("page_type", "title", "slug", "content_text", "seo_title", "seo_description")}),
        (_("English"), {"fields": ("title_en", "slug_en", "content_en_text", "seo_title_en", "seo_description_en")}),
        (_("Publication"), {"fields": ("is_published", "published_at")}),
    )
    inlines = (PageAttributeValueInline,)


@admin.register(PageType)
class PageTypeAdmin(RoleScopedAdminMixin, admin.ModelAdmin):
    resource = PAGE_TYPE
    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("attributes",)


@admin.register(PageAttribute)
class PageAttributeAdmin(RoleScopedAdminMixin, admin.ModelAdmin):
    resource = PAGE_TYPE
    list_display = ("name", "slug", "kind")
    list_filter = ("kind",)
    search_fields = ("name", "name_en", "slug")
    prepopulated_fields = {"slug": ("name",)}
