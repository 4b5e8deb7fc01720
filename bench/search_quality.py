"""How good the search's answers are: a labelled query set run through the search backends.

    .venv/bin/python bench/search_quality.py                        # the demo catalogue, PostgreSQL
    .venv/bin/python bench/search_quality.py --catalogue generated  # the bench generator's catalogue (2,000 records)
    .venv/bin/python bench/search_quality.py --backend es-standin   # also the Elasticsearch backend, on the stand-in
    .venv/bin/python bench/search_quality.py --verbose              # every query's first five, with their grades

1. Reads the catalogue: the demo registry file (../shared/data/registry-demo.json, `OCOP_SHARED_DIR`) or
   `bench/generate_records.py`'s feed (`--records`, `--seed`), and keeps the products whose certificate
   lists them on `--today` (status active, 3★ or more, valid that day): one search document each, built
   from the record as `search.documents` builds it from the catalogue (name, English name, producer,
   place, OCOP group, product set, description).
2. Indexes them into each backend: PostgreSQL always (in the database `ocop_search_quality`, created and
   migrated if missing, inside a transaction that is rolled back: nothing stays); Elasticsearch when
   ELASTICSEARCH_URL is set (the index `ocop-search-quality`, dropped at the end); with `--backend
   es-standin`, the Elasticsearch backend against tests/search/es_standin.py, which evaluates the queries
   the backend sends approximately (no BM25, no analysis beyond folding): read its figures as a check of
   the query the backend builds, not of a cluster.
3. Runs every query of tests/search/relevance/queries.yaml (graded 0–3 by rules over the records; see
   that file) and prints, per backend:
   - precision@5: over the queries with at least one relevant product (grade ≥ 1) in the catalogue, the
     share of relevant products among the first min(5, shown); a query that shows nothing scores 0;
   - nDCG@10 (gain 2^grade − 1), over the same queries;
   - the zero-result rate: the share of those queries that show nothing (all queries in brackets);
   - "shown for nothing": queries with nothing relevant in the catalogue that still show matches as
     matches (a result flagged "similar names" is not counted as a claim of a match);
   - "first result off": queries whose first match (not flagged) has none of the query's words, nor their
     translation (the vi↔en vocabulary), in its name, English name, producer, place, group or set.
   Queries marked `typo` count like the others; a flagged ("similar names") answer is scored as shown.

Exit status 1 when a target is missed (precision@5 < 0.9, or any "first result off"), 0 otherwise.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import math
import os
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

QUALITY_DB = "ocop_search_quality"
SERVER_URL = "postgres://postgres@127.0.0.1:5432"
QUERIES = ROOT / "tests" / "search" / "relevance" / "queries.yaml"
DEMO_FILE = Path(os.environ.get("OCOP_SHARED_DIR", ROOT.parent / "shared")) / "data" / "registry-demo.json"
ES_INDEX = "ocop-search-quality"
TARGET_PRECISION = 0.9
_TAGS = re.compile(r"<[^>]*>")


def _fold_words(text: str) -> list[str]:
    from search.backends.base import folded_words

    return folded_words(text)


# --- The query set -----------------------------------------------------------------------------------


@dataclass
class LabelledQuery:
    text: str
    kind: str
    rules: dict[int, dict[str, Any]]
    catalogues: tuple[str, ...] = ("demo", "generated")
    typo: bool = False

    def grade(self, record: dict[str, str]) -> int:
        best = 0
        for grade, rule in self.rules.items():
            if grade > best and _meets(rule, record):
                best = grade
        return best


def _holds(text: str, phrase: str) -> bool:
    words, wanted = _fold_words(text), _fold_words(phrase)
    return any(words[i : i + len(wanted)] == wanted for i in range(len(words) - len(wanted) + 1)) if wanted else False


def _meets(rule: dict[str, Any], record: dict[str, str]) -> bool:
    for key, value in rule.items():
        if key == "all":
            if all(_meets(part, record) for part in value):
                return True
        elif any(_holds(record.get(key, ""), phrase) for phrase in value):
            return True
    return False


def load_queries(path: Path = QUERIES) -> list[LabelledQuery]:
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        LabelledQuery(
            text=item["q"],
            kind=item.get("kind", ""),
            rules={int(grade): rule for grade, rule in item["grades"].items()},
            catalogues=tuple(item.get("catalogues", ("demo", "generated"))),
            typo=bool(item.get("typo", False)),
        )
        for item in data["queries"]
    ]


# --- The catalogue -----------------------------------------------------------------------------------


def load_records(catalogue: str, *, records: int, seed: int, today: dt.date) -> list[dict[str, Any]]:
    if catalogue == "demo":
        return json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    from bench.generate_records import generate

    return [r for r in generate(records, seed=seed, today=today).records if isinstance(r, dict)]


def listed_records(raw: list[dict[str, Any]], today: dt.date) -> list[dict[str, Any]]:
    """The current record of each product that its certificate lists on `today`, flattened for judging."""
    current: dict[str, dict[str, Any]] = {}
    for record in raw:
        try:
            product_id = record["product"]["product_id"]
            key = (record.get("updated_at") or "", record.get("revision") or 0)
        except (KeyError, TypeError):
            continue
        held = current.get(product_id)
        if held is None or key > (held.get("updated_at") or "", held.get("revision") or 0):
            current[product_id] = record
    listed = []
    for record in current.values():
        try:
            valid = (
                record["status"] == "active"
                and isinstance(record["stars"], int)
                and 3 <= record["stars"] <= 5
                and dt.date.fromisoformat(record["valid_from"]) <= today <= dt.date.fromisoformat(record["valid_until"])
            )
            product, producer = record["product"], record["producer"]
            if not (valid and product.get("name") and producer.get("name")):
                continue
            address = producer.get("address") or {}
            group = product.get("group") or {}
            listed.append(
                {
                    "registry_id": product["product_id"],
                    "name": product["name"],
                    "name_en": product.get("name_en") or "",
                    "description": _TAGS.sub(" ", product.get("description") or ""),
                    "producer": producer["name"],
                    "producer_kind": producer.get("kind") or "",
                    "commune": address.get("commune") or "",
                    "district": address.get("district") or "",
                    "province": address.get("province") or "",
                    "group": group.get("name") or "",
                    "group_code": group.get("code") or "",
                    "set": product.get("product_set") or "",
                    "stars": record["stars"],
                }
            )
        except (AttributeError, KeyError, TypeError, ValueError):  # a broken record: the sync quarantines it
            continue
    listed.sort(key=lambda r: r["registry_id"])
    return listed


def documents_of(listed: list[dict[str, Any]]) -> list[Any]:
    from search.backends.base import ProductDocument

    group_ids: dict[str, int] = {}
    documents = []
    for number, record in enumerate(listed, start=1):
        group_id = group_ids.setdefault(record["group"], len(group_ids) + 1) if record["group"] else None
        documents.append(
            ProductDocument(
                product_id=number,
                name=record["name"],
                name_en=record["name_en"],
                slug=f"p-{number}",
                description=record["description"],
                producer_name=record["producer"],
                producer_kind=record["producer_kind"],
                commune=record["commune"],
                district=record["district"],
                province=record["province"],
                group_id=group_id,
                group_name=record["group"],
                category_name=record["set"],
                stars=record["stars"],
                price_min=100_000,
                price_max=100_000,
                outlet_ids=(),
                outlet_names=(),
                created_at="2026-01-01T00:00:00+07:00",
            )
        )
    return documents


# --- Scoring -----------------------------------------------------------------------------------------


@dataclass
class QueryOutcome:
    query: LabelledQuery
    shown: list[int]  # indices into the listed records
    flagged: bool  # the backend said: no exact match, these are similar names
    relevant: int  # how many products of the catalogue have grade >= 1
    grades: list[int]
    precision: float | None = None
    ndcg: float | None = None
    first_off: bool = False
    seconds: float = 0.0


@dataclass
class BackendFigures:
    backend: str
    outcomes: list[QueryOutcome] = field(default_factory=list)

    def judged(self) -> list[QueryOutcome]:
        return [o for o in self.outcomes if o.relevant]

    def summary(self) -> dict[str, Any]:
        judged = self.judged()
        precisions = [o.precision or 0.0 for o in judged]
        ndcgs = [o.ndcg or 0.0 for o in judged]
        seconds = sorted(o.seconds for o in self.outcomes)
        return {
            "backend": self.backend,
            "queries": len(self.outcomes),
            "judged_queries": len(judged),
            "precision_at_5": round(sum(precisions) / len(precisions), 3) if precisions else None,
            "ndcg_at_10": round(sum(ndcgs) / len(ndcgs), 3) if ndcgs else None,
            "zero_result_rate": round(sum(1 for o in judged if not o.shown) / len(judged), 3) if judged else None,
            "zero_result_rate_all": round(sum(1 for o in self.outcomes if not o.shown) / len(self.outcomes), 3),
            "flagged_similar": sum(1 for o in self.outcomes if o.flagged and o.shown),
            "shown_for_nothing": [o.query.text for o in self.outcomes if not o.relevant and o.shown and not o.flagged],
            "first_result_off": [o.query.text for o in self.outcomes if o.first_off],
            "median_ms": round(1000 * seconds[len(seconds) // 2], 1) if seconds else None,
        }


def _dcg(grades: list[int]) -> float:
    return sum((2**g - 1) / math.log2(rank + 2) for rank, g in enumerate(grades))


def _searchable_words(record: dict[str, Any]) -> set[str]:
    words = set()
    for key in ("name", "name_en", "producer", "commune", "district", "province", "group", "set"):
        words.update(_fold_words(record[key]))
    try:
        from search.vocabulary import translations_of  # type: ignore[attr-defined]

        words.update(translations_of(" ".join(_fold_words(record["name"] + " " + record["name_en"]))))
    except ImportError:
        pass
    return words


def _query_words(text: str) -> set[str]:
    words = set(_fold_words(text))
    try:
        from search.vocabulary import translations_of  # type: ignore[attr-defined]

        words.update(translations_of(" ".join(_fold_words(text))))
    except ImportError:
        pass
    return words


def score(query: LabelledQuery, listed: list[dict[str, Any]], shown: list[int], flagged: bool) -> QueryOutcome:
    all_grades = [query.grade(record) for record in listed]
    grades = [all_grades[i] for i in shown]
    outcome = QueryOutcome(
        query=query, shown=shown, flagged=flagged, relevant=sum(1 for g in all_grades if g), grades=grades
    )
    if outcome.relevant:
        top = grades[:5]
        outcome.precision = sum(1 for g in top if g) / len(top) if top else 0.0
        ideal = _dcg(sorted(all_grades, reverse=True)[:10])
        outcome.ndcg = _dcg(grades[:10]) / ideal if ideal else 0.0
    if shown and not flagged:
        held = _searchable_words(listed[shown[0]])
        words = _fold_words(query.text)
        started = bool(words) and any(word.startswith(words[-1]) for word in held)  # the last word, being typed
        outcome.first_off = not (_query_words(query.text) & held) and not started
    return outcome


# --- Backends ----------------------------------------------------------------------------------------


def _flag(result: Any) -> bool:
    return bool(getattr(result, "corrected", False))


def run_backend(name: str, backend: Any, documents: list[Any], listed, queries) -> BackendFigures:
    from search.backends.base import SearchQuery

    backend.reset()
    backend.index(documents)
    figures = BackendFigures(backend=name)
    for query in queries:
        started = time.perf_counter()
        result = backend.search(SearchQuery(text=query.text, limit=10, facets=False))
        elapsed = time.perf_counter() - started
        shown = [product_id - 1 for product_id in result.product_ids]
        outcome = score(query, listed, shown, _flag(result))
        outcome.seconds = elapsed
        figures.outcomes.append(outcome)
    return figures


def ensure_database() -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{SERVER_URL}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [QUALITY_DB]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(QUALITY_DB)))
    from bench.common import manage

    print(f"migrating {QUALITY_DB}", file=sys.stderr)  # a no-op when it is up to date
    manage("migrate", "--noinput", database=QUALITY_DB)


class _Rollback(Exception):
    pass


def measure(catalogue: str, args: argparse.Namespace) -> tuple[list[dict[str, Any]], list[BackendFigures]]:
    from django.db import transaction

    from search.backends.postgres import PostgresBackend

    queries = [q for q in load_queries(args.queries) if catalogue in q.catalogues]
    listed = listed_records(load_records(catalogue, records=args.records, seed=args.seed, today=args.today), args.today)
    documents = documents_of(listed)
    results: list[BackendFigures] = []
    try:  # the index rows reference no product (foreign keys are checked at commit, which never comes)
        with transaction.atomic():
            results.append(run_backend("postgres", PostgresBackend(), documents, listed, queries))
            raise _Rollback
    except _Rollback:
        pass
    es_url = os.environ.get("ELASTICSEARCH_URL")
    if es_url and args.backend in ("all", "elasticsearch"):
        from search.backends.elasticsearch import ElasticsearchBackend

        backend = ElasticsearchBackend(url=es_url, index_name=ES_INDEX)
        try:
            results.append(run_backend("elasticsearch", backend, documents, listed, queries))
        finally:
            backend.client.options(ignore_status=404).indices.delete(index=ES_INDEX)
    if args.backend in ("all", "es-standin"):
        from search.backends.elasticsearch import ElasticsearchBackend
        from tests.search.es_standin import ElasticsearchStandIn

        stand_in = ElasticsearchStandIn()
        try:
            backend = ElasticsearchBackend(url=stand_in.url, index_name=ES_INDEX, max_retries=0)
            results.append(run_backend("es-standin", backend, documents, listed, queries))
        finally:
            stand_in.stop()
    return listed, results


def report(catalogue: str, listed, results: list[BackendFigures], *, verbose: bool) -> bool:
    ok = True
    print(f"\n== {catalogue} catalogue: {len(listed)} listed products ==")
    for figures in results:
        s = figures.summary()
        print(
            f"{s['backend']:>14}: precision@5 {s['precision_at_5']}  nDCG@10 {s['ndcg_at_10']}"
            f"  zero-result rate {s['zero_result_rate']} (all queries {s['zero_result_rate_all']})"
            f"  over {s['judged_queries']} of {s['queries']} queries; flagged similar {s['flagged_similar']};"
            f" median {s['median_ms']} ms"
        )
        print(f"{'':>16}shown for nothing: {s['shown_for_nothing'] or 'none'}")
        print(f"{'':>16}first result off: {s['first_result_off'] or 'none'}")
        if (s["precision_at_5"] or 0) < TARGET_PRECISION or s["first_result_off"]:
            ok = False
        if verbose:
            for o in figures.outcomes:
                flag = " [similar names]" if o.flagged else ""
                head = ", ".join(f"{listed[i]['name']} ({g})" for i, g in zip(o.shown[:5], o.grades[:5], strict=False))
                p = "-" if o.precision is None else f"{o.precision:.2f}"
                print(f"    {o.query.text!r:28} rel {o.relevant:>4} P@5 {p}{flag}: {head or '(nothing)'}")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--catalogue", choices=("demo", "generated", "both"), default="demo")
    parser.add_argument("--records", type=int, default=2000, help="records of the generated feed")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date(2026, 12, 4), help="YYYY-MM-DD")
    parser.add_argument("--backend", choices=("all", "postgres", "elasticsearch", "es-standin"), default="all")
    parser.add_argument("--queries", type=Path, default=QUERIES)
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    if args.backend == "all":
        args.backend_list = "all"
    os.environ["DATABASE_URL"] = f"{SERVER_URL}/{QUALITY_DB}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ["DJANGO_DEBUG"] = "false"
    ensure_database()
    import django

    django.setup()
    logging.getLogger("elastic_transport").setLevel(logging.WARNING)
    ok = True
    everything: dict[str, Any] = {}
    for catalogue in ("demo", "generated") if args.catalogue == "both" else (args.catalogue,):
        listed, results = measure(catalogue, args)
        ok = report(catalogue, listed, results, verbose=args.verbose) and ok
        everything[catalogue] = [figures.summary() for figures in results]
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(everything, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
