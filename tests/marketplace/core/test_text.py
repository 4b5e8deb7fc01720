import unicodedata

import pytest

from marketplace.core.text import clean_text, fold, slugify_vi


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Đồng Nai", "dong-nai"),
        ("ĐẶC SẢN Đất Đỏ", "dac-san-dat-do"),
        ("Bưởi Tân Triều", "buoi-tan-trieu"),
        (unicodedata.normalize("NFD", "Hạt điều rang muối"), "hat-dieu-rang-muoi"),
        ("Cà phê – 100% Robusta!", "ca-phe-100-robusta"),
        ("   ", ""),
    ],
)
def test_slugs_keep_vietnamese_readable(text, slug):
    assert slugify_vi(text) == slug


def test_fold_removes_diacritics_and_folds_d():
    assert fold("Đồng Nai") == "dong nai"
    assert fold("HẠT ĐIỀU") == "hat dieu"


def test_clean_text_normalises_and_strips():
    nfd = unicodedata.normalize("NFD", "Trà mãng cầu")
    assert clean_text(nfd) == unicodedata.normalize("NFC", "Trà mãng cầu")
    assert clean_text("<p>Mật <b>ong</b> &amp; phấn hoa</p><script>alert(1)</script>") == "Mật ong & phấn hoa"
    assert clean_text("a\u200bb\x00c  \t d") == "abc d"
    assert clean_text(" dòng một \n\n <br> dòng hai ", multiline=True) == "dòng một\ndòng hai"
    assert clean_text(None) is None
