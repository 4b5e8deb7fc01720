"""process_image: what it accepts, what it rejects and why, and that nothing but pixels comes out."""

import struct
import time
import zlib
from io import BytesIO

import pytest
from PIL import ExifTags, Image, ImageCms, PngImagePlugin

from marketplace.catalogue.images import ImageRejected, ImageRejectionCode, ProcessedImage, process_image

LIMITS = {"max_pixels": 40_000_000, "max_bytes": 10 * 1024 * 1024, "sizes": [256, 512, 1024]}


def encode(image: Image.Image, fmt: str, **options) -> bytes:
    out = BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def photo(width: int, height: int, mode: str = "RGB") -> Image.Image:
    """Not one flat colour, so that encoders have something to encode."""
    image = Image.linear_gradient("L").resize((width, height)).convert(mode)
    image.paste((200, 30, 40) if mode == "RGB" else (200, 30, 40, 128), (0, 0, width // 3, height // 3))
    return image


def opened(content: bytes) -> Image.Image:
    image = Image.open(BytesIO(content))
    image.load()
    return image


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bomb_png(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims width × height pixels (as the registry stand-in's bomb- images)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = zlib.compress(b"\x00" * 65536, 9)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", body) + png_chunk(b"IEND", b"")


def assert_no_metadata(content: bytes) -> None:
    image = opened(content)
    assert image.format == "WEBP"
    assert not image.getexif()
    for key in ("exif", "icc_profile", "xmp"):
        assert key not in image.info
    for chunk in (b"EXIF", b"ICCP", b"XMP "):  # the metadata chunks of the WebP container
        assert chunk not in content


def test_jpeg_exif_is_stripped_and_orientation_applied():
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Canon"
    exif[ExifTags.Base.Model] = "EOS 5D"
    exif[ExifTags.Base.Orientation] = 6  # stored sideways: turn 90° clockwise to show
    exif[ExifTags.Base.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (10.0, 57.0, 30.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (106.0, 51.0, 10.0),
    }
    source = encode(photo(400, 200), "JPEG", exif=exif.tobytes(), quality=90)
    received = opened(source).getexif()
    assert received[ExifTags.Base.Make] == "Canon"
    assert received.get_ifd(ExifTags.IFD.GPSInfo)  # the test image really carries a position

    result = process_image(source, **LIMITS)

    assert (result.width, result.height) == (200, 400)  # upright
    assert result.source_format == "JPEG"
    assert_no_metadata(result.content)
    assert b"Canon" not in result.content
    for rendition in result.renditions.values():
        assert_no_metadata(rendition.content)


def test_png_text_chunks_and_icc_profile_are_stripped():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "secret address of the farm")
    info.add_itxt("Description", "mô tả bí mật", lang="vi")
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    source = encode(photo(300, 300), "PNG", pnginfo=info, icc_profile=srgb)
    assert opened(source).info.get("Comment") == "secret address of the farm"

    result = process_image(source, **LIMITS)

    assert_no_metadata(result.content)
    assert b"secret" not in result.content
    assert opened(result.content).size == (300, 300)


def test_renditions_are_webp_with_the_requested_longest_side():
    result = process_image(encode(photo(2000, 1000), "JPEG"), **LIMITS)

    assert isinstance(result, ProcessedImage)
    assert (result.width, result.height) == (2000, 1000)
    assert opened(result.content).size == (2000, 1000)
    assert sorted(result.renditions) == [256, 512, 1024]
    for size, rendition in result.renditions.items():
        image = opened(rendition.content)
        assert image.format == "WEBP"
        assert image.size == (rendition.width, rendition.height) == (size, size // 2)


def test_portrait_renditions_fit_the_height():
    result = process_image(encode(photo(600, 1200), "PNG"), **LIMITS)

    assert sorted(result.renditions) == [256, 512, 1024]
    assert opened(result.renditions[1024].content).size == (512, 1024)


def test_sizes_at_or_above_the_original_are_skipped_not_upscaled():
    result = process_image(encode(photo(512, 300), "PNG"), **LIMITS)

    assert sorted(result.renditions) == [256]  # 512 is the original itself; 1024 would be an upscale
    assert opened(result.renditions[256].content).size == (256, 150)
    assert opened(result.content).size == (512, 300)


def test_small_image_has_no_renditions_but_is_kept():
    result = process_image(encode(photo(120, 80), "PNG"), **LIMITS)

    assert result.renditions == {}
    assert opened(result.content).size == (120, 80)


def test_transparency_is_kept():
    result = process_image(encode(photo(600, 400, mode="RGBA"), "PNG"), **LIMITS)

    assert opened(result.content).mode == "RGBA"
    assert opened(result.renditions[256].content).mode == "RGBA"


def test_webp_and_palette_images_are_accepted():
    assert process_image(encode(photo(300, 200), "WEBP"), **LIMITS).source_format == "WEBP"
    palette = photo(300, 200).convert("P")
    assert opened(process_image(encode(palette, "PNG"), **LIMITS).content).mode == "RGB"


def test_gif_is_rejected_by_name():
    with pytest.raises(ImageRejected) as rejected:
        process_image(encode(photo(50, 50), "GIF"), **LIMITS)
    assert rejected.value.reason == "format GIF is not allowed (JPEG, PNG or WebP only)"


def test_bomb_header_is_rejected_before_decoding():
    started = time.monotonic()
    with pytest.raises(ImageRejected) as rejected:
        process_image(bomb_png(60000, 60000), **LIMITS)
    assert time.monotonic() - started < 0.5
    assert rejected.value.reason == "60000×60000 pixels is over the limit of 40,000,000"


def test_our_pixel_limit_applies_below_pillows():
    # 1,000,000 pixels is far below Pillow's own limit: only ours stops it.
    with pytest.raises(ImageRejected) as rejected:
        process_image(encode(photo(1000, 1000), "PNG"), max_pixels=999_999, max_bytes=10**7, sizes=[256])
    assert rejected.value.reason == "1000×1000 pixels is over the limit of 999,999"


def test_pillows_bomb_error_is_a_rejection_too():
    # Our limit set absurdly high: Pillow's DecompressionBombError must still come out as ImageRejected.
    started = time.monotonic()
    with pytest.raises(ImageRejected) as rejected:
        process_image(bomb_png(60000, 60000), max_pixels=10**12, max_bytes=10**7, sizes=[256])
    assert time.monotonic() - started < 0.5
    assert rejected.value.reason.startswith("too many pixels for a safe decode")


def test_pillows_bomb_warning_is_a_rejection_too(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)  # 1,500 pixels: over it, not over twice it
    with pytest.raises(ImageRejected) as rejected:
        process_image(encode(photo(50, 30), "PNG"), max_pixels=10**6, max_bytes=10**7, sizes=[256])
    assert rejected.value.reason.startswith("too many pixels for a safe decode")


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_truncated_image_is_rejected(fmt):
    complete = encode(photo(400, 300), fmt)
    with pytest.raises(ImageRejected) as rejected:
        process_image(complete[: len(complete) // 2], **LIMITS)
    assert rejected.value.reason == "truncated or corrupt image"


def test_png_with_bad_checksum_is_rejected():
    damaged = bytearray(encode(photo(100, 100), "PNG"))
    damaged[-20] ^= 0xFF  # inside the last IDAT chunk: its CRC no longer matches
    with pytest.raises(ImageRejected) as rejected:
        process_image(bytes(damaged), **LIMITS)
    assert rejected.value.reason == "truncated or corrupt image"


@pytest.mark.parametrize(
    "content",
    [b"<html><body>not an image</body></html>", b"\x00" * 100, b"GIF"],
    ids=["html", "zeros", "three bytes"],
)
def test_bytes_that_are_not_an_image_are_rejected(content):
    with pytest.raises(ImageRejected) as rejected:
        process_image(content, **LIMITS)
    assert rejected.value.reason == "not an image"


def test_empty_file_is_rejected():
    with pytest.raises(ImageRejected) as rejected:
        process_image(b"", **LIMITS)
    assert rejected.value.reason == "not an image (empty file)"


def test_too_many_bytes_is_rejected_before_opening():
    content = encode(photo(200, 200), "PNG")
    with pytest.raises(ImageRejected) as rejected:
        process_image(content, max_pixels=40_000_000, max_bytes=len(content) - 1, sizes=[256])
    assert rejected.value.reason == f"{len(content):,} bytes is over the limit of {len(content) - 1:,} bytes"


@pytest.mark.parametrize("size", [(10, 10), (599, 2000), (2000, 599)])
def test_a_picture_under_the_minimum_side_is_rejected_before_decoding(size):
    with pytest.raises(ImageRejected) as rejected:
        process_image(encode(photo(*size), "PNG"), **LIMITS, min_side=600)
    width, height = size
    assert rejected.value.code == ImageRejectionCode.TOO_SMALL
    assert rejected.value.params == {"width": width, "height": height, "min_side": 600}
    assert rejected.value.reason == f"{width}×{height} pixels is under the minimum of 600 on the shorter side"


def test_the_minimum_side_is_inclusive_and_off_by_default():
    assert process_image(encode(photo(600, 900), "PNG"), **LIMITS, min_side=600).width == 600
    assert process_image(encode(photo(10, 10), "PNG"), **LIMITS).width == 10  # the registry's photos: no minimum


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", ImageRejectionCode.EMPTY),
        (b"<html></html>", ImageRejectionCode.NOT_AN_IMAGE),
        (encode(photo(50, 50), "GIF"), ImageRejectionCode.FORMAT_NOT_ALLOWED),
        (encode(photo(400, 300), "PNG")[:100], ImageRejectionCode.CORRUPT),
        (bomb_png(60000, 60000), ImageRejectionCode.TOO_MANY_PIXELS),
    ],
    ids=["empty", "html", "gif", "truncated", "bomb"],
)
def test_every_rejection_carries_its_code(content, code):
    with pytest.raises(ImageRejected) as rejected:
        process_image(content, **LIMITS)
    assert rejected.value.code == code
