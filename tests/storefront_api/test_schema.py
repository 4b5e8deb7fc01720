from pathlib import Path

from graphql import print_schema

from storefront_api.schema import schema

SDL = Path(__file__).resolve().parents[2] / "storefront_api" / "schema.graphql"


def test_checked_in_schema_is_up_to_date():
    """Regenerate with `python manage.py graphql_schema --out storefront_api/schema.graphql`."""
    assert SDL.read_text() == print_schema(schema.graphql_schema), "storefront_api/schema.graphql is stale"


def test_no_argument_or_input_field_is_deprecated_in_introspection():
    """Saleor marks deprecated input values in their descriptions only: clients such as graphql-codegen
    introspect without `inputValueDeprecation`, and a `@deprecated` input value (the storefront's
    `checkoutAddPromoCode(checkoutId:)`) would vanish from their schema and fail their documents."""
    deprecated = []
    for name, graphql_type in schema.graphql_schema.type_map.items():
        for field_name, field in getattr(graphql_type, "fields", {}).items():
            if getattr(field, "deprecation_reason", None) and not hasattr(field, "args"):
                deprecated.append(f"{name}.{field_name}")
            for arg_name, arg in getattr(field, "args", {}).items():
                if arg.deprecation_reason:
                    deprecated.append(f"{name}.{field_name}({arg_name})")
    assert deprecated == []


def test_introspection_declares_only_directive_locations_graphql_js_parses():
    """graphql-js 16 (Saleor storefront's codegen) refuses `DIRECTIVE_DEFINITION`, which newer graphql-core
    adds to `@deprecated`."""
    result = schema.execute("{ __schema { directives { name locations } } }")
    locations = {directive["name"]: directive["locations"] for directive in result.data["__schema"]["directives"]}
    assert locations["deprecated"] == [
        "FIELD_DEFINITION",
        "ARGUMENT_DEFINITION",
        "INPUT_FIELD_DEFINITION",
        "ENUM_VALUE",
    ]
