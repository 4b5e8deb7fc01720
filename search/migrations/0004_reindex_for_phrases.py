"""Issue 16: the index now holds pairs of words and no descriptions (search.matching), in both backends. Mark every
indexed product for reindexing, so that the minute's indexing task rebuilds what older code wrote; until it has,
a query of several words may find less. `rebuild_search_index` does it at once (and is needed for Elasticsearch's
new fields: its mapping is strict)."""

from django.db import migrations

SQL = """
INSERT INTO search_searchindexmark (product_id, marked_at)
SELECT product_id, now() FROM search_productsearchentry
ON CONFLICT (product_id) DO UPDATE SET marked_at = EXCLUDED.marked_at
"""


class Migration(migrations.Migration):
    dependencies = [("search", "0003_search_entry")]

    operations = [migrations.RunSQL(SQL, reverse_sql=migrations.RunSQL.noop)]
