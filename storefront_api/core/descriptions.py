"""Texts shared by many descriptions in the schema."""

# An argument or input field kept for clients written against older Saleor versions. Saleor marks these in
# the description only, so introspection without `inputValueDeprecation` (graphql-codegen's default) still
# lists them; a GraphQL `@deprecated` on an input value would hide them from such clients, whose documents
# then fail validation.
DEPRECATED_INPUT_USE_ID = "\n\nDEPRECATED: this argument will be removed; use `id` instead."
DEPRECATED_INPUT_USE_ROOT_CHANNEL = (
    "\n\nDEPRECATED: this field will be removed; use the root-level `channel` argument instead."
)
