import io
import xml.etree.ElementTree as ET

import pytest
import segno
from PIL import Image

from marketplace.orders.pickup import (
    PICKUP_CODE_ALPHABET,
    PICKUP_QR_PREFIX,
    generate_pickup_code,
    is_well_formed_pickup_code,
    normalise_pickup_code,
    pickup_qr,
    pickup_qr_payload,
    pickup_qr_png,
    pickup_qr_svg,
)


def test_the_alphabet_has_no_look_alikes():
    assert not set("0O1IL") & set(PICKUP_CODE_ALPHABET)
    assert len(set(PICKUP_CODE_ALPHABET)) == len(PICKUP_CODE_ALPHABET) == 31


def test_generated_codes_are_six_characters_of_the_alphabet_and_vary():
    codes = {generate_pickup_code() for _ in range(2000)}
    assert all(len(code) == 6 and set(code) <= set(PICKUP_CODE_ALPHABET) for code in codes)
    assert all(is_well_formed_pickup_code(code) for code in codes)
    # 31⁶ ≈ 887 million codes: 2 000 draws collide with probability about 0.2 %.
    assert len(codes) >= 1998
    assert set("".join(codes)) == set(PICKUP_CODE_ALPHABET)


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("7KQ3MZ", "7KQ3MZ"),
        ("  7kq3mz\n", "7KQ3MZ"),
        ("7KQ-3MZ", "7KQ3MZ"),
        ("7KQ 3MZ", "7KQ3MZ"),
        ("7 K Q – 3 M Z", "7KQ3MZ"),
        ("７ＫＱ３ＭＺ", "7KQ3MZ"),  # full-width, from a phone keyboard
        ("OCOP-PICKUP:7KQ3MZ", "7KQ3MZ"),  # what a scanner reads from the QR code
        ("OCOP-PICKUP:7KQ3MZ\r\n", "7KQ3MZ"),  # a keyboard-mode scanner's Enter
        ("ocop-pickup:7kq3mz", "7KQ3MZ"),  # a scanner with Caps Lock on
        ("", ""),
    ],
)
def test_normalise_pickup_code(typed, code):
    assert normalise_pickup_code(typed) == code


def test_look_alikes_are_not_mapped_because_neither_side_is_in_the_alphabet():
    # 0/O and 1/I/L are all left out, so a code typed with one of them matches nothing.
    for typed in ("7KQ3M0", "7KQ3MO", "7KQ3M1", "7KQ3MI", "7KQ3ML"):
        code = normalise_pickup_code(typed)
        assert code == typed
        assert not is_well_formed_pickup_code(code)


def test_a_traceability_qr_scanned_by_mistake_is_not_a_pickup_code():
    assert not is_well_formed_pickup_code(normalise_pickup_code("https://truyxuat.dongnai.gov.vn/p/DNP-0001"))


def test_normalise_reads_back_the_qr_payload_of_every_code():
    for _ in range(50):
        code = generate_pickup_code()
        assert normalise_pickup_code(pickup_qr_payload(code)) == code


def test_the_qr_payload_is_the_prefixed_code_in_a_small_alphanumeric_symbol():
    assert pickup_qr_payload("7KQ3MZ") == f"{PICKUP_QR_PREFIX}7KQ3MZ" == "OCOP-PICKUP:7KQ3MZ"
    qr = pickup_qr("7KQ3MZ")
    assert (qr.version, qr.mode, qr.error) == (1, "alphanumeric", "M")


@pytest.mark.parametrize("bad", ["7KQ3M", "7KQ3MZZ", "7kq3mz", "7KQ3M0", "OCOP-PICKUP:7KQ3MZ"])
def test_no_qr_code_for_what_is_not_a_pickup_code(bad):
    with pytest.raises(ValueError):
        pickup_qr_png(bad)


def test_the_png_is_an_image_of_the_payloads_qr_matrix():
    # No QR decoder (zbar) here: sample the PNG at each module's centre and compare with a QR symbol
    # of the expected payload made independently of pickup.py.
    scale, border = 8, 4
    png = pickup_qr_png("7KQ3MZ", scale=scale)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    expected = segno.make_qr("OCOP-PICKUP:7KQ3MZ", error="m", boost_error=False)
    modules = len(expected.matrix)
    assert image.size == ((modules + 2 * border) * scale,) * 2

    grey = image.convert("L")
    seen = [
        [
            grey.getpixel(((border + x) * scale + scale // 2, (border + y) * scale + scale // 2)) < 128
            for x in range(modules)
        ]
        for y in range(modules)
    ]
    assert seen == [[bool(module) for module in row] for row in expected.matrix]
    quiet_zone = [grey.getpixel((x, 2)) for x in range(image.size[0])]
    assert min(quiet_zone) == 255


def test_a_different_code_gives_a_different_symbol():
    assert pickup_qr("7KQ3MZ").matrix != pickup_qr("7KQ3MY").matrix


def test_the_svg_is_a_standalone_svg_document():
    svg = pickup_qr_svg("7KQ3MZ")
    assert svg.startswith("<svg")
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("width") == root.get("height") == str((21 + 8) * 8)
    assert "7KQ3MZ" in root.find("{http://www.w3.org/2000/svg}title").text
