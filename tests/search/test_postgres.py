"""What is particular to the PostgreSQL backend: the terms indexed, typo correction, the schema."""

from django.db import connection

from search.backends import get_backend
from search.backends.base import SearchQuery
from search.backends.postgres import PostgresBackend, edit_distance
from search.indexing import search_index_products
from search.matching import typo_candidates


def test_edit_distance_counts_a_swap_as_one_edit():
    assert edit_distance("deiu", "dieu") == 1
    assert edit_distance("dieuu", "dieu") == 1
    assert edit_distance("dieu", "tieu") == 1
    assert edit_distance("dieu", "deu") == 1
    assert edit_distance("dieu", "hat") == 4
    assert edit_distance("", "ab") == 2


def test_a_description_is_not_matched_and_ocop_unaccent_stays_immutable(catalogue):
    product = catalogue(name="Bưởi đường", description="Trồng ven SÔNG ĐỒNG NAI, vỏ mỏng.")
    search_index_products(product_ids=[product.pk], backend=PostgresBackend())

    assert PostgresBackend().search(SearchQuery(text="vo mong")).product_ids == []
    assert PostgresBackend().search(SearchQuery(text="buoi duong")).product_ids == [product.pk]
    with connection.cursor() as cursor:
        cursor.execute("SELECT ocop_unaccent('Đồng Nai'), provolatile FROM pg_proc WHERE proname = 'ocop_unaccent'")
        assert cursor.fetchone() == ("Dong Nai", "i")  # immutable


def test_known_words_are_not_corrected_into_their_neighbours(catalogue):
    cashew = catalogue(name="Hạt điều")
    pepper = catalogue(name="Hạt tiêu")
    search_index_products(product_ids=[cashew.pk, pepper.pk], backend=PostgresBackend())
    backend = PostgresBackend()

    known = backend._known(["tieu", "deiu", "xyz"])
    assert typo_candidates(["tieu", "deiu", "xyz"], known) == ["deiu"]  # "xyz": too short to be a typo
    assert backend._corrections(["deiu"]) == {"deiu": ["dieu"]}
    assert backend.search(SearchQuery(text="tieu")).product_ids == [pepper.pk]


def test_the_index_holds_words_and_pairs_of_words_of_the_strong_fields(catalogue):
    product = catalogue(name="Mật ong rừng", description="Ngọt thanh", producer_fields={"name": "Tổ hợp tác Ong Mật"})
    search_index_products(product_ids=[product.pk], backend=PostgresBackend())

    with connection.cursor() as cursor:
        cursor.execute("SELECT words::text, name_words::text FROM search_productsearchentry")
        words, name_words = cursor.fetchone()
    assert "'mat ong'" in name_words and "'ong rung'" in name_words and "'honey'" in name_words
    assert "'ong mat'" in words and "'mat ong'" in words
    assert "ngot" not in words  # the description
    assert PostgresBackend()._known(["mat", "ong", "mat ong", "rung ngot"]) == {"mat", "ong", "mat ong"}


def test_the_text_indexes_exist(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes"
            " WHERE tablename IN ('search_productsearchdocument', 'search_productsearchentry')"
        )
        definitions = " ".join(row[0] for row in cursor.fetchall())
    assert "gin (words)" in definitions
    assert "gin (name_words)" in definitions
    assert '(stars DESC, folded_name COLLATE "C", product_id)' in definitions
    assert "gin (folded_text gin_trgm_ops)" in definitions
    assert "gin (folded_name gin_trgm_ops)" in definitions


def test_trigram_similarity_is_the_fallback_when_no_word_matches(catalogue):
    cashew = catalogue(name="Hạt điều rang muối")
    pepper = catalogue(name="Hạt tiêu")
    search_index_products(product_ids=[cashew.pk, pepper.pk], backend=PostgresBackend())

    assert PostgresBackend().search(SearchQuery(text="hatdieu")).product_ids == [cashew.pk]
    assert PostgresBackend().search(SearchQuery(text="qwerty")).total == 0


def test_the_backend_is_chosen_by_elasticsearch_url(settings):
    settings.ELASTICSEARCH_URL = ""
    assert isinstance(get_backend(), PostgresBackend)

    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    settings.ELASTICSEARCH_INDEX = "ocop-products-choice"
    backend = get_backend()
    assert type(backend).__name__ == "ElasticsearchBackend"
    assert backend.index_name == "ocop-products-choice"
