"""What the PostgreSQL backend stores, and the "needs reindex" marks that both backends follow."""

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F
from django.db.models.functions import Collate


class ProductSearchDocument(models.Model):
    """One listed product as the PostgreSQL backend indexes it (a `ProductDocument`, plus folded text).

    `folded_name` and `folded_text` are folded with `marketplace.core.text.fold` (no diacritics,
    đ/Đ to d, lower case), like the query. The full-text search reads `ProductSearchEntry`, not
    this table; this one keeps every field as indexed and serves the trigram fallback.
    """

    product = models.OneToOneField("catalogue.Product", primary_key=True, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=500)
    name_en = models.CharField(max_length=500, blank=True)
    slug = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    producer_name = models.CharField(max_length=500, blank=True)
    producer_kind = models.CharField(max_length=32, blank=True)
    commune = models.CharField(max_length=255, blank=True)
    district = models.CharField(max_length=255, blank=True)
    province = models.CharField(max_length=255, blank=True)
    group_id = models.BigIntegerField(null=True, blank=True)
    group_name = models.CharField(max_length=255, blank=True)
    category_name = models.CharField(max_length=255, blank=True)
    stars = models.PositiveSmallIntegerField()
    price_min = models.PositiveBigIntegerField(null=True, blank=True)
    price_max = models.PositiveBigIntegerField(null=True, blank=True)
    outlet_ids = ArrayField(models.BigIntegerField(), default=list, blank=True)
    outlet_names = ArrayField(models.CharField(max_length=255), default=list, blank=True)
    created_at = models.DateTimeField()
    folded_name = models.TextField()
    folded_text = models.TextField()
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            GinIndex(fields=["folded_text"], opclasses=["gin_trgm_ops"], name="search_doc_text_trgm"),
            GinIndex(fields=["folded_name"], opclasses=["gin_trgm_ops"], name="search_doc_name_trgm"),
        ]

    def __str__(self) -> str:
        return self.name


class ProductSearchEntry(models.Model):
    """What a full-text search reads of a product: its words, and the columns it filters, sorts and counts by.

    Kept apart from the wide `ProductSearchDocument` (~1.3 kB a row) so that matching and counting
    every match of a broad query ("dong nai": all 100,000 products) reads ~55 MB, not 130 MB.
    `words` holds every folded word of the name (and English name), producer, place, group,
    category and description, `name_words` those of the name alone; both are stripped (no
    positions or weights: nothing is ranked by them, see `search.backends.postgres`).
    """

    product = models.OneToOneField("catalogue.Product", primary_key=True, on_delete=models.CASCADE, related_name="+")
    words = SearchVectorField()
    name_words = SearchVectorField()
    folded_name = models.TextField()
    stars = models.PositiveSmallIntegerField()
    group_id = models.BigIntegerField(null=True, blank=True)
    group_name = models.CharField(max_length=255, blank=True)
    commune = models.CharField(max_length=255, blank=True)
    district = models.CharField(max_length=255, blank=True)
    producer_kind = models.CharField(max_length=32, blank=True)
    outlet_ids = ArrayField(models.BigIntegerField(), default=list, blank=True)
    price_min = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [
            GinIndex(fields=["words"], name="search_entry_words_gin"),
            GinIndex(fields=["name_words"], name="search_entry_name_gin"),
            GinIndex(fields=["outlet_ids"], name="search_entry_outlets_gin"),
            # A page of a search without text, in the default order (name, then id), read off the index.
            models.Index(Collate("folded_name", "C"), F("product_id"), name="search_entry_browse"),
            # The relevance order after the exact name (stars, then name): a broad query's page walks it.
            models.Index(F("stars").desc(), Collate("folded_name", "C"), F("product_id"), name="search_entry_stars"),
        ]

    def __str__(self) -> str:
        return self.folded_name


class SearchTerm(models.Model):
    """A folded word that occurs in some indexed document: the vocabulary that typos are corrected against."""

    term = models.CharField(max_length=100, primary_key=True)

    def __str__(self) -> str:
        return self.term


class SearchIndexMark(models.Model):
    """A product whose search document may be out of date; the indexing task works these off.

    No foreign key: a product that is gone keeps its mark until the task removes it from the index.
    """

    product_id = models.BigIntegerField(primary_key=True)
    marked_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"product {self.product_id} marked at {self.marked_at:%Y-%m-%d %H:%M:%S}"
