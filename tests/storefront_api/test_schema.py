from pathlib import Path

from graphql import print_schema

from storefront_api.schema import schema

SDL = Path(__file__).resolve().parents[2] / "storefront_api" / "schema.graphql"


def test_checked_in_schema_is_up_to_date():
    """Regenerate with `python manage.py graphql_schema --out storefront_api/schema.graphql`."""
    assert SDL.read_text() == print_schema(schema.graphql_schema), "storefront_api/schema.graphql is stale"
