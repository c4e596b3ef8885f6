"""Claim matching benchmark: one new claim against 100,000 stored claims, and how it grows.

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 python bench/bench_matching.py [--n 100000] [--million]

Measures, in one run, on one BLAS thread (as the NLP worker runs):
- p50/p95 latency of `ClaimIndex.search` for one claim (real query embedding, random unit vectors
  as the stored embeddings, synthetic claim texts), in both of the app's modes: SQLite (the index's
  own TF-IDF search over all claims) and PostgreSQL (lexical candidates handed in from full-text
  search), and in PostgreSQL mode with the shortlist off (every stored vector compared exactly);
  plus the baselines: a bare numpy matmul + argpartition top-k over the same vectors, and over
  their 128-value projections (the shortlist pass alone);
- embedding throughput of the shipped encoder (sentences/s);
- index memory (array sizes and RSS growth);
- at 1,000,000 claims: the semantic search measured directly (--million), the rest extrapolated.
Writes the table to bench/results/matching.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import time
from dataclasses import replace
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from claims.nlp.embeddings import embed  # noqa: E402
from claims.nlp.matching import ClaimIndex, MatchConfig  # noqa: E402
from claims.nlp.matching.prefilter import shipped_projections  # noqa: E402
from claims.nlp.matching.vectors import EMBEDDING_DIM  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "matching.md"
SUBJECTS = (
    "the government", "the minister", "the president", "the chancellor", "the mayor",
    "the city council", "Germany", "Berlin", "the EU", "Russia", "Ukraine", "North Korea",
    "the USA", "China", "France",
)  # fmt: skip
VERBS = (
    "raised", "cut", "doubled", "banned", "approved", "tested", "promised", "denied", "spent",
    "lost", "won", "imported",
)  # fmt: skip
OBJECTS = (
    "taxes", "pensions", "the minimum wage", "rents", "nuclear weapons", "missiles", "gas imports",
    "wind turbines", "electric cars", "interest rates", "school budgets", "police numbers",
    "hospital beds", "the deficit", "vaccines", "refugee numbers",
)  # fmt: skip
QUERIES = [
    "Nordkorea hat seit mehr als einem Jahr keine Atomwaffen und Raketen mehr getestet.",
    "The government doubled the minimum wage in 2015, the minister said.",
    "Die Inflation in Deutschland lag im Jahr 2022 bei 7,9 Prozent.",
    "Wind turbines kill millions of birds in Germany every year.",
    "Die Bundesregierung hat die Renten um 5 Prozent erhöht.",
    "Russia cut gas imports to the EU by 80 percent.",
]


def synthetic_claims(n: int, rng: np.random.Generator) -> list[str]:
    s = rng.integers(0, len(SUBJECTS), n)
    v = rng.integers(0, len(VERBS), n)
    o = rng.integers(0, len(OBJECTS), n)
    num = rng.integers(1, 2000, n)
    year = rng.integers(1990, 2025, n)
    return [
        f"In {year[i]} {SUBJECTS[s[i]]} {VERBS[v[i]]} {OBJECTS[o[i]]} by {num[i]} percent, "
        f"claim {i}."
        for i in range(n)
    ]


def unit_vectors(n: int, rng: np.random.Generator) -> np.ndarray:
    out = np.empty((n, EMBEDDING_DIM), dtype=np.float32)
    for start in range(0, n, 100_000):  # in chunks: no float64 copy of the whole matrix
        block = rng.standard_normal((min(100_000, n - start), EMBEDDING_DIM), dtype=np.float32)
        block /= np.linalg.norm(block, axis=1, keepdims=True)
        out[start : start + len(block)] = block
    return out


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentiles(times: list[float]) -> tuple[float, float]:
    ms = np.array(times) * 1000
    return float(np.percentile(ms, 50)), float(np.percentile(ms, 95))


def bare_topk(vectors: np.ndarray, query: np.ndarray, k: int) -> np.ndarray:
    scores = vectors @ query
    top = np.argpartition(-scores, k - 1)[:k]
    return top[np.argsort(-scores[top])]


def time_calls(fn, repeats: int) -> list[float]:
    fn()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description="claim matching benchmark")
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=100)
    parser.add_argument("--million", action="store_true", help="also measure 1,000,000 vectors")
    args = parser.parse_args()
    rng = np.random.default_rng(42)
    rows: list[tuple[str, str]] = []

    # Embedding throughput (the encoder loads once per worker process).
    start = time.perf_counter()
    query_vectors = embed(QUERIES)
    load_s = time.perf_counter() - start
    sentences = [f"{q} ({i})" for i in range(170) for q in QUERIES][:1000]
    start = time.perf_counter()
    embed(sentences)
    throughput = len(sentences) / (time.perf_counter() - start)
    rows.append(("encoder load + first batch", f"{load_s:.2f} s"))
    rows.append(("embedding throughput (short claims, 1 thread)", f"{throughput:.0f} sentences/s"))

    texts = synthetic_claims(args.n, rng)
    vectors = unit_vectors(args.n, rng)
    ids = [str(i) for i in range(args.n)]
    rss_before = rss_mb()
    start = time.perf_counter()
    sqlite_index = ClaimIndex()
    sqlite_index.add(ids, texts, embeddings=vectors)
    build_s = time.perf_counter() - start
    lexical_nnz = sqlite_index._lexical.matrix.nnz
    rss_index = rss_mb() - rss_before
    rows.append((f"index build from stored vectors, {args.n:,} claims", f"{build_s:.1f} s"))

    def one_query(index: ClaimIndex, lexical: list[list[str]] | None):
        i = int(rng.integers(0, len(QUERIES)))
        index.search(
            [QUERIES[i]],
            top=5,
            lexical_candidates=lexical,
            query_embeddings=[query_vectors[i : i + 1]],
        )

    sqlite_index.search(["warm up the lexical matrix"], top=5)  # builds the TF-IDF matrix once
    sqlite_times = time_calls(lambda: one_query(sqlite_index, None), args.repeats)
    pg_config = replace(MatchConfig(), lexical_search=False)
    pg_index = sqlite_index
    pg_index.config = pg_config
    lexical_ids = [[str(int(x)) for x in rng.integers(0, args.n, 30)]]
    pg_times = time_calls(lambda: one_query(pg_index, lexical_ids), args.repeats)
    bare_times = time_calls(lambda: bare_topk(vectors, query_vectors[0], 30), args.repeats)
    projection = shipped_projections()["multilingual"]
    projected = np.ascontiguousarray(vectors @ projection)
    query_projected = query_vectors[0] @ projection
    shortlist_times = time_calls(
        lambda: bare_topk(projected, query_projected, pg_config.prefilter_shortlist), args.repeats
    )
    pg_index.config = replace(pg_config, prefilter_min_claims=10**12)
    exact_times = time_calls(lambda: one_query(pg_index, lexical_ids), args.repeats)
    pg_index.config = pg_config
    # As the worker runs it (PostgreSQL mode): a new claim enters the index (sync), is taken out
    # while its article searches, and is put back; the upkeep an add leaves lands in the search.
    worker_times = []
    for k in range(args.repeats):
        claim_id, text = f"worker-{k}", f"{QUERIES[k % len(QUERIES)]} ({k})"
        vector = query_vectors[k % len(QUERIES)][None, :]
        start = time.perf_counter()
        pg_index.add([claim_id], [text], embeddings=vector)
        pg_index.remove([claim_id])
        pg_index.search([text], top=5, lexical_candidates=lexical_ids, query_embeddings=[vector])
        pg_index.add([claim_id], [text], embeddings=vector)
        worker_times.append(time.perf_counter() - start)
    # An article arrives: its claims are added, then matched (SQLite mode, TF-IDF tail).
    sqlite_index.config = replace(MatchConfig(), lexical_search=True)
    sqlite_index.add(["grow"], ["The index grows its arrays once."], embeddings=vectors[:1])
    add_times = []
    for k in range(20):
        start = time.perf_counter()
        sqlite_index.add(
            [f"new-{k}"], [f"One more claim number {k}."], embeddings=vectors[k : k + 1]
        )
        sqlite_index.search(
            [QUERIES[k % len(QUERIES)]],
            top=5,
            query_embeddings=[query_vectors[k % len(QUERIES)][None, :]],
        )
        add_times.append(time.perf_counter() - start)

    b50, b95 = percentiles(bare_times)
    for label, times in (
        ("search, SQLite mode (own TF-IDF search + semantic + rerank)", sqlite_times),
        ("search, PostgreSQL mode (30 FTS candidates given + semantic + rerank)", pg_times),
        (
            "worker path, PostgreSQL mode: add the claim, take it out, search, put it back",
            worker_times,
        ),
        ("search, PostgreSQL mode, shortlist off (exact scan of every vector)", exact_times),
    ):
        p50, p95 = percentiles(times)
        rows.append(
            (f"{label}, p50 / p95", f"{p50:.1f} / {p95:.1f} ms ({p95 / b95:.1f}x baseline p95)")
        )
    rows.append(
        ("baseline: numpy matmul + argpartition top-30, p50 / p95", f"{b50:.1f} / {b95:.1f} ms")
    )
    s50, s95 = percentiles(shortlist_times)
    rows.append(
        (
            "baseline: the shortlist pass alone (matmul over 128-value projections + top-256), "
            "p50 / p95",
            f"{s50:.1f} / {s95:.1f} ms",
        )
    )
    a50, a95 = percentiles(add_times)
    rows.append(
        (
            "add one claim, then search (SQLite mode, TF-IDF tail), p50 / p95",
            f"{a50:.1f} / {a95:.1f} ms",
        )
    )
    emb_mb = args.n * EMBEDDING_DIM * 4 / 2**20
    lex_mb = lexical_nnz * 8 / 2**20 * 2  # tf + term-major copy (float32 data + int32 indices)
    rows.append(
        ("index memory: embeddings / TF-IDF (arrays)", f"{emb_mb:.0f} MB / {lex_mb:.0f} MB")
    )
    rows.append(("index memory: RSS growth while building", f"{rss_index:.0f} MB"))

    if args.million:
        del sqlite_index, pg_index, vectors, texts
        n_big = 1_000_000
        big_vectors = unit_vectors(n_big, rng)
        big_times = time_calls(lambda: bare_topk(big_vectors, query_vectors[0], 30), 20)
        m50, m95 = percentiles(big_times)
        rows.append(
            (
                "1,000,000 claims: baseline matmul + argpartition, p50 / p95",
                f"{m50:.0f} / {m95:.0f} ms",
            )
        )
        big_projected = np.ascontiguousarray(big_vectors @ projection)
        big_short = time_calls(
            lambda: bare_topk(big_projected, query_projected, pg_config.prefilter_shortlist), 20
        )
        del big_projected
        rows.append(
            (
                "1,000,000 claims: the shortlist pass alone, p50 / p95",
                "{:.0f} / {:.0f} ms".format(*percentiles(big_short)),
            )
        )
        rss_before = rss_mb()
        start = time.perf_counter()
        big = ClaimIndex(config=pg_config)
        for chunk in range(0, n_big, 100_000):
            block = slice(chunk, chunk + 100_000)
            big.add(
                [str(i) for i in range(chunk, min(chunk + 100_000, n_big))],
                synthetic_claims(min(100_000, n_big - chunk), rng),
                embeddings=big_vectors[block],
            )
        big_build = time.perf_counter() - start
        big_rss = rss_mb() - rss_before
        lexical_ids = [[str(int(x)) for x in rng.integers(0, n_big, 30)]]
        big_pg = time_calls(lambda: one_query(big, lexical_ids), 20)
        p50, p95 = percentiles(big_pg)
        rows.append(
            (
                "1,000,000 claims: search, PostgreSQL mode, p50 / p95 (measured)",
                f"{p50:.0f} / {p95:.0f} ms ({p95 / m95:.1f}x baseline p95)",
            )
        )
        rows.append(("1,000,000 claims: index build from stored vectors", f"{big_build:.0f} s"))
        rows.append(
            ("1,000,000 claims: RSS growth of the index (texts, TF-IDF)", f"{big_rss:.0f} MB")
        )
    else:
        p95_pg = percentiles(pg_times)[1]
        scale = 1_000_000 / args.n
        rows.append(
            (
                "1,000,000 claims: search p95, PostgreSQL mode (extrapolated)",
                f"~{p95_pg + s95 * (scale - 1):.0f} ms (the shortlist pass grows linearly)",
            )
        )
    rows.append(
        (
            "1,000,000 claims: embeddings in memory (float32)",
            f"{1_000_000 * EMBEDDING_DIM * 4 / 2**30:.1f} GB",
        )
    )

    table = ["| measurement | value |", "|---|---|", *[f"| {a} | {b} |" for a, b in rows]]
    header = [
        "# Claim matching benchmark",
        "",
        f"`python bench/bench_matching.py{' --million' if args.million else ''}` on "
        f"{platform.machine()}, {os.cpu_count()} cores (shared), "
        f"Python {platform.python_version()}, "
        f"numpy {np.__version__}, one BLAS thread; {args.n:,} stored claims (synthetic texts, "
        f"random unit vectors), {args.repeats} single-claim searches per mode.",
        "",
    ]
    RESULTS.write_text("\n".join(header + table) + "\n", encoding="utf-8")
    print("\n".join(table))


if __name__ == "__main__":
    main()
