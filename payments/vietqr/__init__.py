"""VietQR bank transfers: the payload a buyer's banking app scans (`payload`), the reference a transfer carries and
how it is found in a bank's description (`reference`), what the buyer is shown (`instructions`), and the bank's
news of credits: signed notifications (`notifications`) and statement files (`statement`). The gateway is
`payments.gateways.VietQRGateway`; matching credits to orders is `payments.transfers`."""
