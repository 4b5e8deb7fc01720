"""The VietQR payload: EMVCo fields as NAPAS specifies them for a transfer to an account, its CRC, and reading it
back field by field."""

from __future__ import annotations

import subprocess

import pytest

from payments.vietqr.payload import (
    PayloadInvalid,
    TransferRequest,
    build,
    clean_purpose,
    crc16_ccitt,
    fields,
    parse,
    qr_png,
)

REQUEST = TransferRequest(bank_bin="970436", account_number="0071000123456", amount=390_000, purpose="OCOP 100234")


def test_the_crc_is_ccitt_false():
    assert crc16_ccitt(b"123456789") == 0x29B1  # the catalogue value of CRC-16/CCITT-FALSE
    assert crc16_ccitt(b"") == 0xFFFF


def test_the_payload_field_by_field():
    payload = build(REQUEST)
    top = fields(payload)
    assert list(top) == ["00", "01", "38", "53", "54", "58", "62", "63"]
    assert (top["00"], top["01"], top["53"], top["54"], top["58"]) == ("01", "12", "704", "390000", "VN")
    merchant = fields(top["38"])
    assert merchant == {"00": "A000000727", "01": "000697043601130071000123456", "02": "QRIBFTTA"}
    assert fields(merchant["01"]) == {"00": "970436", "01": "0071000123456"}  # the bank's BIN, the account
    assert fields(top["62"]) == {"08": "OCOP 100234"}
    assert payload[-8:-4] == "6304" and payload[-4:] == f"{crc16_ccitt(payload[:-4].encode()):04X}"


def test_it_reads_back_what_was_written():
    assert parse(build(REQUEST)) == REQUEST
    without_amount = TransferRequest(bank_bin="970436", account_number="0071000123456", amount=None, purpose="")
    payload = build(without_amount)
    assert fields(payload)["01"] == "11" and "54" not in fields(payload) and "62" not in fields(payload)
    assert parse(payload) == without_amount


def test_a_changed_character_breaks_the_crc():
    payload = build(REQUEST)
    tampered = payload.replace("390000", "390009")
    with pytest.raises(PayloadInvalid, match="CRC"):
        parse(tampered)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"bank_bin": "97043"}, "BIN"),
        ({"account_number": "0071-000"}, "account number"),
        ({"amount": 0}, "amount"),
        ({"account_number": "1" * 20}, "account number"),
    ],
)
def test_what_cannot_be_a_transfer_is_refused(bad, message):
    with pytest.raises(PayloadInvalid, match=message):
        build(TransferRequest(**{**REQUEST.__dict__, **bad}))


@pytest.mark.parametrize(
    ("typed", "carried"),
    [
        ("OCOP 100234", "OCOP 100234"),
        ("ocop-100234 đơn hàng", "OCOP 100234 DON HANG"),
        ("Thanh toán   #OCOP100234!", "THANH TOAN OCOP100234"),
        ("x" * 40, "X" * 25),
    ],
)
def test_the_purpose_is_what_banks_carry(typed, carried):
    assert clean_purpose(typed) == carried


def test_a_payload_that_is_not_a_napas_transfer_is_refused():
    body = "000201010211" + "5303704" + "5802VN" + "6304"
    with pytest.raises(PayloadInvalid, match="NAPAS"):
        parse(body + f"{crc16_ccitt(body.encode()):04X}")


def test_a_payload_published_by_another_implementation_reads_and_checks():
    # The example of github.com/subiz/vietqr's README: 120,000 đồng to VietinBank (970415) 0011001932418.
    published = (
        "00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA53037045406120000"
        "5802VN62170813ung ho lu lut6304C15C"
    )
    assert parse(published) == TransferRequest(
        bank_bin="970415", account_number="0011001932418", amount=120_000, purpose="ung ho lu lut"
    )
    without_purpose = published[: published.index("62170813")] + "6304"
    built = build(TransferRequest(bank_bin="970415", account_number="0011001932418", amount=120_000, purpose=""))
    assert built[:-4] == without_purpose  # the same fields in the same order, up to the purpose


def test_the_drawn_qr_code_decodes_to_the_payload(tmp_path):
    payload = build(REQUEST)
    image = tmp_path / "vietqr.png"
    image.write_bytes(qr_png(payload))
    decoded = subprocess.run(
        ["zbarimg", "--raw", "--quiet", str(image)], capture_output=True, text=True, check=True, timeout=30
    )
    assert decoded.stdout.strip() == payload
    assert parse(decoded.stdout.strip()) == REQUEST
