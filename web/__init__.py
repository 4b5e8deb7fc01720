"""The server-rendered pages: one of the two delivery layers, beside `storefront_api` (GraphQL).

This package is itself the `web` app (the shared layout, sign-in, language switch and the storefront's
pages: home, catalogue, provenance, certificate verification); the consoles are apps below it:
`web.cart` (buyers), `web.portal` (producer cooperatives), `web.trade` (department of trade),
`web.outletdesk` (outlet staff). Pages use the domain (`marketplace`) and the services between
(`payments`, `search`, `catalog_sync`); they never import `storefront_api`, nor it them.
"""
