"""Registry addresses in today's administrative units.

The July 2025 reorganisation removed districts, merged communes and folded Bình Phước into
Đồng Nai; many registry addresses predate it. `vietnamadminunits` maps old units to new.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from vietnamadminunits import ParseMode, convert_address, parse_address

# Provinces that no longer exist after July 2025 (a non-exhaustive hint; the package decides).
_MERGED_PROVINCES = {"bình phước"}


@dataclass(frozen=True)
class TodayAddress:
    commune: str
    province: str
    commune_code: str
    note: str


@lru_cache(maxsize=8192)
def address_today(*, commune: str, district: str, province: str) -> TodayAddress:
    """Today's commune and province for a registry address, with a note on how they were found."""
    if not commune and not province:
        return TodayAddress("", "", "", "no address in the registry")
    legacy = bool(district) or any(name in province.lower() for name in _MERGED_PROVINCES)
    text = ", ".join(part for part in (commune, district, province) if part)
    try:
        unit = convert_address(text) if legacy else parse_address(text, mode=ParseMode.FROM_2025)
    except Exception as exc:  # the package raises plain exceptions for names it does not know
        return TodayAddress("", "", "", f"not recognised by vietnamadminunits: {exc}"[:255])
    ward = unit.ward or ""
    if not unit.province:
        note = "not recognised by vietnamadminunits"
    elif commune and not ward:
        note = "province recognised, commune not"
    elif not ward:
        note = "the registry names no commune: only the province is known in today's units"
    elif legacy:
        note = "converted from the pre-2025 units"
    else:
        note = "already in today's units"
    return TodayAddress(ward, unit.province or "", unit.ward_code or "", note)
