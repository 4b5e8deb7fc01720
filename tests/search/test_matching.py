"""`search.matching`: how a query is cut into phrases, which words may be typos, what a product is indexed under."""

from __future__ import annotations

import pytest

from search.backends.base import ProductDocument
from search.matching import Chunk, last_word_complete, phrase_terms, plan, strong_terms, typo_candidates
from search.vocabulary import is_known_word, kind_terms, translations_of


def chunks(text: str, known: set[str], *, started: bool = False, complete: bool = False) -> list[Chunk]:
    return plan(text.split(), known=known, last_pair_started=started, last_complete=complete)


def test_a_vocabulary_phrase_is_one_chunk_and_cut_from_its_neighbours():
    known = {"buoi", "tan", "trieu", "buoi tan", "tan trieu"}  # "Bưởi Tân Triều" is listed

    assert chunks("buoi tan trieu", known) == [Chunk(("buoi",)), Chunk(("tan", "trieu"))]
    assert chunks("mat ong", set()) == [Chunk(("mat", "ong"))]  # together, even when no honey is listed


def test_other_words_stay_together_where_the_index_has_them_side_by_side():
    known = {"gia", "bao", "binh", "phuoc", "gia bao", "binh phuoc"}

    assert chunks("gia bao binh phuoc", known) == [Chunk(("gia", "bao")), Chunk(("binh", "phuoc"))]
    assert [c.terms() for c in chunks("gia bao binh phuoc", known)] == [["gia bao"], ["binh phuoc"]]


def test_only_an_unfinished_last_word_is_a_prefix():
    assert chunks("hat di", {"hat"}, started=True) == [Chunk(("hat", "di"), prefix=True)]
    assert chunks("tra", set()) == [Chunk(("tra",))]  # a word of the vocabulary
    assert chunks("cashe", set()) == [Chunk(("cashe",), prefix=True)]
    assert chunks("nhan", set(), complete=True) == [Chunk(("nhan",))]  # typed "nhân"
    assert last_word_complete("hạt nhân") and not last_word_complete("hat nhan") and not last_word_complete("")


def test_typo_candidates_are_long_unknown_words_outside_the_vocabulary():
    assert typo_candidates(["hat", "deiu", "buoi", "honey", "xyz", "tieu"], {"tieu"}) == ["deiu"]
    assert is_known_word("buoi") and is_known_word("honey") and not is_known_word("deiu")


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("mat ong rung", {"mat ong", "honey"}),
        ("so co la sua thanh y cacao", {"so co la", "chocolate", "ca cao", "cocoa", "sua", "milk"}),
        ("dua luoi inthanol", {"dua luoi", "melon", "cantaloupe"}),
        ("yen sao nam phu", {"yen sao", "bird s nest"}),  # not "nấm" (mushroom): "nam" is a place
    ],
)
def test_kinds_are_found_in_names_in_both_languages(words, expected):
    assert expected <= set(kind_terms(words.split()))
    assert "honey" not in kind_terms(["hong"])


def test_translations_of_a_query():
    assert {"mat", "ong"} <= translations_of("honey")
    assert "cashew" in translations_of("hạt điều")


def test_a_product_is_indexed_under_the_words_and_pairs_of_its_strong_fields():
    document = ProductDocument(
        product_id=1,
        name="Bột ca cao nguyên chất",
        name_en="pure cocoa powder",
        slug="p",
        description="Thơm ngon, không đường",
        producer_name="HTX Ca cao Suối Cát",
        producer_kind="cooperative",
        commune="Xã Suối Cát",
        district="",
        province="Tỉnh Đồng Nai",
        group_id=1,
        group_name="Thực phẩm",
        category_name="Cà phê, ca cao",
        stars=4,
        price_min=None,
        price_max=None,
        outlet_ids=(),
        outlet_names=(),
        created_at="2026-01-01T00:00:00+07:00",
        group_name_en="Food",
    )
    terms = set(strong_terms(document))

    assert {"ca cao", "cocoa", "cocoa powder", "suoi cat", "dong nai", "food", "thuc pham"} <= terms
    assert "ca phe" not in terms and "coffee" not in terms  # the product set lists several kinds
    assert "khong duong" not in terms  # the description
    assert phrase_terms(["salted cashews"], english=True) == [
        "salted", "cashews", "salted cashews", "cashew", "salted cashew"
    ]  # fmt: skip
