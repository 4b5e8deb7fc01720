"""The VietQR payload: an EMVCo merchant-presented QR code as NAPAS specifies it for transfers to an account.

Every field is an EMVCo TLV: a two-digit id, a two-digit length, the value. The payload here carries

    00 payload format "01"         01 point of initiation: "12" (dynamic: with an amount) or "11"
    38 the beneficiary (NAPAS):    00 GUID "A000000727"
                                   01 the beneficiary:  00 the bank's BIN (6 digits)  01 the account number
                                   02 the service: "QRIBFTTA" (a transfer to an account)
    53 currency "704" (VND)        54 the amount in whole đồng      58 country "VN"
    62 additional data:            08 the purpose of the transfer (the order's reference)
    63 CRC-16/CCITT-FALSE of everything before its value, "6304" included, as four upper-case hex digits

`build` writes one; `parse` reads one back, field by field, and refuses a wrong CRC; `qr_png` draws one.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import segno

from marketplace.core.text import fold

NAPAS_GUID = "A000000727"
SERVICE_TRANSFER_TO_ACCOUNT = "QRIBFTTA"
CURRENCY_VND = "704"
COUNTRY_VN = "VN"
PURPOSE_MAX = 25  # what banking apps show and keep of the purpose field
_PURPOSE_CHARACTERS = re.compile(r"[^A-Z0-9 ]")


class PayloadInvalid(ValueError):
    """A payload that is not a VietQR transfer: malformed TLV, a missing field, or a wrong CRC."""


@dataclass(frozen=True)
class TransferRequest:
    bank_bin: str  # the bank's 6-digit NAPAS BIN, e.g. "970436"
    account_number: str
    amount: int | None  # whole đồng; None: the buyer types the amount
    purpose: str  # the reference the reconciliation matches, e.g. "OCOP 100234"


def crc16_ccitt(data: bytes) -> int:
    """CRC-16/CCITT-FALSE: polynomial 0x1021, initial 0xFFFF, no reflection, no final XOR (EMVCo's)."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def _tlv(tag: str, value: str) -> str:
    if len(value) > 99:
        raise PayloadInvalid(f"field {tag} is longer than 99 characters")
    return f"{tag}{len(value):02d}{value}"


def clean_purpose(text: str) -> str:
    """The purpose as banks carry it: upper-case ASCII letters (diacritics and đ folded), digits and single
    spaces, at most PURPOSE_MAX."""
    folded = fold(text).upper()
    return " ".join(_PURPOSE_CHARACTERS.sub(" ", folded).split())[:PURPOSE_MAX].strip()


def build(request: TransferRequest) -> str:
    """The payload of `request`, its CRC appended."""
    if not re.fullmatch(r"\d{6}", request.bank_bin):
        raise PayloadInvalid("the bank's BIN is six digits")
    if not re.fullmatch(r"[0-9A-Za-z]{1,19}", request.account_number):
        raise PayloadInvalid("the account number is 1 to 19 letters or digits")
    if request.amount is not None and request.amount <= 0:
        raise PayloadInvalid("the amount is a positive number of đồng")
    beneficiary = _tlv("00", request.bank_bin) + _tlv("01", request.account_number)
    merchant = _tlv("00", NAPAS_GUID) + _tlv("01", beneficiary) + _tlv("02", SERVICE_TRANSFER_TO_ACCOUNT)
    fields = [
        _tlv("00", "01"),
        _tlv("01", "12" if request.amount is not None else "11"),
        _tlv("38", merchant),
        _tlv("53", CURRENCY_VND),
    ]
    if request.amount is not None:
        fields.append(_tlv("54", str(request.amount)))
    fields.append(_tlv("58", COUNTRY_VN))
    purpose = clean_purpose(request.purpose)
    if purpose:
        fields.append(_tlv("62", _tlv("08", purpose)))
    body = "".join(fields) + "6304"
    return body + f"{crc16_ccitt(body.encode('ascii')):04X}"


def fields(text: str) -> dict[str, str]:
    """The TLV fields of `text`, by id (one level)."""
    found: dict[str, str] = {}
    position = 0
    while position < len(text):
        tag, length = text[position : position + 2], text[position + 2 : position + 4]
        if not (tag.isdigit() and length.isdigit()):
            raise PayloadInvalid(f"malformed field at {position}")
        end = position + 4 + int(length)
        if end > len(text):
            raise PayloadInvalid(f"field {tag} runs past the end")
        found[tag] = text[position + 4 : end]
        position = end
    return found


def parse(payload: str) -> TransferRequest:
    """The transfer a payload asks for; PayloadInvalid if it is not a VietQR transfer or its CRC is wrong."""
    if len(payload) < 8 or payload[-8:-4] != "6304":
        raise PayloadInvalid("no CRC field at the end")
    if f"{crc16_ccitt(payload[:-4].encode('ascii')):04X}" != payload[-4:].upper():
        raise PayloadInvalid("the CRC does not match")
    top = fields(payload[:-8])
    merchant = fields(top.get("38", ""))
    if merchant.get("00") != NAPAS_GUID or merchant.get("02") != SERVICE_TRANSFER_TO_ACCOUNT:
        raise PayloadInvalid("not a NAPAS transfer to an account")
    beneficiary = fields(merchant.get("01", ""))
    if top.get("53") != CURRENCY_VND or top.get("58") != COUNTRY_VN:
        raise PayloadInvalid("not in đồng in Vietnam")
    amount = top.get("54")
    if amount is not None and not amount.isdigit():
        raise PayloadInvalid("the amount is not a whole number of đồng")
    return TransferRequest(
        bank_bin=beneficiary.get("00", ""),
        account_number=beneficiary.get("01", ""),
        amount=int(amount) if amount else None,
        purpose=fields(top["62"]).get("08", "") if "62" in top else "",
    )


def qr_png(payload: str, *, scale: int = 8) -> bytes:
    """The payload as a QR code (error correction M, a four-module quiet zone), as a PNG."""
    buffer = io.BytesIO()
    segno.make(payload, error="m").save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()
