"""Matching at newsroom scale: the shared vector index at 10,000 and 1,000,000 stored claims.

    python bench/bench_vector_index.py [--claims 10000,1000000] [--queries 100] [--pg-db vec]
        [--index-dir /tmp/vec-bench-index] [--out bench/results/vector-index.md]
        [--compare /path/to/other/checkout] [--rounds 2] [--profile /tmp/prof] [--keep] [--reuse]

One command, PostgreSQL (database `--pg-db`, dropped and created afresh), writes
bench/results/vector-index.md (or `--out`). For each size, growing one database:

1. seeding with COPY (binary): claims whose texts are real claim sentences (the shared datasets,
   cycled with shuffled words) and whose vectors are random unit vectors, except 1,000 claims
   embedded for real (the ones the queries repeat); the real encoders embed those;
2. `vector_index_update()`: the first build at 10,000, then the incremental update that adds
   the other 990,000 (time, generation size on disk: the one copy per machine);
3. a fresh worker process (`--worker`, a child with Django, no encoders: the query claims are
   stored with their vectors as extraction stores them) runs `claims_find_candidates` for
   `--queries` new claims after 20 warm-up ones: latency p50/p95 of the whole candidate search
   and scoring (ANN search, exact scan of the claims newer than the index, full-text query,
   candidate rows from the database, the core's signals), its start-up (process start to first
   result) and its private memory from /proc/self/smaps_rollup (Private_Clean + Private_Dirty:
   pages only this process has; the index's pages are Shared/page cache);
4. the baseline in the same run: the exact scan over every stored vector (float32 in memory, as
   the old per-process index held them), its p50/p95, and recall@10 of the HNSW search against it.

Before/after a change (`--compare DIR`: another checkout of the repository, e.g. a
`git worktree` of main): at each size the worker runs with DIR's `claims` package and with this
checkout's, alternating, `--rounds` times each, on the same database, index and queries, so the
two are measured under the same load; the table then has a row per code and the count of
queries whose top 5 (ids and scores) differ between them. `--profile DIR` writes a cProfile of
each worker's measured queries there (`python -m pstats`). `--keep` leaves the last size's
queries in the database; `--reuse` then runs only the workers on it (no seeding, no table).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
RESULTS = ROOT / "bench" / "results" / "vector-index.md"
# The worker imports `claims` from here (`--code-root`: another checkout, for before/after).
if "--code-root" in sys.argv:
    sys.path.insert(0, sys.argv[sys.argv.index("--code-root") + 1])
from vector_index_report import write  # noqa: E402 (bench/ is on the path from here)
from vector_index_worker import (  # noqa: E402
    PG,
    WARMUP,
    _summary,
    django_setup,
    memory,  # noqa: F401 (bench_known_factchecks imports it from here)
    pct,
    run_workers,
    top_differences,
    worker,
)

REAL = 1000


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def timed_update() -> tuple[object, dict[str, float]]:
    """`vector_index_update(wait=True)` with its wall time, CPU time (every thread of this
    process: the batch inserts run in a thread) and the growth of this process's RSS at its
    peak (sampled every 0.2 s): what the writer holds, besides what the benchmark held before."""
    import threading

    from claims.services.matching import vector_index_update

    before, peak, done = rss_mib(), [rss_mib()], threading.Event()

    def sample() -> None:
        while not done.wait(0.2):
            peak[0] = max(peak[0], rss_mib())

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    t, c = time.perf_counter(), time.process_time()
    generation = vector_index_update(wait=True)
    wall, cpu = time.perf_counter() - t, time.process_time() - c
    done.set()
    sampler.join()
    return generation, {"wall_s": wall, "cpu_s": cpu, "rss_growth_mib": peak[0] - before}


# --- seeding ----------------------------------------------------------------------------------


def _columns(cursor, table: str) -> list[tuple[str, str, bool, bool]]:
    cursor.execute(
        "SELECT column_name, udt_name, is_nullable = 'YES', column_default IS NOT NULL "
        "FROM information_schema.columns WHERE table_name = %s ORDER BY ordinal_position",
        [table],
    )
    return cursor.fetchall()


def _filler(udt: str):
    from psycopg.types.json import Jsonb

    now = dt.datetime.now(dt.UTC)
    return {
        "text": "", "varchar": "", "bool": False, "int4": 0, "int8": 0, "int2": 0,
        "float8": 0.0, "jsonb": Jsonb([]), "timestamptz": now, "date": now.date(),
    }.get(udt)  # fmt: skip


def copy_rows(table: str, values: dict[str, object], rows) -> None:
    """COPY rows (dicts of column -> value) in binary; other NOT NULL columns get a filler."""
    from django.db import connection

    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor
        columns = [c for c in _columns(cursor, table) if c[0] != "id"]
        wanted = [c for c in columns if c[0] in values or not (c[2] or c[3])]
        names = [c[0] for c in wanted]
        fixed = {c[0]: values.get(c[0], _filler(c[1])) for c in wanted}
        quoted = ", ".join(f'"{name}"' for name in names)
        sql = f"COPY {table} ({quoted}) FROM STDIN (FORMAT BINARY)"
        with cursor.copy(sql) as copy:
            copy.set_types([c[1] for c in wanted])
            for row in rows:
                copy.write_row([row.get(name, fixed[name]) for name in names])


def seed(start: int, stop: int, texts, real: dict[int, tuple], rng) -> None:
    """Claims number `start` .. `stop` - 1 (5 per article), random vectors except `real`."""
    import numpy as np
    from django.db import connection

    from claims.models import Outlet

    outlet = Outlet.objects.get_or_create(name="Bench", domain="bench.example")[0]
    first_article, last_article = start // 5, (stop + 4) // 5
    copy_rows(
        "claims_article",
        {"outlet_id": outlet.pk, "language": "en", "status": "done", "source": "url"},
        (
            {"url": f"https://bench.example/{a}", "url_hash": f"{a:064x}"}
            for a in range(first_article, last_article)
        ),
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id) FROM claims_article WHERE url = %s",
                       [f"https://bench.example/{first_article}"])  # fmt: skip
        base = cursor.fetchone()[0] - first_article
    gen = np.random.default_rng(start)

    def rows():
        for block in range(start, stop, 10_000):
            size = min(10_000, stop - block)
            vectors = gen.standard_normal((size, 512)).astype("<f4")
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
            english = gen.standard_normal((size, 384)).astype("<f4")
            english /= np.linalg.norm(english, axis=1, keepdims=True)
            for offset in range(size):
                i = block + offset
                lang, text = texts[i % len(texts)]
                vector, vector_en = vectors[offset].tobytes(), english[offset].tobytes()
                if i in real:
                    vector, vector_en = real[i]
                yield {
                    "article_id": base + i // 5,
                    "index": i % 5,
                    "text": text,
                    "end": len(text),
                    "score": 0.8,
                    "checkworthy": True,
                    "candidate": True,
                    "language": lang,
                    "embedding": vector,
                    "embedding_en": vector_en if lang == "en" else None,
                }

    copy_rows(
        "claims_claim",
        {"claim_type": "other", "status": "new", "embedding": None, "embedding_en": None},
        rows(),
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_claim")


# --- the parent -------------------------------------------------------------------------------


def exact_baseline(query_ids: list[int], ann: list[list[int]], high_water: int) -> dict:
    """The exact scan over every stored vector, float32 in memory, and the HNSW recall against
    it over the claims the index holds (ids up to its high-water mark)."""
    import numpy as np

    from claims.models import Claim

    stored = Claim.objects.filter(embedding__isnull=False, pk__lte=high_water)
    count = stored.count()
    pks, matrix = np.zeros(count, dtype=np.int64), np.zeros((count, 512), dtype=np.float32)
    for row, (pk, e) in enumerate(
        stored.order_by("pk").values_list("pk", "embedding").iterator(chunk_size=20_000)
    ):
        pks[row], matrix[row] = pk, np.frombuffer(bytes(e), dtype="<f4")
    queries = dict(Claim.objects.filter(pk__in=query_ids).values_list("pk", "embedding"))
    times, hits, nearest = [], [], []
    for pk, found in zip(query_ids[WARMUP:], ann, strict=True):
        q = np.frombuffer(bytes(queries[pk]), dtype="<f4")
        t = time.perf_counter()
        sims = matrix @ q
        top = np.argpartition(-sims, 60)[:60]
        top = top[np.argsort(-sims[top])]
        times.append((time.perf_counter() - t) * 1000)
        truth = set(pks[top[:10]].tolist())
        hits.append(len(truth & set(found)) / 10)
        nearest.append(int(pks[top[0]]) in set(found))
    return {"p50": pct(times, 0.5), "p95": pct(times, 0.95), "recall": float(np.mean(hits)),
            "nearest": float(np.mean(nearest)),
            "mib": matrix.nbytes / 2**20}  # fmt: skip


def parent(args) -> None:
    import logging
    import shutil

    logging.basicConfig(format="%(asctime)s %(message)s", level=logging.WARNING)
    logging.getLogger("claims.services.matching.index").setLevel(logging.INFO)  # build progress

    index_dir = Path(args.index_dir)
    if args.reuse:  # the database and index a `--keep` run left: the workers only
        django_setup(args.pg_db, index_dir)
        query_ids = json.loads((index_dir / "queries.json").read_text())
        load_before = os.getloadavg()[0]
        workers = run_workers(args, query_ids, 0)
        load = (load_before + os.getloadavg()[0]) / 2
        for name, result in workers.items():
            print(name, json.dumps(_summary(result)))
        if "compared" in workers:
            print("queries with another top 5:",
                  top_differences(workers["compared"]["top"], workers["this"]["top"]),
                  f"of {len(query_ids) - WARMUP}; load {load:.1f}")  # fmt: skip
        return
    shutil.rmtree(index_dir, ignore_errors=True)
    index_dir.mkdir(parents=True)
    subprocess.run(
        ["psql", f"{PG}/postgres", "-qc", f"DROP DATABASE IF EXISTS {args.pg_db}"], check=True
    )
    subprocess.run(["psql", f"{PG}/postgres", "-qc", f"CREATE DATABASE {args.pg_db}"], check=True)
    django_setup(args.pg_db, index_dir)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from bench_matching_db import claim_texts, paraphrase

    from claims.models import Article, Claim
    from claims.nlp.embeddings import embed
    from claims.nlp.matching import ENGLISH_DIM, embedding_to_bytes, english_claim_embeddings
    from claims.services.matching import claims_embed_new

    rng = random.Random(13)
    sizes = [int(s) for s in args.claims.split(",")]
    texts, source = claim_texts(200_000, rng)
    real_rows = sorted(rng.sample(range(sizes[0]), args.real))
    real_vectors = embed([texts[i % len(texts)][1] for i in real_rows])
    real_en = english_claim_embeddings([texts[i % len(texts)][1] for i in real_rows])
    real = {
        i: (embedding_to_bytes(v), None if e is None else embedding_to_bytes(e, ENGLISH_DIM))
        for i, v, e in zip(real_rows, real_vectors, real_en, strict=True)
    }
    rows = []
    done = 0
    for size in sizes:
        t = time.perf_counter()
        seed(done, size, texts, real, rng)
        seed_s = time.perf_counter() - t
        done = size
        load_before = os.getloadavg()[0]
        generation, build = timed_update()
        print(f"{size:,}: index update {build}", flush=True)
        gen_dir = index_dir / generation.directory
        size_mib = sum(f.stat().st_size for f in gen_dir.iterdir()) / 2**20
        usearch_mib = sum(f.stat().st_size for f in gen_dir.glob("*.usearch")) / 2**20
        # New claims, as extraction writes them: half repeat a really embedded claim in other
        # words, half are sentences not stored.
        query_ids = []
        for q in range(args.queries + WARMUP):
            lang, text = (
                texts[real_rows[q % len(real_rows)] % len(texts)] if q % 2 == 0 else texts[-1 - q]
            )
            text = paraphrase(text) if q % 2 == 0 else text
            article = Article.objects.create(
                url=f"https://bench.example/q{size}-{q}", url_hash=f"q{size}-{q}".rjust(64, "0"),
                source=Article.Source.URL, language=lang, status=Article.Status.DONE,
            )  # fmt: skip
            claim = Claim(
                article=article, index=0, text=text, start=0, end=len(text), score=0.8,
                checkworthy=True, claim_type=Claim.Type.OTHER, language=lang,
            )  # fmt: skip
            claims_embed_new(claims=[claim], sentence_embeddings=[embed([text])[0]])
            claim.save()
            query_ids.append(claim.pk)
        workers = run_workers(args, query_ids, size)
        result = workers["this"]
        baseline = exact_baseline(query_ids, result["ann"], generation.high_water)
        # What beat's update does every couple of minutes at this size: take in the claims
        # stored since (the queries), i.e. load the generation, add them, write a new one.
        _generation, incremental = timed_update()
        rows.append({
            "claims": size, "seed_s": seed_s, "build": build, "incremental": incremental,
            "new_claims": len(query_ids), "load": (load_before + os.getloadavg()[0]) / 2,
            "generation_mib": size_mib, "usearch_mib": usearch_mib,
            "worker": _summary(result), "exact": baseline,
        })  # fmt: skip
        if "compared" in workers:
            rows[-1]["compared"] = _summary(workers["compared"])
            rows[-1]["top_differences"] = top_differences(workers["compared"]["top"], result["top"])
        print(json.dumps(rows[-1]), flush=True)
        if args.keep and size == sizes[-1]:
            print(f"kept: database {args.pg_db}, queries {Path(args.index_dir) / 'queries.json'}")
        else:
            Claim.objects.filter(pk__in=query_ids).delete()  # the next size's are its own
        write(rows, source, args)  # after each size: a partial run still leaves its table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", default="10000,1000000")
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--pg-db", default="vec")
    parser.add_argument("--real", type=int, default=REAL, help="stored claims embedded for real")
    parser.add_argument("--index-dir", default="/tmp/vec-bench-index")
    parser.add_argument("--out", default=str(RESULTS), help="the results table (markdown)")
    parser.add_argument("--compare", help="another checkout: its code measured alongside")
    parser.add_argument("--rounds", type=int, default=2, help="worker runs per code (--compare)")
    parser.add_argument(
        "--keep", action="store_true", help="keep the last size's queries (for --reuse)"
    )
    parser.add_argument(
        "--reuse", action="store_true", help="only the workers, on what --keep left; no table"
    )
    parser.add_argument("--profile", help="directory (worker: file) for cProfile stats")
    parser.add_argument("--worker", action="store_true")
    parser.add_argument("--query-ids")
    parser.add_argument("--code-root", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
    else:
        parent(args)


if __name__ == "__main__":
    main()
