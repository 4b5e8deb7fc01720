"""What a buyer needs to pay by transfer: the platform's collection account (from settings), the amount, the
reference, and the VietQR code that carries all of them for the banking app to scan."""

from __future__ import annotations

import base64
import dataclasses
from typing import Any

from django.conf import settings

from marketplace.orders.transfer_reference import written
from payments.vietqr import payload


def configured() -> bool:
    """Whether transfers can be offered: the collection account is set."""
    return bool(settings.OCOP_VIETQR_BANK_BIN and settings.OCOP_VIETQR_ACCOUNT_NUMBER)


@dataclasses.dataclass(frozen=True)
class TransferInstructions:
    bank_bin: str
    bank_name: str
    account_number: str
    account_name: str
    amount: int  # whole đồng
    reference: str  # "OCOP100234", as the transaction keeps it

    @property
    def purpose(self) -> str:
        """The transfer's purpose, as the buyer types it and the QR code carries it: "OCOP 100234"."""
        return written(self.reference)

    @property
    def payload(self) -> str:
        return payload.build(
            payload.TransferRequest(
                bank_bin=self.bank_bin, account_number=self.account_number, amount=self.amount, purpose=self.purpose
            )
        )

    def qr_data_uri(self) -> str:
        """The QR code as a PNG data URI, for an <img> or a client that shows it."""
        return "data:image/png;base64," + base64.b64encode(payload.qr_png(self.payload, scale=6)).decode("ascii")

    def as_data(self) -> dict[str, Any]:
        """The storefront's data for a transfer (`transactionInitialize`'s `data.vietqr`)."""
        return {
            "vietqr": {
                "bankBin": self.bank_bin,
                "bankName": self.bank_name,
                "accountNumber": self.account_number,
                "accountName": self.account_name,
                "amount": self.amount,
                "currency": "VND",
                "reference": self.purpose,
                "payload": self.payload,
                "qrCodeDataUri": self.qr_data_uri(),
            }
        }


def instructions_for(*, reference: str, amount: int) -> TransferInstructions:
    return TransferInstructions(
        bank_bin=settings.OCOP_VIETQR_BANK_BIN,
        bank_name=settings.OCOP_VIETQR_BANK_NAME,
        account_number=settings.OCOP_VIETQR_ACCOUNT_NUMBER,
        account_name=settings.OCOP_VIETQR_ACCOUNT_NAME,
        amount=amount,
        reference=reference,
    )
