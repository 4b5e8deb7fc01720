"""Pickup codes: what the buyer shows at the counter, as six characters and as a QR code.

The alphabet has no look-alikes: no 0/O, no 1/I/L. Because both sides of each confusion are
left out, there is nothing to map a mistyped character *to*, so `normalise_pickup_code` maps
no confusions; a code with an O or a 1 in it simply matches no order. 31 symbols over six
places give about 887 million codes, and `Order.pickup_code` is unique, so a collision shows
up as an IntegrityError for the caller to retry with a new code.

The QR code holds `OCOP-PICKUP:<code>` (e.g. `OCOP-PICKUP:7KQ3MZ`), not the bare code. OCOP
products carry traceability QR codes on their packaging, and the prefix lets the counter's
scanner page tell the buyer's pickup code from a label scanned by mistake. Every character of
the payload is in QR's alphanumeric set, so it stays a small version-1 symbol. A hand-held
scanner in keyboard mode types the payload into the code field, and `normalise_pickup_code`
turns it back into the code.
"""

import io
import re
import secrets
import unicodedata

import segno

__all__ = [
    "PICKUP_CODE_ALPHABET",
    "PICKUP_CODE_LENGTH",
    "PICKUP_QR_PREFIX",
    "generate_pickup_code",
    "is_well_formed_pickup_code",
    "normalise_pickup_code",
    "pickup_qr",
    "pickup_qr_payload",
    "pickup_qr_png",
    "pickup_qr_svg",
]

PICKUP_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
PICKUP_CODE_LENGTH = 6
PICKUP_QR_PREFIX = "OCOP-PICKUP:"

_WELL_FORMED = re.compile(f"[{PICKUP_CODE_ALPHABET}]{{{PICKUP_CODE_LENGTH}}}")
# What people and scanners put between the characters: spaces of any kind, dashes, dots.
_SEPARATORS = re.compile(r"[\s\-‐-―−_.·]+")


def generate_pickup_code() -> str:
    """Six random characters from `PICKUP_CODE_ALPHABET`, from the `secrets` generator."""
    return "".join(secrets.choice(PICKUP_CODE_ALPHABET) for _ in range(PICKUP_CODE_LENGTH))


def normalise_pickup_code(text: str) -> str:
    """The code in what staff typed or scanned: " 7kq-3mz ", "OCOP-PICKUP:7KQ3MZ\\r\\n" → "7KQ3MZ".

    NFKC folds full-width characters, the QR payload's prefix goes, then spaces and dashes.
    The result is not checked: compare it with `is_well_formed_pickup_code` or look it up.
    """
    code = unicodedata.normalize("NFKC", text or "").strip().upper()
    if code.startswith(PICKUP_QR_PREFIX):
        code = code[len(PICKUP_QR_PREFIX) :]
    return _SEPARATORS.sub("", code)


def is_well_formed_pickup_code(code: str) -> bool:
    """Whether `code` (already normalised) could be a pickup code at all."""
    return bool(_WELL_FORMED.fullmatch(code))


def pickup_qr_payload(code: str) -> str:
    """What the QR code says: `OCOP-PICKUP:<code>`."""
    if not is_well_formed_pickup_code(code):
        raise ValueError(f"not a pickup code: {code!r}")
    return f"{PICKUP_QR_PREFIX}{code}"


def pickup_qr(code: str) -> segno.QRCode:
    """The QR symbol of `code`'s payload, error correction M (a phone screen with a crack still scans)."""
    return segno.make_qr(pickup_qr_payload(code), error="m", boost_error=False)


def pickup_qr_png(code: str, *, scale: int = 8) -> bytes:
    """A PNG of the QR code, `scale` pixels per module with the standard 4-module quiet zone."""
    buffer = io.BytesIO()
    pickup_qr(code).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def pickup_qr_svg(code: str, *, scale: int = 8) -> str:
    """The QR code as a standalone SVG document (no XML declaration, so it can also go inline in HTML)."""
    buffer = io.BytesIO()
    pickup_qr(code).save(
        buffer, kind="svg", scale=scale, border=4, xmldecl=False, title=f"Pickup code {code}", encoding="utf-8"
    )
    return buffer.getvalue().decode("utf-8")
