"""Known fact-checks at scale: importing 100,000 ClaimReview records, and matching a new claim
against them, with today's own-claims matching as the baseline in the same run (SQLite).

    OMP_NUM_THREADS=1 python bench/bench_known_factchecks.py [--records 100000] [--queries 60]

1. **Import**: N ClaimReview records (real claim sentences from the shared datasets, cycled with
   shuffled words beyond them; the texts `bench_matching_db.py` stores, from `matching_corpus.py`)
   as one DataCommons feed file, read with `parse_dump` and stored with `factchecks_store` into
   a fresh SQLite database: records/s, RSS growth and peak; then the same file again (every
   record `unchanged`).
2. **Vectors**: the matching vectors of 500 records computed for real (`factchecks_embed_missing`,
   ms per record, so the cost for N is known); the others get the vectors of the same sentences
   stored as own claims below (random unit vectors except 1,000 real ones, as in
   `bench_matching_db.py`).
3. **Baseline collection**: the same N sentences stored as our own claims
   (`matching_corpus.seed`, as `bench_matching_db.py` seeds them).
4. **Shared indexes** (the writer, once per machine, not per worker): `vector_index_update` for
   the claims, `factcheck_index_update` for the known fact-checks; time and file sizes.
5. **Per new claim, in a fresh worker process per variant** (the NLP worker's search; the query
   claims are stored with their vectors first, so no encoder is loaded in these processes):
   for each query (half repeat one of the 1,000 really embedded sentences in other words, half
   are new), the candidate search and scoring against N rows:
   - own claims (baseline): `claims_find_candidates`, today's own-claims matching;
   - fact-checks, in-memory index (before): the per-process `ClaimIndex` over every known
     fact-check that this change replaced (`bench/legacy_factcheck_index.py`), built first;
   - fact-checks, shared index (after): `factchecks_find_candidates` over the memory-mapped
     generation.
   Each process reports its private memory (Private_Clean + Private_Dirty from
   /proc/self/smaps_rollup, as `bench_vector_index.py` measures it) after start-up and at the
   end, and how much of it is the index files' pages (which a second worker would share).

Writes bench/results/known-factchecks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
RESULTS = ROOT / "bench" / "results" / "known-factchecks.md"

from bench_matching_db import setup_django  # noqa: E402
from known_factchecks_worker import VARIANTS, WARMUP, timed, worker  # noqa: E402
from matching_corpus import (  # noqa: E402
    bench_article,
    claim_texts,
    extracted_claim,
    paraphrase,
    rss_mb,
    seed,
)

SEED = 11


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def dump_bytes(texts: list[tuple[str, str]]) -> bytes:
    publishers = ["Correctiv", "dpa-Faktencheck", "AFP Faktencheck", "Full Fact", "PolitiFact"]
    ratings = ["Falsch", "Irreführend", "False", "Misleading", "Half True"]
    items = [
        {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "url": f"https://checker{i % 5}.example/factcheck/{i}/",
            "claimReviewed": text,
            "author": {"@type": "Organization", "name": publishers[i % 5]},
            "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "Someone"}},
            "reviewRating": {
                "@type": "Rating",
                "alternateName": ratings[i % 5],
                "ratingValue": 1 + i % 5,
                "bestRating": 5,
                "worstRating": 1,
            },
            "datePublished": f"20{10 + i % 15}-0{1 + i % 9}-1{i % 9}",
            "inLanguage": lang,
        }
        for i, (lang, text) in enumerate(texts)
    ]
    feed = {"@type": "DataFeed", "dataFeedElement": [{"@type": "DataFeedItem", "item": items}]}
    return json.dumps(feed, ensure_ascii=False).encode()


def bench_import(texts: list[tuple[str, str]]) -> dict:
    from claims.ingest.factchecks import parse_dump
    from claims.services.factchecks.store import factchecks_store

    body = dump_bytes(texts)
    path = Path(tempfile.gettempdir()) / "kfc-bench-dump.json"
    path.write_bytes(body)
    del body
    out: dict = {"file_mb": round(path.stat().st_size / 2**20, 1)}
    for run in ("first", "again"):
        rss0, started = rss_mb(), time.perf_counter()
        reviews = parse_dump(path.read_bytes())
        parsed = time.perf_counter() - started
        outcomes = factchecks_store(reviews=reviews)
        total = time.perf_counter() - started
        statuses = {s: sum(o.status == s for o in outcomes) for s in {o.status for o in outcomes}}
        del reviews, outcomes
        out[run] = {
            "seconds": round(total, 1),
            "parse_s": round(parsed, 1),
            "records_per_s": round(len(texts) / total),
            "rss_growth_mb": round(rss_mb() - rss0),
            "peak_rss_mb": round(peak_mb()),
            "statuses": statuses,
        }
    path.unlink()
    return out


def bench_vectors(sample: int = 500) -> dict:
    from claims.models import KnownFactCheck
    from claims.services.factchecks.matching import factchecks_embed_missing

    ids = list(KnownFactCheck.objects.order_by("pk").values_list("pk", flat=True)[:sample])
    KnownFactCheck.objects.exclude(pk__in=ids).update(embedding=b"")  # out of the way for now
    factchecks_embed_missing(limit=20)  # load the encoders outside the timing
    started = time.perf_counter()
    done = factchecks_embed_missing(limit=sample)
    took = time.perf_counter() - started
    return {"records": done + 20, "ms_per_record": round(1000 * took / max(done, 1), 2)}


def copy_claim_vectors() -> None:
    """Fact-check i gets own claim i's vectors (the same sentence: the seeded claims' vectors)."""
    from claims.models import Claim, KnownFactCheck

    claims = Claim.objects.order_by("pk").values_list("embedding", "embedding_en")
    fcs = KnownFactCheck.objects.order_by("pk").only("pk")
    batch = []
    for fc, (embedding, embedding_en) in zip(
        fcs.iterator(5000), claims.iterator(5000), strict=False
    ):
        fc.embedding, fc.embedding_en = embedding, embedding_en
        batch.append(fc)
        if len(batch) == 5000:
            KnownFactCheck.objects.bulk_update(batch, ["embedding", "embedding_en"])
            batch = []
    if batch:
        KnownFactCheck.objects.bulk_update(batch, ["embedding", "embedding_en"])


def run_worker(variant: str, db: str, index_dir: str, queries: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--worker", variant, "--db", db, "--index-dir", index_dir,
         "--queries-file", queries],
        check=True, capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def directory_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=60)
    parser.add_argument("--worker", choices=list(VARIANTS), help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--index-dir", help=argparse.SUPPRESS)
    parser.add_argument("--queries-file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return
    n = args.records
    with tempfile.TemporaryDirectory() as tmp:
        db, index_dir = str(Path(tmp) / "bench.sqlite3"), Path(tmp) / "vector-index"
        os.environ["CLAIMTRACKER_VECTOR_INDEX_DIR"] = str(index_dir)
        setup_django("sqlite", db)
        from django.conf import settings

        settings.CLAIMTRACKER_VECTOR_INDEX_DIR = index_dir
        settings.CLAIMTRACKER_MATCHING_ENABLED = True
        texts, source = claim_texts(n + 200, random.Random(SEED))
        baseline_rss = rss_mb()
        imported = bench_import(texts[:n])
        vectors = bench_vectors()
        real_texts, spare, _ = seed(n, random.Random(SEED))  # the same sentences as own claims
        copy_claim_vectors()

        from claims.services.factchecks.index import factcheck_index_dir, factcheck_index_update
        from claims.services.matching import vector_index_update

        print("building the shared indexes", flush=True)
        own_build_ms, _ = timed(lambda: vector_index_update(wait=True))
        fc_build_ms, _ = timed(lambda: factcheck_index_update(wait=True))
        fc_files = directory_mb(factcheck_index_dir())
        own_files = directory_mb(index_dir) - fc_files

        rng = random.Random(SEED + 1)
        queries = [
            (paraphrase(t), lang, True) for lang, t in rng.sample(real_texts, args.queries // 2)
        ]
        queries += [(t, lang, False) for lang, t in spare[: args.queries - len(queries)]]
        query_ids = []
        for i, (text, lang, repeat) in enumerate(queries):
            article = bench_article(f"q{i}", f"q{i}", lang)
            claim, _extra_ms = extracted_claim(article, 0, text, lang)
            query_ids.append((claim.pk, repeat))
        queries_file = Path(tmp) / "queries.json"
        queries_file.write_text(json.dumps(query_ids))
        from django.db import connection

        connection.close()  # the workers read the same SQLite file
        workers = {}
        for variant in VARIANTS:
            print(f"worker: {variant}", flush=True)
            workers[variant] = run_worker(variant, db, str(index_dir), str(queries_file))
        repeats = sum(r for _pk, r in query_ids)
        rss_end = rss_mb()

    first, again = imported["first"], imported["again"]
    base = workers["own"]["p50"]

    def row(variant: str) -> str:
        w = workers[variant]
        return (
            f"| {VARIANTS[variant]} | {w['p50']:.1f} | {w['p95']:.1f} | {w['p50'] / base:.2f} | "
            f"{w['first_ms']:.0f} | {w['found']}/{repeats} |"
        )

    def mem_row(variant: str) -> str:
        w = workers[variant]
        start, end = w["start"], w["end"]
        build = f"{w['build_ms'] / 1000:.0f} s" if w["build_ms"] else "none"
        return (
            f"| {VARIANTS[variant].split(':')[0]} | {start['private']:.0f} | "
            f"{end['private']:.0f} | **{end['private_own'] - start['private_own']:+.0f}** | "
            f"{end['index_private']:.0f} | {end['pss']:.0f} | {build} |"
        )

    def grown(variant: str) -> float:
        w = workers[variant]
        return w["end"]["private_own"] - w["start"]["private_own"]

    lines = [
        f"# Known fact-checks at {n:,} records (`bench/bench_known_factchecks.py`, SQLite)",
        "",
        f"Texts: {source}. {os.cpu_count()} CPUs, load average "
        f"{os.getloadavg()[0]:.1f} at the end.",
        "",
        "## Import (DataCommons feed file → `parse_dump` → `factchecks_store`)",
        "",
        "| run | records | seconds | records/s | parse (s) | RSS growth (MB) | peak RSS (MB) "
        "| statuses |",
        "|---|---|---|---|---|---|---|---|",
        f"| first import | {n:,} | {first['seconds']} | {first['records_per_s']:,} | "
        f"{first['parse_s']} | {first['rss_growth_mb']} | {first['peak_rss_mb']} | "
        f"{first['statuses']} |",
        f"| same file again | {n:,} | {again['seconds']} | {again['records_per_s']:,} | "
        f"{again['parse_s']} | {again['rss_growth_mb']} | {again['peak_rss_mb']} | "
        f"{again['statuses']} |",
        "",
        f"Dump file {imported['file_mb']} MB; RSS before the import {baseline_rss:.0f} MB (Django, "
        "numpy). Matching vectors, computed apart (`factchecks_embed_missing`, both encoders): "
        f"{vectors['ms_per_record']} ms per record, i.e. "
        f"~{vectors['ms_per_record'] * n / 60000:.0f} min for {n:,} records on one core.",
        "",
        "## Shared indexes (the writer: once per machine, then incremental)",
        "",
        "| collection | first build (s) | files (MiB) |",
        "|---|---|---|",
        f"| own claims ({n:,}) | {own_build_ms / 1000:.0f} | {own_files:.0f} |",
        f"| known fact-checks ({n:,}) | {fc_build_ms / 1000:.0f} | {fc_files:.0f} |",
        "",
        "## Candidate search and scoring of one new claim, a fresh worker process per row",
        "",
        f"ms; ratio of p50 to the own-claims baseline; {len(query_ids)} queries after "
        f"{WARMUP} warm-up searches; the last column: of the {repeats} queries repeating a stored "
        "sentence in other words, how many got a match at the app's thresholds.",
        "",
        "| | p50 | p95 | ratio (p50) | first search | repeats matched |",
        "|---|---|---|---|---|---|",
        row("own"),
        row("memory"),
        row("shared"),
        "",
        "## Worker private memory (MiB, /proc/self/smaps_rollup)",
        "",
        "Private = Private_Clean + Private_Dirty. The growth column leaves out the index files' "
        "pages: a process that alone maps them is counted their Private_Clean, though they are "
        "page cache a second worker shares (and the kernel may drop); they are the next column. "
        "No encoder or spaCy model is loaded in these processes (an NLP worker adds its models, "
        "the same at any collection size).",
        "",
        "| worker | private after start-up | private at the end | growth without index pages "
        "| index file pages | PSS at the end | index build in the process |",
        "|---|---|---|---|---|---|---|",
        mem_row("own"),
        mem_row("memory"),
        mem_row("shared"),
        "",
        f"Fact-checks on the shared index instead of the in-memory one: "
        f"**{grown('memory') - grown('shared'):.0f} MiB** less private memory per worker process "
        f"at {n:,} known fact-checks. RSS of the parent at the end {rss_end:.0f} MB.",
    ]
    text = "\n".join(lines) + "\n"
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
