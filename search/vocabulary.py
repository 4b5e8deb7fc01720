"""The vi↔en vocabulary of what Đồng Nai's OCOP producers sell, which lets English words find Vietnamese products.

Maintained by hand: add a kind when the catalogue sells something new (bench/search_quality.py and
tests/search/relevance/queries.yaml tell whether English and Vietnamese queries find it). Both backends use it at
index time (`kind_terms`): a product whose name or English name holds a kind's words in one language is also
indexed under the kind's words in the other, as part of its name, so "honey" finds "Mật ong rừng Mã Đà" and "mat
ong" finds "Wild forest honey". A word of this vocabulary is never "corrected" into another word (`is_known_word`):
"buoi" (bưởi) is a pomelo even when no pomelo is listed, not a typo of "muoi" (muối, salt).

`PRODUCT_SETS` are the English names of the registry's product sets (it names them in Vietnamese only); the OCOP
groups have theirs in `marketplace.catalogue.groups`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from marketplace.core.text import fold

_WORD = re.compile(r"\w+")  # as `search.backends.base.folded_words` reads words


@dataclass(frozen=True)
class Kind:
    vi: tuple[str, ...]  # the first is how the catalogue shows the kind (placeholder suggestions)
    en: tuple[str, ...]
    suggest: bool = True  # a kind a shopper looks for (not an attribute such as "salted")


KINDS: tuple[Kind, ...] = (
    Kind(("hạt điều", "điều"), ("cashews", "cashew", "cashew nuts")),
    Kind(("cà phê", "cafe"), ("coffee",)),
    Kind(("ca cao", "cacao"), ("cocoa", "cacao")),
    Kind(("sô cô la", "socola"), ("chocolate",)),
    Kind(("mật ong",), ("honey",)),
    Kind(("bưởi",), ("pomelo", "pomelos")),
    Kind(("sầu riêng",), ("durian", "durians")),
    Kind(("chôm chôm",), ("rambutan", "rambutans")),
    Kind(("dưa lưới",), ("melon", "melons", "cantaloupe", "muskmelon")),
    Kind(("thanh long",), ("dragon fruit", "pitaya")),
    Kind(("nước mắm",), ("fish sauce",)),
    Kind(("hạt tiêu", "hồ tiêu", "tiêu"), ("pepper", "peppercorns")),
    Kind(("trà", "chè"), ("tea",)),
    Kind(("gạo",), ("rice",)),
    Kind(("rượu",), ("wine", "liquor", "spirit", "rice wine")),
    Kind(("nước ép",), ("juice",)),
    Kind(("sen",), ("lotus",)),
    Kind(("yến sào", "tổ yến"), ("bird's nest", "bird nest", "swiftlet nest")),
    Kind(("nấm linh chi", "linh chi"), ("lingzhi", "reishi")),
    Kind(("mãng cầu",), ("soursop", "custard apple")),
    Kind(("chuối",), ("banana", "bananas")),
    Kind(("xoài",), ("mango", "mangoes")),
    Kind(("măng cụt",), ("mangosteen",)),
    Kind(("khô cá", "cá khô"), ("dried fish",)),
    Kind(("nem chua",), ("fermented pork roll", "nem chua")),
    Kind(("bánh tráng",), ("rice paper",)),
    Kind(("giỏ", "giỏ đan"), ("basket", "baskets")),
    Kind(("lục bình",), ("water hyacinth",)),
    Kind(("mai vàng",), ("yellow apricot blossom", "apricot blossom")),
    Kind(("bonsai", "cây cảnh"), ("bonsai",)),
    Kind(("du lịch sinh thái",), ("eco-tourism", "ecotourism")),
    Kind(("dược liệu",), ("herbal", "herbs")),
    Kind(("thực phẩm bảo vệ sức khỏe", "thực phẩm chức năng"), ("health supplement", "health-protection food")),
    # What a product is made with or how: found in names, not suggested on their own.
    Kind(("rang muối",), ("salted roasted", "roasted salted"), suggest=False),
    Kind(("muối",), ("salt", "salted"), suggest=False),
    Kind(("rang",), ("roasted",), suggest=False),
    Kind(("tỏi",), ("garlic",), suggest=False),
    Kind(("ớt",), ("chili", "chilli"), suggest=False),
    Kind(("gừng",), ("ginger",), suggest=False),
    Kind(("phô mai",), ("cheese",), suggest=False),
    Kind(("sữa",), ("milk",), suggest=False),
    Kind(("bột",), ("powder",), suggest=False),
    Kind(("sấy",), ("dried",), suggest=False),
    Kind(("nguyên chất",), ("pure",), suggest=False),
    Kind(("vỏ lụa",), ("skin-on",), suggest=False),
    Kind(("lên men",), ("fermented",), suggest=False),
)

# The registry's product sets in English (a set listing several kinds is matched by none of them: see
# `search.backends.base.set_lists_kinds`).
PRODUCT_SETS: dict[str, str] = {
    "Cà phê, ca cao": "Coffee and cocoa",
    "Chế biến từ rau, củ, quả, hạt": "Processed fruit, vegetables and nuts",
    "Rau, củ, quả, hạt chế biến": "Processed fruit, vegetables and nuts",
    "Rau, củ, quả, hạt tươi": "Fresh fruit, vegetables and nuts",
    "Gạo, ngũ cốc, hạt sơ chế khác": "Rice, cereals and other grains",
    "Chế biến từ gạo, ngũ cốc": "Rice and cereal products",
    "Mật ong, mật khác và nông sản thực phẩm khác": "Honey, syrups and other farm foods",
    "Thực phẩm chức năng, thuốc dược liệu, thuốc cổ truyền": "Health supplements and herbal medicines",
    "Đồ uống có cồn": "Alcoholic drinks",
    "Đồ uống không cồn": "Soft drinks",
    "Trà và các sản phẩm từ trà": "Tea and tea products",
    "Thủ công mỹ nghệ gia dụng": "Household handicrafts",
    "Hoa, cây cảnh": "Flowers and ornamental plants",
    "Du lịch sinh thái": "Eco-tourism",
    "Gia vị": "Spices",
    "Thủy sản chế biến": "Processed fish and seafood",
    "Thịt và sản phẩm từ thịt": "Meat and meat products",
}


def _clean(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(fold(text)))


@cache
def _phrases() -> tuple[tuple[tuple[str, ...], int], ...]:
    """Every phrase of the vocabulary (folded words) with the index of its kind, longest first."""
    found = [(_clean(phrase), n) for n, kind in enumerate(KINDS) for phrase in (*kind.vi, *kind.en)]
    return tuple(sorted(found, key=lambda item: -len(item[0])))


@cache
def _known_words() -> frozenset[str]:
    return frozenset(word for phrase, _ in _phrases() for word in phrase)


def kinds_in(words: list[str] | tuple[str, ...]) -> list[int]:
    """The kinds (indices into `KINDS`) whose phrase occurs in these folded words, as consecutive words."""
    found: list[int] = []
    for phrase, n in _phrases():
        size = len(phrase)
        if n not in found and any(tuple(words[i : i + size]) == phrase for i in range(len(words) - size + 1)):
            found.append(n)
    return found


def vocabulary_phrase_at(words: list[str], start: int) -> int:
    """How many words the longest phrase of the vocabulary starting at `words[start]` has (0: none)."""
    for phrase, _ in _phrases():  # longest first
        if tuple(words[start : start + len(phrase)]) == phrase:
            return len(phrase)
    return 0


def kind_terms(words: list[str] | tuple[str, ...], *, suggested_only: bool = False) -> list[str]:
    """Every phrase (folded) of the kinds found in `words`, in both languages: what a product is also indexed as.
    `suggested_only`: only kinds of product, not how they are made ("salted")."""
    kinds = [n for n in kinds_in(words) if KINDS[n].suggest or not suggested_only]
    return [" ".join(_clean(phrase)) for n in kinds for phrase in (*KINDS[n].vi, *KINDS[n].en)]


def translations_of(text: str) -> set[str]:
    """The folded words of every phrase of the kinds found in `text` (for checking that a result holds a query's
    words "or their translation")."""
    return {word for term in kind_terms(_clean(text)) for word in term.split()}


def is_known_word(word: str) -> bool:
    """A word of the vocabulary (folded): never a typo of another word."""
    return word in _known_words()


def product_set_en(name: str) -> str:
    """The English name of a product set, or ""."""
    return _sets_by_folded_name().get(" ".join(_clean(name)), "")


@cache
def _sets_by_folded_name() -> dict[str, str]:
    return {" ".join(_clean(vi)): en for vi, en in PRODUCT_SETS.items()}


def suggestible(n: int) -> bool:
    return KINDS[n].suggest
