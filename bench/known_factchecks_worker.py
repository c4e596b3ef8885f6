"""One NLP worker process of bench/bench_known_factchecks.py (its docstring's step 5): the
candidate search and scoring of each query claim against the own claims, the in-memory
fact-check index (before) or the shared one (after); prints its timings and memory as JSON."""

from __future__ import annotations

import json
import os
import statistics
import time
from pathlib import Path

from matching_corpus import pct


def timed(fn) -> tuple[float, object]:
    started = time.perf_counter()
    result = fn()
    return 1000 * (time.perf_counter() - started), result


VARIANTS = {
    "own": "own claims (baseline): `claims_find_candidates`",
    "memory": "fact-checks, in-memory index (before)",
    "shared": "fact-checks, shared index (after): `factchecks_find_candidates`",
}
WARMUP = 3


def worker(args) -> None:
    """One NLP worker process's searches (the module docstring's step 5); prints JSON."""
    os.environ["DATABASE_URL"] = f"sqlite:///{args.db}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "claimtracker.settings.test"
    os.environ["CLAIMTRACKER_VECTOR_INDEX_DIR"] = args.index_dir
    import django

    django.setup()
    from bench_vector_index import memory
    from django.conf import settings

    settings.CLAIMTRACKER_VECTOR_INDEX_DIR = Path(args.index_dir)
    settings.CLAIMTRACKER_MATCHING_ENABLED = True
    # As bench_matching_db (the parent): the in-memory index's reconcile is not per search.
    settings.CLAIMTRACKER_MATCHING = {"RECONCILE_SECONDS": 10**9}
    from legacy_factcheck_index import factcheck_index as legacy_index
    from legacy_factcheck_index import legacy_find_candidates

    from claims.models import Claim
    from claims.nlp.matching import ENGLISH_DIM, embedding_from_bytes, match_level
    from claims.services.factchecks.matching import factchecks_find_candidates
    from claims.services.matching import claims_find_candidates
    from claims.services.matching.config import match_config, matching_settings

    index_dir = str(Path(args.index_dir).resolve())
    queries = json.loads(Path(args.queries_file).read_text())
    fields = ["id", "article_id", "text", "standalone", "language", "embedding", "embedding_en"]
    claims = {c.pk: c for c in Claim.objects.filter(pk__in=[q[0] for q in queries]).only(*fields)}
    top, config = int(matching_settings()["TOP"]), match_config()
    started_mem = memory(index_dir)
    build_ms = 0.0
    if args.worker == "memory":
        build_ms, _ = timed(lambda: legacy_index(reconcile=True))
    find = legacy_find_candidates if args.worker == "memory" else factchecks_find_candidates

    def search(claim):
        if args.worker == "own":
            return claims_find_candidates(claims=[claim], top=top)[0]
        english = claim.embedding_en
        return find(
            texts=[claim.claim_text],
            vectors=[embedding_from_bytes(bytes(claim.embedding))[None, :]],
            english_vectors=[
                None
                if english is None
                else embedding_from_bytes(bytes(english), ENGLISH_DIM)[None, :]
            ],
            top=top,
        )[0]

    times, first, found = [], None, 0
    for n, (pk, repeat) in enumerate(queries):
        ms, candidates = timed(lambda c=claims[pk]: search(c))
        if first is None:
            first = ms
        if n >= WARMUP:
            times.append(ms)
        if repeat and any(match_level(c.score, config) for c in candidates):
            found += 1
    result = {
        "build_ms": build_ms, "first_ms": first, "p50": statistics.median(times),
        "p95": pct(times, 0.95), "found": found, "start": started_mem, "end": memory(index_dir),
    }  # fmt: skip
    print(json.dumps(result))
