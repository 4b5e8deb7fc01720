"""VietQR bank transfers (issue 14): the payload a buyer's banking app scans, and (to come) the gateway and the
reconciliation of incoming transfers."""
