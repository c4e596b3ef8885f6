"""The benchmark's results file (bench/results/vector-index.md) from its rows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from vector_index_worker import WARMUP


def write(rows: list[dict], source: str, args) -> None:
    lines = [
        "# Matching at newsroom scale: the shared vector index (PostgreSQL)",
        "",
        f"`nice python bench/bench_vector_index.py --claims {args.claims} --queries "
        f"{args.queries}` ({dt.date.today()}, 2 cores shared with other jobs: load average in "
        f"the last column). Texts: {source}; vectors "
        f"random unit vectors except {args.real:,} really embedded claims, which half of the "
        "queries repeat in other words. One query = `claims_find_candidates` for one new claim "
        "in a fresh worker process (after 20 warm-up queries): HNSW search (int8, usearch), "
        "exact scan of claims newer than the index, PostgreSQL full-text candidates, candidate "
        "rows read back, the core's signals and blend. Baseline: the exact scan of every stored "
        "float32 vector in memory (what each worker process held before), top 60. Recall: the "
        "HNSW top 10 of each query's vector against the exact top 10 over the claims the index "
        "holds; among random vectors the exact top 10 are near-ties (cosine ~0.1), so the "
        "figure in brackets, whether the exact nearest claim (the repeated one, for repeats) is "
        "in the HNSW top 10, is the one that matters for matching. Worker CPU: "
        "the worker process's own CPU time per query (not PostgreSQL's), which the other jobs "
        "on the two shared cores disturb less than wall-clock time.",
        "",
        "| stored claims | match p50 ms | match p95 ms | worker CPU p50 / p95 ms "
        "| exact scan p50 / p95 ms (baseline) "
        "| HNSW recall@10 vs exact (exact nearest in HNSW top 10) "
        "| worker private MiB without / with the index pages | worker anonymous MiB "
        "| worker PSS / RSS MiB "
        "| worker start to first match s | shared index on disk MiB (HNSW files) "
        "| float32 copy per process (before) MiB | load avg |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        w, e = r["worker"], r["exact"]
        lines.append(
            f"| {r['claims']:,} | {w['p50']:.1f} | {w['p95']:.1f} | {w['cpu_p50']:.1f} / "
            f"{w['cpu_p95']:.1f} | {e['p50']:.1f} / "
            f"{e['p95']:.1f} | {e['recall']:.3f} ({e['nearest']:.2f}) | "
            f"{w['memory']['private_own']:.0f} / {w['memory']['private']:.0f} | "
            f"{w['memory']['anonymous']:.0f} | "
            f"{w['memory']['pss']:.0f} / {w['memory']['rss']:.0f} | {w['startup_s']:.1f} | "
            f"{r['generation_mib']:.0f} ({r['usearch_mib']:.0f}) | "
            f"{e['mib']:.0f} | {r['load']:.1f} |"
        )
    if any("compared" in r for r in rows):
        lines += [
            "",
            f"Before/after in the same run: the worker with `{args.compare}`'s code "
            f"(*compared*) and with this checkout's (*this*), alternating, {args.rounds} runs "
            f"of {args.queries} queries each per size, same database, index and queries.",
            "",
            "| stored claims | code | match p50 / p95 ms | worker CPU p50 / p95 ms "
            "| queries with another top 5 | worker private MiB without the index pages "
            "| of which opening the index | load avg |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for r in rows:
            for name in ("compared", "this"):
                w = r.get(name, r["worker"] if name == "this" else None)
                if w is None:
                    continue
                lines.append(
                    f"| {r['claims']:,} | {name} | {w['p50']:.1f} / {w['p95']:.1f} | "
                    f"{w['cpu_p50']:.1f} / {w['cpu_p95']:.1f} | "
                    f"{r.get('top_differences', '–')} of {r['new_claims'] - WARMUP} | "
                    f"{w['memory']['private_own']:.0f} | {_opening(w)} | {r['load']:.1f} |"
                )
    if len(rows) >= 2:
        slopes = "; ".join(
            f"{name}: {_slope(rows, name):+.1f} MiB per 100,000 claims"
            for name in ("compared", "this")
            if all(name in r or name == "this" for r in rows)
        )
        growth = (
            rows[-1]["worker"]["memory"]["private_own"] - rows[0]["worker"]["memory"]["private_own"]
        )
        lines += ["", f"Private memory from {rows[0]['claims']:,} to {rows[-1]['claims']:,} "
                  f"claims, without the index's file pages: {growth:+.0f} MiB "
                  f"(target: within 50 MB; least-squares slope {slopes}). "
                  "The worker here is the only process mapping the index, so the kernel counts "
                  "the index pages it touched as its Private_Clean; with two workers they are "
                  "Shared (page cache, one copy per machine)."]  # fmt: skip
    lines += [
        "",
        "## Writing the index",
        "",
        "`vector_index_update()` (what `manage.py matching_index` and beat's "
        "`update-vector-index` run), in the benchmark's process. *Claims added*: the first row "
        "is the first build, later rows the update adding the claims seeded since (the same "
        "work as a first build of those claims: batches of `BATCH` claims by primary-key "
        "range, HNSW inserts for both vectors, counts). *CPU s* counts every thread of the "
        "process (the inserts run in one beside the database reads and the counting) and is the "
        "figure the other jobs on the shared cores disturb least; wall time depends on them. "
        "*Writer memory*: growth of the process's RSS at its peak during the update (the index "
        "being written, in memory, plus two batches). *New claims*: the update beat runs "
        "every couple of minutes, taking in the claims stored since (here the queries): load "
        "the current generation, add them, write the next one.",
        "",
        "| stored claims | claims added | wall s | CPU s | claims/s (wall) | CPU ms per claim "
        "| writer memory MiB | update with new claims: claims, wall s, CPU s |",
        "|---|---|---|---|---|---|---|---|",
    ]
    previous = 0
    for r in rows:
        b, i = r["build"], r["incremental"]
        added = r["claims"] - previous
        previous = r["claims"]
        lines.append(
            f"| {r['claims']:,} | {added:,} | {b['wall_s']:.0f} | {b['cpu_s']:.0f} | "
            f"{added / b['wall_s']:.0f} | {1000 * b['cpu_s'] / added:.2f} | "
            f"{b['rss_growth_mib']:.0f} | {r['new_claims']}, {i['wall_s']:.1f}, "
            f"{i['cpu_s']:.1f} |"
        )
    Path(args.out).write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


def _opening(worker: dict) -> str:
    value = worker.get("index_open_mib")
    return "–" if value is None else f"{value:.1f}"


def _slope(rows: list[dict], name: str) -> float:
    """Least-squares slope of the worker's private memory (without the index pages) over the
    sizes, in MiB per 100,000 claims."""
    xs = [r["claims"] / 100_000 for r in rows]
    ys = [r.get(name, r["worker"])["memory"]["private_own"] for r in rows]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs
    )
