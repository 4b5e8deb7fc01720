"""Payment gateways (Stripe, cash at pickup): built in issue 4."""
