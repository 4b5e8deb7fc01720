"""The schema's directives: GraphQL's own, with `@deprecated` where every client can read it.

graphql-core 3.2.11 and later declare `@deprecated` on `DIRECTIVE_DEFINITION` too, a location of a spec draft
that graphql-js 16 does not know: a client that rebuilds our schema from introspection and parses it again
(graphql-codegen's `typescript` plugin, which Saleor's storefront runs) fails with `Unexpected Name
"DIRECTIVE_DEFINITION"`. Nothing in our schema deprecates a directive, so we declare it where the released
specification does.
"""

from graphql import DirectiveLocation, GraphQLDeprecatedDirective, GraphQLDirective, specified_directives

DEPRECATED_DIRECTIVE = GraphQLDirective(
    name=GraphQLDeprecatedDirective.name,
    locations=[
        location
        for location in GraphQLDeprecatedDirective.locations
        if location != DirectiveLocation.DIRECTIVE_DEFINITION
    ],
    args=GraphQLDeprecatedDirective.args,
    description=GraphQLDeprecatedDirective.description,
)

DIRECTIVES = [
    DEPRECATED_DIRECTIVE if directive.name == DEPRECATED_DIRECTIVE.name else directive
    for directive in specified_directives
]
