"""Matching in the app: one new claim against 100,000 stored claims, on PostgreSQL and SQLite.

    python bench/bench_matching_db.py [--claims 100000] [--queries 60]
        [--backends sqlite,postgresql] [--pg-db claimtracker_bench_match]

The whole app path on the shared vector index (docs/matching.md), with the group and match
writes; bench/bench_vector_index.py measures the candidate search alone at 10,000 and 1,000,000
claims, the worker's memory and the index's upkeep. One command; each backend runs in a child
process of its own (a fresh Django) and the parent writes bench/results/matching-db.md. Per
backend:

1. a database of its own (SQLite: a temp file, with the settings' WAL journal; PostgreSQL:
   `--pg-db`, default `claimtracker_bench_match`, on 127.0.0.1:5432, created afresh and dropped
   at the end), migrated, seeded with bulk_create:
   50 outlets, N/5 articles, N check-worthy claims whose texts are real claim sentences (the
   shared datasets when present, cycled with shuffled words; synthetic Zipf text otherwise) and
   whose stored embeddings are random unit vectors, except 1,000 claims embedded for real (the
   ones repeated by the queries); on PostgreSQL the partial GIN indexes `FTS_INDEXES_SQL`,
   then ANALYZE;
2. the shared index written from the stored vectors (`vector_index_update`: time, the writer's
   RSS growth) and opened as a worker opens it (RSS growth);
3. the measured path, `article_claims_match(article_id=...)` for a new article with one claim
   (half repeat a stored claim in other words and get grouped, half are new), the claim written
   as extraction writes it (with its vectors): the HNSW search, the exact scan of the claims
   newer than the index, full-text candidates (PostgreSQL) or the word index (SQLite), the
   candidates read back and scored by the core, the group/match writes;
4. the baseline in the same process: the bare core, `ClaimIndex.search` over every stored claim
   in memory (what each worker process held before the shared index), for the same queries
   with the same query vectors and no database (ratio = app / bare core), with its shortlist and
   with the exact scan;
5. articles of ten check-worthy claims: the per-claim cost when claims come in articles;
6. the queries one call makes (counted on a few more articles, apart from the timings);
7. the index update taking in the claims the queries stored (what beat does every 2 minutes).

Besides wall-clock latency it records the process CPU time of each call (the benchmark's own
process: Python, numpy, the encoder; not the PostgreSQL server's), which other work on the
shared cores disturbs less.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

# claim_texts and paraphrase are imported from here by bench_ingest.py and bench_vector_index.py.
from matching_corpus import (  # noqa: E402
    bench_article,
    extracted_claim,
    pct,
    rss_mb,
    seed,
)
from matching_corpus import claim_texts as claim_texts  # noqa: E402
from matching_corpus import paraphrase as paraphrase  # noqa: E402
from matching_db_report import write_results  # noqa: E402

PG = "postgres://postgres@127.0.0.1:5432"
PG_DB = "claimtracker_bench_match"  # --pg-db
ARTICLES_OF_TEN = 8


# --- one backend (child process) --------------------------------------------------------------


def setup_django(backend: str, sqlite_path: str) -> None:
    if backend == "postgresql":
        subprocess.run(
            ["psql", f"{PG}/postgres", "-qc", f"DROP DATABASE IF EXISTS {PG_DB}"], check=True
        )
        subprocess.run(["psql", f"{PG}/postgres", "-qc", f"CREATE DATABASE {PG_DB}"], check=True)
        os.environ["DATABASE_URL"] = f"{PG}/{PG_DB}"
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{sqlite_path}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "claimtracker.settings.test"
    import django

    django.setup()
    from django.conf import settings

    # The index files of this run only (the checkout's var/ stays untouched).
    settings.CLAIMTRACKER_VECTOR_INDEX_DIR = Path(sqlite_path).parent / "vector-index"
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def run_backend(backend: str, n: int, queries: int) -> dict:
    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(backend, str(Path(tmp) / "bench.sqlite3"))
        return _measure(backend, n, queries, rng)


def _measure(backend: str, n: int, queries: int, rng: random.Random) -> dict:
    import numpy as np
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from claims.models import Claim, ClaimMatch
    from claims.nlp.embeddings import embed
    from claims.nlp.matching import (
        ENGLISH_DIM,
        ClaimIndex,
        embedding_from_bytes,
        english_claim_embeddings,
    )
    from claims.services.matching import (
        article_claims_match,
        lexical_candidates_postgres,
        match_config,
        matching_index,
        matching_lexeme_counts,
        matching_settings,
        vector_index_update,
    )
    from claims.services.matching.fts import LEXEMES_SQL, parse_lexemes

    t = time.perf_counter()
    real_texts, fresh, source = seed(n, rng)
    seed_s = time.perf_counter() - t
    embed(["warm up the encoder"])

    rss_before = rss_mb()
    t = time.perf_counter()
    vector_index_update(wait=True)  # the writer (beat's task, `manage.py matching_index`)
    build_s = time.perf_counter() - t
    writer_mb = rss_mb() - rss_before
    rss_before = rss_mb()
    matching_index()  # a worker opening the shared index: memory-mapped, nothing built
    index_mb = rss_mb() - rss_before

    # Queries: half repeat a stored (really embedded) claim in other words, half are new.
    plan = []
    for q in range(queries):
        lang, text = real_texts[q] if q % 2 == 0 else fresh[q % len(fresh)]
        plan.append((lang, paraphrase(text) if q % 2 == 0 else text))

    app_ms, app_cpu_ms, fts_ms, bare_ms, embed_ms, embed_en_ms = [], [], [], [], [], []
    extraction_ms = []
    query_vectors, english_query_vectors = [], []
    for q, (lang, text) in enumerate(plan):
        article = bench_article(f"q{q}", f"q{q}", lang)
        claim, extra_ms = extracted_claim(article, 0, text, lang)
        extraction_ms.append(extra_ms)
        t, cpu = time.perf_counter(), time.process_time()
        article_claims_match(article_id=article.pk)
        app_ms.append((time.perf_counter() - t) * 1000)
        app_cpu_ms.append((time.process_time() - cpu) * 1000)
        claim.refresh_from_db()
        query_vectors.append(embedding_from_bytes(bytes(claim.embedding)))
        english_query_vectors.append(
            None
            if claim.embedding_en is None
            else embedding_from_bytes(bytes(claim.embedding_en), ENGLISH_DIM)[None, :]
        )
        t = time.perf_counter()
        embed([text])
        embed_ms.append((time.perf_counter() - t) * 1000)
        if claim.embedding_en is not None:
            t = time.perf_counter()
            english_claim_embeddings([text])
            embed_en_ms.append((time.perf_counter() - t) * 1000)
        if connection.vendor == "postgresql":
            # The app's full-text query as it runs it: the claim's lexemes, the index's counts.
            with connection.cursor() as cursor:
                sql = f"SELECT {LEXEMES_SQL} FROM claims_claim WHERE id = %s"  # noqa: S608
                cursor.execute(sql, [claim.pk])
                lexemes = parse_lexemes(cursor.fetchone()[0])
            t = time.perf_counter()
            lexical_candidates_postgres(
                text=text,
                language=lang,
                exclude_article_id=article.pk,
                limit=int(matching_settings()["LEXICAL_CANDIDATES"]),
                df=matching_lexeme_counts(),
                budget=int(matching_settings()["LEXICAL_ROW_BUDGET"]),
                lexemes=lexemes,
            )
            fts_ms.append((time.perf_counter() - t) * 1000)
    # Articles of ten check-worthy claims (half repeats), as news articles come: the index takes
    # each article's claims in one add, so the core's upkeep is shared by its claims.
    per_claim_ms = []
    for a in range(ARTICLES_OF_TEN):
        article = bench_article(f"a{a}", f"a10-{a}", "en")
        for i in range(10):
            k = queries + a * 10 + i
            lang, text = real_texts[k % len(real_texts)] if i % 2 == 0 else fresh[k % len(fresh)]
            text = paraphrase(text) if i % 2 == 0 else text
            extracted_claim(article, i, text, lang)
        t = time.perf_counter()
        article_claims_match(article_id=article.pk)
        per_claim_ms.append((time.perf_counter() - t) * 1000 / 10)
    grouped = Claim.objects.filter(
        article__url__startswith="https://bench.example/q", group__isnull=False
    ).count()
    # Queries per call, counted apart from the timings: two new claims, two repeats.
    query_counts: dict[str, list[int]] = {"new": [], "repeat": []}
    for k in range(4):
        lang, text = real_texts[-1 - k] if k % 2 == 0 else fresh[-1 - k]
        text = paraphrase(text) if k % 2 == 0 else text
        article = bench_article(f"c{k}", f"c{k}", lang)
        extracted_claim(article, 0, text, lang)
        with CaptureQueriesContext(connection) as captured:
            article_claims_match(article_id=article.pk)
        query_counts["repeat" if k % 2 == 0 else "new"].append(len(captured.captured_queries))
    matches = ClaimMatch.objects.count()
    # The update beat runs every couple of minutes: take in the claims stored since.
    t = time.perf_counter()
    vector_index_update(wait=True)
    update_s = time.perf_counter() - t

    # Baseline: the bare core over every stored claim in memory (the per-process index that
    # the shared one replaced), no database at all.
    bare = ClaimIndex(config=match_config())
    stored = Claim.objects.filter(embedding__isnull=False).order_by("pk")
    for start in range(0, stored.count(), 20_000):
        chunk = list(
            stored.values_list("pk", "text", "embedding", "embedding_en")[start : start + 20_000]
        )
        bare.add(
            [str(pk) for pk, *_ in chunk],
            [text for _pk, text, *_ in chunk],
            embeddings=np.stack([embedding_from_bytes(bytes(e)) for _pk, _t, e, _en in chunk]),
            english_embeddings=[
                None if en is None else embedding_from_bytes(bytes(en), ENGLISH_DIM)
                for *_, en in chunk
            ],
        )
    config_lexical = match_config().lexical_search
    english_rows = Claim.objects.filter(embedding_en__isnull=False).count()
    bare_found = []
    for (_lang, text), vector, english in zip(
        plan, query_vectors, english_query_vectors, strict=True
    ):
        t = time.perf_counter()
        found = bare.search(
            [text],
            top=10,
            query_embeddings=[vector[None, :]],
            english_query_embeddings=[english],
        )[0]
        bare_ms.append((time.perf_counter() - t) * 1000)
        bare_found.append(found)
    assert isinstance(bare, ClaimIndex)
    # The same searches with the exact scan over every stored vector (no shortlist): what the
    # shortlist saves, and whether it changes the best five.
    shortlist_config = bare.config
    bare.config = replace(shortlist_config, prefilter_min_claims=10**12)
    exact_ms, same_top = [], 0
    for (_lang, text), vector, english, found in zip(
        plan, query_vectors, english_query_vectors, bare_found, strict=True
    ):
        t = time.perf_counter()
        exact = bare.search(
            [text], top=5, query_embeddings=[vector[None, :]], english_query_embeddings=[english]
        )[0]
        exact_ms.append((time.perf_counter() - t) * 1000)
        same_top += [m.id for m in exact] == [m.id for m in found[:5]]
    bare.config = shortlist_config

    plan_text = ""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "EXPLAIN SELECT id FROM claims_claim, (SELECT '''sanction'' | ''north'' | "
                "''korea'''::tsquery AS q) AS q WHERE language = 'en' AND "
                "to_tsvector('english'::regconfig, COALESCE(text, '')) @@ q AND article_id <> 0 "
                "AND embedding IS NOT NULL ORDER BY ts_rank_cd(to_tsvector('english'::regconfig, "
                "COALESCE(text, '')), q) DESC, id LIMIT 30"
            )
            plan_text = "\n".join(row[0] for row in cursor.fetchall())
    return {
        "backend": backend,
        "claims": n,
        "queries": queries,
        "texts": source,
        "seed_s": seed_s,
        "build_s": build_s,
        "index_mb": index_mb,
        "writer_mb": writer_mb,
        "update_s": update_s,
        "app_p50": statistics.median(app_ms),
        "app_p95": pct(app_ms, 0.95),
        "app_max": max(app_ms),
        "app_cpu_p50": statistics.median(app_cpu_ms),
        "app_cpu_p95": pct(app_cpu_ms, 0.95),
        "queries_new": max(query_counts["new"]),
        "queries_repeat": max(query_counts["repeat"]),
        "repeat_p50": statistics.median(app_ms[0::2]),
        "repeat_p95": pct(app_ms[0::2], 0.95),
        "new_p50": statistics.median(app_ms[1::2]),
        "new_p95": pct(app_ms[1::2], 0.95),
        "bare_p50": statistics.median(bare_ms),
        "bare_p95": pct(bare_ms, 0.95),
        "exact_p50": statistics.median(exact_ms),
        "exact_p95": pct(exact_ms, 0.95),
        "same_top": same_top,
        "extraction_p50": statistics.median(extraction_ms),
        "ten_p50": statistics.median(per_claim_ms),
        "ten_p95": pct(per_claim_ms, 0.95),
        "load": os.getloadavg()[0],
        "embed_p50": statistics.median(embed_ms),
        "embed_en_p50": statistics.median(embed_en_ms) if embed_en_ms else None,
        "english_rows": english_rows,
        "english_queries": sum(v is not None for v in english_query_vectors),
        "fts_p50": statistics.median(fts_ms) if fts_ms else None,
        "fts_p95": pct(fts_ms, 0.95) if fts_ms else None,
        "grouped": grouped,
        "matches": matches,
        "core_lexical_search": config_lexical,
        "vectors_mb": len(bare) * 512 * 4 / 2**20,
        "plan": plan_text,
        "np": np.__version__,
    }


# --- parent -----------------------------------------------------------------------------------


def main() -> None:
    global PG_DB
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=60)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--pg-db", default=PG_DB, help="PostgreSQL database (dropped at the end)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    PG_DB = args.pg_db
    if args.child:
        print("RESULT " + json.dumps(run_backend(args.child, args.claims, args.queries)))
        return
    rows = []
    for backend in args.backends.split(","):
        print(f"--- {backend}: seeding {args.claims:,} claims ...", flush=True)
        out = subprocess.run(
            [sys.executable, __file__, "--child", backend, "--claims", str(args.claims),
             "--queries", str(args.queries), "--pg-db", PG_DB],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        line = next(x for x in out.stdout.splitlines() if x.startswith("RESULT "))
        rows.append(json.loads(line.removeprefix("RESULT ")))
        if backend == "postgresql":  # 300+ MB: not kept between runs
            subprocess.run(
                ["psql", f"{PG}/postgres", "-qc", f"DROP DATABASE IF EXISTS {PG_DB}"], check=True
            )
        print(json.dumps({k: v for k, v in rows[-1].items() if k != "plan"}), flush=True)
    write_results(rows, args, articles_of_ten=ARTICLES_OF_TEN)


if __name__ == "__main__":
    main()
