"""VietQR bank transfers: the payload a buyer's banking app scans (`payload`), what the buyer is shown
(`instructions`), and the bank's news of credits: signed notifications (`notifications`) and statement files
(`statement`). The gateway is `payments.gateways.VietQRGateway`; matching credits to orders is `payments.transfers`;
an order's reference ("OCOP 100234") and finding it in a bank's description is
`marketplace.orders.transfer_reference`."""
