"""The results page of bench/bench_matching_db.py (bench/results/matching-db.md)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from matching_corpus import REAL

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "matching-db.md"
P95_TARGET_MS = 50.0


def write_results(rows: list[dict], args, *, articles_of_ten: int) -> None:
    lines = [
        "# Matching in the app: one new claim against stored claims",
        "",
        f"`python bench/bench_matching_db.py --claims {args.claims} --queries {args.queries}` "
        f"on {time.strftime('%Y-%m-%d')}, 2 shared cores, one BLAS thread, Python "
        f"{sys.version.split()[0]}, numpy {rows[0]['np']}. Other work ran on the same cores, "
        "so treat the tails as upper bounds.",
        "",
        f"Stored claims: {rows[0]['texts']}; random unit vectors as stored embeddings, except "
        f"{REAL} claims embedded for real; as the app stores them, English claims also carry an "
        f"English-encoder vector ({rows[0]['english_rows']:,} of them; random unit vectors, real "
        "for the really embedded ones). Queries: half repeat one of those in other words (they "
        "get grouped: the write path), half are new claims "
        f"({rows[0]['english_queries']} of {rows[0]['queries']} English). The measured call is "
        "the whole `article_claims_match(article_id=...)` for an article with one check-worthy "
        "claim, written as extraction writes it (with its vectors, see *encoders at "
        "extraction*): read the claim, the shared index's HNSW search and the exact scan of the "
        "claims newer than it, full-text candidates (PostgreSQL) or the word index (SQLite), "
        "the candidates read back and scored by the core, group and match writes.",
        "",
        "| backend | claims | app p50 ms | app p95 ms | app CPU p50/p95 ms | bare core p50 ms "
        "| bare core p95 ms | ratio p50 | exact scan p50/p95 ms | same top 5 "
        "| FTS p50/p95 ms | encoders ms/claim (multi + en) | encoders at extraction ms/claim "
        "| queries new/repeat "
        "| shared index build s | writer RSS MB | worker RSS MB for the index "
        "| index update s | grouped | new claims p50/p95 ms "
        "| repeats p50/p95 ms "
        "| 10-claim article, per claim p50/p95 ms | load avg |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
        "---|---|",
    ]
    for r in rows:
        fts = f"{r['fts_p50']:.1f} / {r['fts_p95']:.1f}" if r["fts_p50"] is not None else "–"
        lines.append(
            f"| {r['backend']} | {r['claims']:,} | {r['app_p50']:.1f} | {r['app_p95']:.1f} "
            f"| {r['app_cpu_p50']:.1f} / {r['app_cpu_p95']:.1f} "
            f"| {r['bare_p50']:.1f} | {r['bare_p95']:.1f} | {r['app_p50'] / r['bare_p50']:.2f}x "
            f"| {r['exact_p50']:.1f} / {r['exact_p95']:.1f} | {r['same_top']}/{r['queries']} "
            f"| {fts} | {r['embed_p50']:.1f} + {r['embed_en_p50'] or 0:.1f} "
            f"| {r['extraction_p50']:.1f} "
            f"| {r['queries_new']} / {r['queries_repeat']} "
            f"| {r['build_s']:.1f} | {r['writer_mb']:.0f} | {r['index_mb']:.0f} "
            f"| {r['update_s']:.2f} | {r['grouped']}/{r['queries']} "
            f"| {r['new_p50']:.1f} / {r['new_p95']:.1f} "
            f"| {r['repeat_p50']:.1f} / {r['repeat_p95']:.1f} "
            f"| {r['ten_p50']:.1f} / {r['ten_p95']:.1f} | {r['load']:.1f} |"
        )
    lines += [
        "",
        f"Target: app p95 ≤ {P95_TARGET_MS:.0f} ms at 100,000 claims: "
        + (
            ", ".join(
                f"{r['backend']} {'met' if r['app_p95'] <= P95_TARGET_MS else 'NOT met'}"
                for r in rows
                if r["claims"] >= 100_000
            )
            or "not measured in this run (fewer claims)"
        )
        + ".",
        "",
        "- *bare core*: `ClaimIndex.search` over every stored claim held in this process's "
        "memory (the per-process index every worker held before the shared index), with the "
        "same query vectors (and English query vectors for English claims, as the app passes "
        "them), no database, no encoder, no lexical candidates. Above 20,000 claims it "
        "shortlists neighbours on projected vectors (128 values) and compares only those "
        "exactly (claims/nlp/matching/prefilter.py). The app's call does more (the database, "
        "the writes) but holds nothing per stored claim.",
        "- *exact scan*: the bare core's searches again with the shortlist off (every stored "
        "vector compared exactly), on the same index in the same run; *same top 5*: queries "
        "whose best five are the same both ways.",
        "- *encoders*: one claim through the multilingual encoder and through the English one, "
        "apart. *encoders at extraction*: what extraction adds per check-worthy claim so that "
        "matching needs no encoder (the English vector; the multilingual one is check-"
        "worthiness's own, reused); not in the app columns, since it happens in the extraction "
        "task, batched per article.",
        "- *shared index build s*, *writer RSS*: `vector_index_update()` writing the first "
        "generation from the stored vectors (HNSW inserts in batches, counts), and the growth "
        "of this process's resident memory meanwhile. *worker RSS for the index*: growth when "
        "a worker opens it (memory-mapped: page cache, shared by every process on the "
        "machine). *index update*: the next `vector_index_update()`, taking in the claims the "
        "queries stored (what beat does every couple of minutes).",
        "- *grouped*: queries whose claim ended up in a group (confirmed at the core's "
        "thresholds; half the queries are repeats).",
        "- *10-claim article*: whole-article matching time divided by its 10 check-worthy "
        "claims (half repeats), over "
        f"{articles_of_ten} articles: the per-claim cost when claims come in articles, as they do.",
        "- *app CPU*: process CPU time of the same calls (Python, numpy, the encoder; the "
        "PostgreSQL server's work is not in it): less disturbed by other work on the cores.",
        "- *queries new/repeat*: SQL statements one call makes (BEGIN/COMMIT included), for an "
        "article with one new claim and one with a repeat, counted on four more articles.",
        "- *load avg*: 1-minute load average of the machine at the end of the run (2 cores; "
        "other work was running).",
        "- *new claims* (not a repeat; most still get a pending suggestion at the core's low "
        "suggested threshold, so they write too) and *repeats* (group created and joined, match "
        "and history rows written) are the two halves of the queries.",
    ]
    for r in rows:
        if r["plan"]:
            lines += ["", f"PostgreSQL plan of the full-text query ({r['claims']:,} claims):", "",
                      "```", r["plan"], "```"]  # fmt: skip
    lines += [
        "",
        "Growing to 1,000,000 claims: bench/bench_vector_index.py (bench/results/vector-index.md)"
        " measures the candidate search, the worker's memory and the index's upkeep there.",
    ]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
