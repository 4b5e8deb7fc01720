"""What a query's words must match, the same for both backends: phrases of syllables, in the fields that say what
a product is.

Vietnamese words are syllables and meaning lives in consecutive ones: "mật ong" (honey) is not "mật" (syrup) and
"ong" (bee) anywhere in a product's text, and "thanh long" (dragon fruit) is not a producer "Thanh" in "Long
Khánh". So:

- A product is indexed under every word and every pair of consecutive words ("mat ong") of its *strong* fields:
  name, English name, the vocabulary's kinds found in them in both languages (`search.vocabulary`), producer,
  commune, district, province, OCOP group (Vietnamese and English), and its product set unless that set lists
  several kinds ("Cà phê, ca cao" is not coffee for a cocoa powder). Descriptions are not matched: a word met
  only there is too weak a reason to show a product as a match.
- A query of several words is cut into chunks (`plan`). A phrase of the vocabulary is one chunk ("mật ong",
  "thanh long"), cut from its neighbours ("bưởi | tân triều": a kind, then a place). Elsewhere two neighbouring
  words stay together when the pair occurs as consecutive words somewhere in the index ("tân triều"); they are
  cut apart only where no product has them side by side ("Gia Bảo | Bình Phước"). A chunk of several
  words matches as a phrase (each of its pairs in the product's terms), a chunk of one word as that whole word.
- Only the last word may be the start of a word, and only when it is not a whole word already: not a word of the
  index or of the vocabulary, and not typed with Vietnamese marks. "hat di" finds "hạt điều" while it is being
  typed, "cashe" finds cashews, but "tra" and "trà" (tea) do not find "trắng" (white) or "trách".
- Typos (`typo_candidates`) are looked at only when the words as written find nothing, and only for words of
  at least `TYPO_MIN_LENGTH` letters that are neither a word of the index nor of the vocabulary: "honey" is
  never "hồng", "bưởi" never "muối". The search then answers with `SearchResult.corrected` set.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from marketplace.core.text import fold
from search.backends.base import MAX_QUERY_WORDS, ProductDocument, folded_words
from search.vocabulary import is_known_word, kind_terms, product_set_en, vocabulary_phrase_at

TYPO_MIN_LENGTH = 4  # shorter words are one edit away from too many others: never corrected
TERM_MAX_LENGTH = 100
STARTED = " started"  # among the known terms: a term starts with the query's last pair (no term has a leading space)
_RAW_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Chunk:
    words: tuple[str, ...]
    prefix: bool = False  # the last word may be the start of a word (only in the query's last chunk)

    def terms(self) -> list[str]:
        """The index terms the chunk needs: its word, or each pair of its consecutive words."""
        if len(self.words) == 1:
            return [self.words[0]]
        return [f"{a} {b}" for a, b in zip(self.words, self.words[1:], strict=False)]


def query_words(text: str) -> list[str]:
    """The query's folded words, the first `MAX_QUERY_WORDS`, each cut to the longest term the index holds."""
    return [word[:TERM_MAX_LENGTH] for word in folded_words(text)[:MAX_QUERY_WORDS]]


def pairs(words: list[str]) -> list[str]:
    return [f"{a} {b}" for a, b in itertools.pairwise(words)]


def lookups(words: list[str]) -> tuple[list[str], str | None]:
    """What `plan` needs to know of the index: which of these terms it holds (the words, their pairs), and
    whether it holds a term starting with the last pair (None for a single word)."""
    last_pair = pairs(words)[-1] if len(words) > 1 else None
    return sorted({*words, *pairs(words)}), last_pair


def plan(words: list[str], *, known: set[str], last_pair_started: bool, last_complete: bool = False) -> list[Chunk]:
    """The query's chunks, given the terms of `lookups` that the index holds (`known`), whether a term starts
    with its last pair, and whether the last word is known to be whole (`last_word_complete`)."""
    if not words:
        return []
    last_is_word = last_complete or words[-1] in known or is_known_word(words[-1])
    cuts, inside = _vocabulary_bounds(words)
    chunks: list[list[str]] = [[words[0]]]
    for n, pair in enumerate(pairs(words)):
        is_last = n == len(words) - 2
        joined = n in inside or (
            n not in cuts and (pair in known or (is_last and not last_is_word and last_pair_started))
        )
        if joined:
            chunks[-1].append(words[n + 1])
        else:
            chunks.append([words[n + 1]])
    planned = [Chunk(tuple(chunk)) for chunk in chunks]
    if not last_is_word:
        planned[-1] = Chunk(planned[-1].words, prefix=True)
    return planned


def _vocabulary_bounds(words: list[str]) -> tuple[set[int], set[int]]:
    """The pairs (by the index of their first word) that a phrase of the vocabulary cuts at its ends, and those
    inside one: "bưởi | tân triều" is a kind, then a place, whatever the index holds side by side."""
    cuts: set[int] = set()
    inside: set[int] = set()
    start = 0
    while start < len(words):
        size = vocabulary_phrase_at(words, start)
        if size:
            inside.update(range(start, start + size - 1))
            cuts.update({start - 1, start + size - 1})
            start += size
        else:
            start += 1
    return cuts - inside, inside


def last_word_complete(text: str) -> bool:
    """The query's last word was typed with Vietnamese marks ("trà", "điều"): a whole syllable, not the start of
    another ("tra" may still be becoming "trang")."""
    found = _RAW_WORD.findall(text)
    return bool(found) and fold(found[-1]) != found[-1].lower()


def typo_candidates(words: list[str], known: set[str]) -> list[str]:
    """The words that may be typos: long enough, and neither in the index nor in the vocabulary."""
    return sorted(
        {word for word in words if len(word) >= TYPO_MIN_LENGTH and word not in known and not is_known_word(word)}
    )


def phrase_terms(texts: Iterable[str], *, english: bool = False) -> list[str]:
    """Every folded word and pair of consecutive words of each text (pairs never span two texts); for English
    text also the singular of a plural ("cashews" → "cashew")."""
    terms: list[str] = []
    for text in texts:
        words = folded_words(text)
        variants = [words]
        if english:
            singular = [_singular(word) for word in words]
            if singular != words:
                variants.append(singular)
        for variant in variants:
            terms += variant
            terms += pairs(variant)
    return list(dict.fromkeys(term for term in terms if len(term) <= TERM_MAX_LENGTH))


def with_singulars(texts: Iterable[str]) -> list[str]:
    """The texts, and after them each English text with its plurals made singular (as `phrase_terms` indexes them),
    for an index that matches whole texts (Elasticsearch)."""
    texts = [text for text in texts if text]
    singular = [" ".join(_singular(word) for word in folded_words(text)) for text in texts]
    seen = {" ".join(folded_words(text)) for text in texts}
    return texts + list(dict.fromkeys(text for text in singular if text not in seen))


def _singular(word: str) -> str:
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def set_lists_kinds(product_set: str) -> bool:
    """A product set naming several kinds ("Cà phê, ca cao"): matching one of them says nothing of the product."""
    return "," in product_set


def name_texts(document: ProductDocument) -> list[str]:
    """What the product is: its names, and the vocabulary's kinds found in them, in both languages."""
    words = [*folded_words(document.name), "|", *folded_words(document.name_en)]
    return [document.name, document.name_en, *kind_terms(words)]


def other_texts(document: ProductDocument) -> list[str]:
    """Who makes it (and the kinds its name holds: "HTX Mật ong …" keeps bees) and where, its OCOP group and (if
    it names one kind) its product set, in both languages."""
    producer_kinds = kind_terms(folded_words(document.producer_name), suggested_only=True)
    texts = [
        document.producer_name,
        *producer_kinds,
        document.commune,
        document.district,
        document.province,
        document.group_name,
        document.group_name_en,
    ]
    if not set_lists_kinds(document.category_name):
        texts += [document.category_name, document.category_name_en or product_set_en(document.category_name)]
    return [text for text in texts if text]


def name_terms(document: ProductDocument) -> list[str]:
    return phrase_terms(name_texts(document), english=True)


def strong_terms(document: ProductDocument) -> list[str]:
    """Every term a query may match in the product (its names' terms included)."""
    return list(dict.fromkeys([*name_terms(document), *phrase_terms(other_texts(document), english=True)]))
