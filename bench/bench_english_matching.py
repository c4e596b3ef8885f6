"""The English encoder's cost in claim matching: encoder speed, and one claim against 100,000.

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 python bench/bench_english_matching.py [--n 100000]

Measured in one run, one BLAS thread (as the NLP worker runs), CPU time of this process (the
machine is shared; CPU seconds are steadier than wall clock) next to wall clock:
- single-sentence latency and batch throughput of the multilingual USE encoder (the baseline)
  and of all-MiniLM-L6-v2 (claims.nlp.minilm), on the same short English claims;
- `ClaimIndex.search` for one English claim against n stored claims (PostgreSQL mode: lexical
  candidates handed in), without English vectors in the index (as before) and with them, the
  query's English embedding computed inside the search (as the app would) or handed in;
- the memory of the English vectors.
Writes the table to bench/results/matching-english.md.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_matching import QUERIES, synthetic_claims, unit_vectors  # noqa: E402
from claims.nlp.embeddings import embed  # noqa: E402
from claims.nlp.matching import ClaimIndex, MatchConfig  # noqa: E402
from claims.nlp.matching.text import is_english  # noqa: E402
from claims.nlp.matching.vectors import ENGLISH_DIM  # noqa: E402
from claims.nlp.minilm import embed_english, minilm_encoder  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "matching-english.md"
ENGLISH = [q for q in QUERIES if is_english(q)]


def timed(fn, repeats: int) -> tuple[float, float, float]:
    """(CPU ms p50, CPU ms p95, wall ms p50) of `fn()`, after one warm-up call."""
    fn()
    cpu, wall = [], []
    for _ in range(repeats):
        c, w = time.process_time(), time.perf_counter()
        fn()
        cpu.append(time.process_time() - c)
        wall.append(time.perf_counter() - w)
    ms = np.array(cpu) * 1000
    return float(np.percentile(ms, 50)), float(np.percentile(ms, 95)), float(np.median(wall) * 1000)


def throughput(fn, texts: list[str]) -> tuple[float, float]:
    """Sentences per CPU-second and per wall-second for one batch call."""
    c, w = time.process_time(), time.perf_counter()
    fn(texts)
    return len(texts) / (time.process_time() - c), len(texts) / (time.perf_counter() - w)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=60)
    args = parser.parse_args()
    rng = np.random.default_rng(42)
    rows: list[tuple[str, str, str]] = []
    load_avg = os.getloadavg()

    start = time.perf_counter()
    minilm_encoder()
    rows.append(("all-MiniLM-L6-v2 load", f"{time.perf_counter() - start:.2f} s wall", ""))
    embed(["warm up"])
    tokens = np.mean([len(minilm_encoder().tokenizer.encode(q).ids) for q in ENGLISH])
    for name, fn in (("USE multilingual (baseline)", embed), ("all-MiniLM-L6-v2", embed_english)):
        p50, p95, wall = timed(lambda fn=fn: fn([ENGLISH[0]]), args.repeats)
        rows.append(
            (
                f"{name}: one claim (~{tokens:.0f} tokens)",
                f"{p50:.1f} / {p95:.1f} ms CPU (p50 / p95)",
                f"{wall:.1f} ms wall p50",
            )
        )
    batch = [f"{q} ({i})" for i in range(200) for q in ENGLISH][:600]
    for name, fn in (("USE multilingual (baseline)", embed), ("all-MiniLM-L6-v2", embed_english)):
        per_cpu, per_wall = throughput(fn, batch)
        rows.append(
            (
                f"{name}: batch of {len(batch)} short claims",
                f"{per_cpu:.0f} sentences/CPU-s",
                f"{per_wall:.0f} sentences/s wall",
            )
        )

    texts = synthetic_claims(args.n, rng)
    vectors = unit_vectors(args.n, rng)
    english = rng.standard_normal((args.n, ENGLISH_DIM), dtype=np.float32)
    english /= np.linalg.norm(english, axis=1, keepdims=True)
    ids = [str(i) for i in range(args.n)]
    config = replace(MatchConfig(), lexical_search=False)  # PostgreSQL mode
    plain = ClaimIndex(config=config)
    plain.add(ids, texts, embeddings=vectors)
    with_en = ClaimIndex(config=config)
    with_en.add(ids, texts, embeddings=vectors, english_embeddings=list(english))
    rows.append(
        (
            f"English vectors in the index, {args.n:,} claims",
            f"{with_en._store.en_vectors.nbytes / 2**20:.0f} MB (float32, {ENGLISH_DIM} values)",
            f"multilingual: {with_en._store.vectors.nbytes / 2**20:.0f} MB",
        )
    )
    query_vectors = embed(ENGLISH)
    query_english = embed_english(ENGLISH)
    lexical = [[str(i) for i in rng.integers(0, args.n, 30)]]

    def search(index: ClaimIndex, hand_in_english: bool) -> None:
        i = int(rng.integers(0, len(ENGLISH)))
        index.search(
            [ENGLISH[i]],
            top=5,
            lexical_candidates=lexical,
            query_embeddings=[query_vectors[i : i + 1]],
            english_query_embeddings=[query_english[i : i + 1]] if hand_in_english else None,
        )

    for label, index, hand_in in (
        ("without English vectors (before)", plain, False),
        ("with English vectors, query encoded in the search", with_en, False),
        ("with English vectors, query vector handed in", with_en, True),
    ):
        p50, p95, wall = timed(
            lambda index=index, hand_in=hand_in: search(index, hand_in), args.repeats
        )
        rows.append(
            (
                f"one English claim vs {args.n:,}, {label}",
                f"{p50:.1f} / {p95:.1f} ms CPU (p50 / p95)",
                f"{wall:.1f} ms wall p50",
            )
        )

    table = [
        f"# English encoder in claim matching (`python bench/{Path(__file__).name}`)",
        "",
        f"One BLAS thread; load average at start {load_avg[0]:.2f} / {load_avg[1]:.2f} / "
        f"{load_avg[2]:.2f} (2 cores shared with other jobs: wall clock is noisy, CPU time less).",
        "",
        "| what | measured | |",
        "|---|---|---|",
        *[f"| {a} | {b} | {c} |" for a, b, c in rows],
        "",
    ]
    RESULTS.write_text("\n".join(table), encoding="utf-8")
    print("\n".join(table))


if __name__ == "__main__":
    main()
