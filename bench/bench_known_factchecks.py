"""Known fact-checks at scale: importing 100,000 ClaimReview records, and matching a new claim
against them, with today's own-claims matching as the baseline in the same run (SQLite).

    OMP_NUM_THREADS=1 python bench/bench_known_factchecks.py [--records 100000] [--queries 60]

1. **Import**: N ClaimReview records (real claim sentences from the shared datasets, cycled with
   shuffled words beyond them; the texts `bench_matching_db.py` stores) as one DataCommons feed
   file, read with `parse_dump` and stored with `factchecks_store` into a fresh SQLite database:
   records/s, RSS growth and peak; then the same file again (every record `unchanged`).
2. **Vectors**: the matching vectors of 500 records computed for real (`factchecks_embed_missing`,
   ms per record, so the cost for N is known); the others get the vectors of the same sentences
   stored as own claims below (random unit vectors except 1,000 real ones, as in
   `bench_matching_db.py`).
3. **Baseline**: the same N sentences stored as our own claims (`bench_matching_db.seed`).
4. **Per new claim**: for each query (half repeat one of the 1,000 really embedded sentences in
   other words, half are new), an article with one check-worthy claim written as extraction
   writes it; then, timed apart on the same claim, `article_claims_match` (today's own-claims
   matching against N claims, the baseline) and `article_factchecks_match` (against N known
   fact-checks). Index builds are reported apart (once per worker process).

Writes bench/results/known-factchecks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
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

from bench_matching_db import (  # noqa: E402
    bench_article,
    claim_texts,
    extracted_claim,
    paraphrase,
    pct,
    rss_mb,
    seed,
    setup_django,
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


def timed(fn) -> tuple[float, object]:
    started = time.perf_counter()
    result = fn()
    return 1000 * (time.perf_counter() - started), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=60)
    args = parser.parse_args()
    n = args.records
    with tempfile.TemporaryDirectory() as tmp:
        setup_django("sqlite", str(Path(tmp) / "bench.sqlite3"))
        from django.conf import settings

        settings.CLAIMTRACKER_MATCHING_ENABLED = True
        texts, source = claim_texts(n + 200, random.Random(SEED))
        baseline_rss = rss_mb()
        imported = bench_import(texts[:n])
        vectors = bench_vectors()
        real_texts, spare, _ = seed(n, random.Random(SEED))  # the same sentences as own claims
        copy_claim_vectors()

        from claims.services.factchecks.matching import (
            article_factchecks_match,
            factcheck_index,
        )
        from claims.services.matching import article_claims_match, matching_index

        rss0 = rss_mb()
        own_build_ms, _ = timed(lambda: matching_index(reconcile=True))
        rss1 = rss_mb()
        fc_build_ms, _ = timed(lambda: factcheck_index(reconcile=True))
        rss2 = rss_mb()

        rng = random.Random(SEED + 1)
        queries = [
            (paraphrase(t), lang, True) for lang, t in rng.sample(real_texts, args.queries // 2)
        ]
        queries += [(t, lang, False) for lang, t in spare[: args.queries - len(queries)]]
        own_ms, fc_ms, found, repeats = [], [], 0, 0
        for i, (text, lang, repeat) in enumerate(queries):
            article = bench_article(f"q{i}", f"q{i}", lang)
            extracted_claim(article, 0, text, lang)
            ms, _ = timed(lambda a=article: article_claims_match(article_id=a.pk))
            own_ms.append(ms)
            ms, matches = timed(lambda a=article: article_factchecks_match(article_id=a.pk))
            fc_ms.append(ms)
            if repeat:
                repeats += 1
                found += bool(matches)
        rss3 = rss_mb()

    def row(label: str, values: list[float]) -> str:
        return (
            f"| {label} | {statistics.median(values):.1f} | {pct(values, 0.95):.1f} | "
            f"{statistics.median(values) / statistics.median(own_ms):.2f} |"
        )

    first, again = imported["first"], imported["again"]
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
        "## Matching one new check-worthy claim (ms; ratio to today's own-claims matching)",
        "",
        "| | p50 | p95 | ratio (p50) |",
        "|---|---|---|---|",
        row(f"baseline: `article_claims_match`, against {n:,} own claims", own_ms),
        row(f"`article_factchecks_match`, against {n:,} known fact-checks", fc_ms),
        row(
            "both (what the worker now does per article)",
            [a + b for a, b in zip(own_ms, fc_ms, strict=True)],
        ),
        "",
        f"{len(queries)} queries, {repeats} of them repeating a stored sentence in other words: "
        f"{found} of those matched a known fact-check.",
        "",
        "| index (once per worker process) | build (ms) | RSS growth (MB) |",
        "|---|---|---|",
        f"| own claims ({n:,}) | {own_build_ms:.0f} | {rss1 - rss0:.0f} |",
        f"| known fact-checks ({n:,}) | {fc_build_ms:.0f} | {rss2 - rss1:.0f} |",
        "",
        f"RSS at the end {rss3:.0f} MB.",
    ]
    text = "\n".join(lines) + "\n"
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
