"""Checking and re-encoding product images, with Pillow only (no HTTP, no database, no storage).

`process_image` takes the bytes of an uploaded or downloaded image and either rejects them with
`ImageRejected(reason)` or returns a `ProcessedImage`: the picture re-encoded from its pixels,
so no EXIF (GPS position, camera), ICC, XMP or PNG text chunk survives, upright (EXIF
orientation applied) and in sRGB.

The checks run cheapest first, and nothing is decoded before the header has said how big the
picture is:

1. the byte size against `max_bytes`;
2. the format, from the file's own signature (whatever a Content-Type claimed): JPEG, PNG or
   WebP; anything else is named ("format GIF is not allowed") or called "not an image";
3. width × height from the header: the shorter side against `min_side` (producers' photos must be
   big enough to show; the registry's are taken as they come, `min_side=0`), and the pixels
   against `max_pixels`, before any pixel is decoded. Pillow's
   own decompression-bomb check (`Image.MAX_IMAGE_PIXELS`, a process-wide setting we neither
   rely on nor change) also rejects, as a second line: the limit in force is the lower of the two;
4. `verify()` (PNG checksums, structure), then a fresh open and a full decode, so a truncated or
   corrupt file is rejected rather than half-decoded.

What comes out:
- the normalised original is **WebP** (lossy, quality 90; transparency kept), at the original
  size, except that a side longer than WebP's limit of 16,383 px is scaled down to fit;
- one **WebP** rendition (quality 82) per size in `sizes` *smaller than the picture's longest
  side*, whose longest side is that size. Sizes equal to or above the longest side are
  **skipped**, never upscaled: the normalised original (itself WebP) is then the largest version.
- animated images (APNG, animated WebP) keep their first frame only.

A rejection carries `reason`, English words for logs, the admin's failure column and the sync's
records, and a `code` (`ImageRejectionCode`) with its `params`, from which `rejection_message` writes
the sentence for the person who uploaded the file, in their language.

Not thread-safe: the Pillow decompression-bomb warning is turned into an error with
`warnings.catch_warnings`, which changes process-wide state for the duration. Celery's prefork
workers and Django's request threads that do not process images concurrently are fine.
"""

from __future__ import annotations

import logging
import struct
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from io import BytesIO
from typing import Any

from django.utils.translation import gettext
from PIL import Image, ImageCms, ImageFile, ImageOps, JpegImagePlugin, PngImagePlugin, WebPImagePlugin

logger = logging.getLogger(__name__)

ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP")
WEBP_MAX_SIDE = 16383
ORIGINAL_QUALITY = 90
RENDITION_QUALITY = 82

# The header readers of the allowed formats: they parse the header (size, mode) and decode nothing.
_HEADER_READERS: dict[str, type[ImageFile.ImageFile]] = {
    "JPEG": JpegImagePlugin.JpegImageFile,
    "PNG": PngImagePlugin.PngImageFile,
    "WEBP": WebPImagePlugin.WebPImageFile,
}

# What Pillow raises on a damaged or hostile file, beyond its decompression-bomb error.
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, KeyError, TypeError, struct.error)

CORRUPT = "truncated or corrupt image"
NOT_AN_IMAGE = "not an image"


class ImageRejectionCode(StrEnum):
    TOO_LARGE = "too_large"  # params: size, max (bytes)
    EMPTY = "empty"
    NOT_AN_IMAGE = "not_an_image"
    FORMAT_NOT_ALLOWED = "format_not_allowed"  # params: format
    CORRUPT = "corrupt"
    TOO_SMALL = "too_small"  # params: width, height, min_side
    TOO_MANY_PIXELS = "too_many_pixels"  # params: max_pixels, and width, height when the header said them


class ImageRejected(Exception):
    """The image cannot be used: `reason` says why in English (logs, the sync's records), `code` and `params`
    let `rejection_message` say it to the person who sent it."""

    def __init__(self, reason: str, *, code: ImageRejectionCode, **params: Any) -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code
        self.params = params


def rejection_message(rejected: ImageRejected) -> str:
    """Why a photo was refused, for the person who uploaded it, in the active language."""
    code, params = rejected.code, rejected.params
    if code == ImageRejectionCode.TOO_LARGE:
        return gettext("This file is %(size)s MB; a photo may be at most %(max)s MB.") % {
            "size": f"{params['size'] / (1024 * 1024):.1f}",
            "max": params["max"] // (1024 * 1024),
        }
    if code == ImageRejectionCode.TOO_SMALL:
        return gettext(
            "This picture is %(width)s×%(height)s pixels; a product photo needs at least %(min)s pixels "
            "on its shorter side. Upload a larger photo."
        ) % {"width": params["width"], "height": params["height"], "min": params["min_side"]}
    if code == ImageRejectionCode.TOO_MANY_PIXELS:
        megapixels = max(1, params["max_pixels"] // 1_000_000)
        if "width" in params:
            return gettext(
                "This picture is %(width)s×%(height)s pixels, more than the %(max)s million pixels a photo may "
                "have. Make it smaller and upload it again."
            ) % {"width": params["width"], "height": params["height"], "max": megapixels}
        return gettext(
            "This picture has more than the %(max)s million pixels a photo may have. Make it smaller and upload "
            "it again."
        ) % {"max": megapixels}
    if code == ImageRejectionCode.FORMAT_NOT_ALLOWED:
        return gettext("This picture is a %(format)s file. Upload a JPEG, PNG or WebP photo.") % {
            "format": params["format"]
        }
    if code == ImageRejectionCode.EMPTY:
        return gettext("This file is empty. Upload a JPEG, PNG or WebP photo.")
    if code == ImageRejectionCode.CORRUPT:
        return gettext(
            "This picture is damaged or incomplete. Save it again, or upload another JPEG, PNG or WebP photo."
        )
    return gettext("This file is not a picture. Upload a JPEG, PNG or WebP photo.")


@dataclass(frozen=True)
class Rendition:
    size: int  # the size asked for: the longest side, in pixels
    width: int
    height: int
    content: bytes  # WebP


@dataclass(frozen=True)
class ProcessedImage:
    content: bytes  # the normalised original, WebP
    width: int
    height: int
    source_format: str  # what was received: JPEG, PNG or WEBP
    renditions: dict[int, Rendition] = field(default_factory=dict)  # size → rendition, sizes below the longest side

    extension = "webp"
    content_type = "image/webp"


def process_image(
    content: bytes, *, max_pixels: int, max_bytes: int, sizes: Iterable[int], min_side: int = 0
) -> ProcessedImage:
    """Check `content` and re-encode it (see the module's docstring), or raise `ImageRejected`."""
    if len(content) > max_bytes:
        raise ImageRejected(
            f"{len(content):,} bytes is over the limit of {max_bytes:,} bytes",
            code=ImageRejectionCode.TOO_LARGE,
            size=len(content),
            max=max_bytes,
        )
    if not content:
        raise ImageRejected(f"{NOT_AN_IMAGE} (empty file)", code=ImageRejectionCode.EMPTY)

    source_format = _sniff_format(content)
    if source_format is None:
        raise _unwanted(content, max_pixels=max_pixels)

    with _pillow_errors_rejected(max_pixels=max_pixels):
        header = _HEADER_READERS[source_format](BytesIO(content))
        width, height = header.size
        if width < 1 or height < 1:
            raise ImageRejected(f"{CORRUPT} ({width}×{height} pixels)", code=ImageRejectionCode.CORRUPT)
        if min(width, height) < min_side:
            raise ImageRejected(
                f"{width}×{height} pixels is under the minimum of {min_side} on the shorter side",
                code=ImageRejectionCode.TOO_SMALL,
                width=width,
                height=height,
                min_side=min_side,
            )
        if width * height > max_pixels:
            raise ImageRejected(
                f"{width}×{height} pixels is over the limit of {max_pixels:,}",
                code=ImageRejectionCode.TOO_MANY_PIXELS,
                width=width,
                height=height,
                max_pixels=max_pixels,
            )
        header.verify()

        # verify() leaves the file unusable: open it again, through Image.open so that Pillow's
        # own bomb check runs too, and decode every pixel now, while errors still mean "reject".
        image: Image.Image = Image.open(BytesIO(content), formats=[source_format])
        image.load()
        image = _upright(image)
        image = _to_srgb(image)

    image.info = {}  # nothing of the file's metadata may travel with the pixels
    image = _fit_within(image, WEBP_MAX_SIDE)
    return ProcessedImage(
        content=_encode_webp(image, quality=ORIGINAL_QUALITY),
        width=image.width,
        height=image.height,
        source_format=source_format,
        renditions={size: _rendition(image, size) for size in sorted(set(sizes)) if size < max(image.size)},
    )


def _sniff_format(content: bytes) -> str | None:
    if content.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "WEBP"
    return None


def _unwanted(content: bytes, *, max_pixels: int) -> ImageRejected:
    """Why bytes that are not JPEG, PNG or WebP are refused: name their format if Pillow knows it."""
    try:
        with _pillow_errors_rejected(max_pixels=max_pixels):
            found = Image.open(BytesIO(content))  # reads the header only
    except ImageRejected:
        return ImageRejected(NOT_AN_IMAGE, code=ImageRejectionCode.NOT_AN_IMAGE)
    with found:
        return ImageRejected(
            f"format {found.format} is not allowed (JPEG, PNG or WebP only)",
            code=ImageRejectionCode.FORMAT_NOT_ALLOWED,
            format=found.format,
        )


@contextmanager
def _pillow_errors_rejected(*, max_pixels: int) -> Iterator[None]:
    """Turn what Pillow raises on a bad file, its decompression-bomb warning included, into ImageRejected."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            yield
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise ImageRejected(
                f"too many pixels for a safe decode (limit {max_pixels:,}): {exc}",
                code=ImageRejectionCode.TOO_MANY_PIXELS,
                max_pixels=min(max_pixels, Image.MAX_IMAGE_PIXELS or max_pixels),
            ) from exc
        except Image.UnidentifiedImageError as exc:
            raise ImageRejected(NOT_AN_IMAGE, code=ImageRejectionCode.NOT_AN_IMAGE) from exc
        except _DECODE_ERRORS as exc:
            raise ImageRejected(CORRUPT, code=ImageRejectionCode.CORRUPT) from exc


def _upright(image: Image.Image) -> Image.Image:
    """Apply the EXIF orientation. A malformed EXIF block is ignored: it is about to be dropped anyway."""
    try:
        return ImageOps.exif_transpose(image)
    except _DECODE_ERRORS:
        logger.warning("ignoring an unreadable EXIF orientation", exc_info=True)
        return image


def _to_srgb(image: Image.Image) -> Image.Image:
    """RGB, or RGBA when the picture has transparency; colours converted to sRGB if it carries an ICC profile.

    The ICC profile itself is then dropped with the rest of the metadata, so converting first keeps
    the colours of e.g. Display P3 or Adobe RGB photos, and makes CMYK JPEGs come out right.
    """
    has_alpha = image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (image.mode == "P" and "transparency" in image.info)
    target = "RGBA" if has_alpha else "RGB"
    icc = image.info.get("icc_profile")
    if icc and image.mode in ("RGB", "RGBA", "CMYK"):
        try:
            converted = ImageCms.profileToProfile(
                image,
                ImageCms.ImageCmsProfile(BytesIO(icc)),
                ImageCms.createProfile("sRGB"),
                outputMode="RGBA" if image.mode == "RGBA" else "RGB",
            )
            if converted is not None:
                image = converted
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            logger.warning("ignoring an unusable ICC profile", exc_info=True)
    if image.mode != target:
        image = image.convert(target)
    return image


def _fit_within(image: Image.Image, longest: int) -> Image.Image:
    """`image` scaled down so that its longest side is `longest`; unchanged if it already fits."""
    width, height = image.size
    if max(width, height) <= longest:
        return image
    scale = longest / max(width, height)
    new_size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return image.resize(new_size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def _rendition(image: Image.Image, size: int) -> Rendition:
    resized = _fit_within(image, size)
    return Rendition(
        size=size,
        width=resized.width,
        height=resized.height,
        content=_encode_webp(resized, quality=RENDITION_QUALITY),
    )


def _encode_webp(image: Image.Image, *, quality: int) -> bytes:
    out = BytesIO()
    # Pillow's WebP writer only adds EXIF, ICC or XMP when asked to; it is asked for none.
    image.save(out, format="WEBP", quality=quality, method=4)
    return out.getvalue()
