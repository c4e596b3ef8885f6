"""MAP@5 of "checked elsewhere" on the CheckThat! 2020 / 2021 task 2 dev sets, through the store.

    OMP_NUM_THREADS=1 python bench/known_factchecks_eval.py [--datasets clef2020 clef2021]

The collection goes in the way a desk loads a dump: one ClaimReview per verified claim
(`claimReviewed` = the verified claim, its title as `description`, a URL per claim id) in the
DataCommons feed format, through `parse_dump` + `factchecks_store` + `factchecks_embed_missing`,
into a fresh SQLite database; the app's shared fact-check index is written from it
(`factcheck_index_update`, as the beat task does) and searched as the worker searches it
(`factchecks_find_candidates`: HNSW neighbours, rare-word candidates, the core's scores).
Queries are what the pipeline extracts: each tweet (2020) or debate sentence (2021) goes through
`extract_claims_batch`, and its claims are searched as the NLP worker searches a new article's
claims (their standalone text and vectors); a query's ranking is the best score per fact-check
over its claims. Rows:

- **app**: the check-worthy claims only (what the worker matches); a query without one ranks
  nothing;
- **all units**: every candidate unit the pipeline extracted;
- **whole text**: the query text as one claim through the same index (what `match_claims` does
  with an untitled collection; the reference row).

Dev splits only (the test splits are held out). Embeddings go through the training disk cache
(`training/matching/cache.py`, its own copy under /tmp), so a re-run is quick. Writes
bench/results/known-factchecks-map.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results" / "known-factchecks-map.md"
CACHE = Path(tempfile.gettempdir()) / "kfc-matching-cache"


def setup(db_path: str, index_dir: str) -> None:
    shared = Path("/tmp/claimtracker-matching-cache/embeddings.npz")
    CACHE.mkdir(exist_ok=True)
    if shared.exists() and not (CACHE / "embeddings.npz").exists():
        shutil.copy(shared, CACHE / "embeddings.npz")  # a copy: never write a shared cache
    os.environ["CLAIMTRACKER_MATCHING_CACHE"] = str(CACHE)
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "claimtracker.settings.test"
    os.environ["CLAIMTRACKER_VECTOR_INDEX_DIR"] = index_dir
    import django

    django.setup()
    from django.conf import settings

    settings.CLAIMTRACKER_VECTOR_INDEX_DIR = Path(index_dir)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def feed(name: str, collection: list[tuple[str, str, str]]) -> tuple[bytes, dict[str, str]]:
    """The collection as a DataCommons ClaimReview feed; and URL -> verified-claim id."""
    items, ids = [], {}
    for claim_id, text, title in collection:
        url = f"https://{name}.checkthat.example/vclaim/{quote(claim_id)}"
        ids[url] = claim_id
        items.append(
            {
                "@type": "ClaimReview",
                "url": url,
                "claimReviewed": text,
                "description": title,
                "author": {"@type": "Organization", "name": "CheckThat!"},
                "reviewRating": {"@type": "Rating", "alternateName": "verified"},
                "inLanguage": "en",
            }
        )
    body = {"@context": "https://schema.org", "@type": "DataFeed", "dataFeedElement": [
        {"@type": "DataFeedItem", "item": items}
    ]}  # fmt: skip
    return json.dumps(body).encode(), ids


def collection_of(name: str, *, titled: bool) -> list[tuple[str, str, str]]:
    """(id, claimReviewed, description): the verified claim, with its title appended when
    `titled` (how CheckThat! collections are usually matched, and what the model card reports)."""
    from training.matching.datasets import load

    untitled = load(name, "dev", with_title=False).collection
    full = dict(load(name, "dev", with_title=True).collection)
    out = []
    for claim_id, text in untitled:
        whole = full.get(claim_id, text)
        title = whole[len(text) :].strip() if whole.startswith(text) else ""
        out.append((claim_id, whole if titled else text, title))
    return out


def search(texts: list[str]):
    import numpy as np

    from claims.nlp.matching import claim_embeddings, english_claim_embeddings
    from claims.services.factchecks.matching import factchecks_find_candidates
    from claims.services.matching.config import english_signal_enabled

    vectors = claim_embeddings(texts)
    english = english_claim_embeddings(texts) if english_signal_enabled() else [None] * len(texts)
    found = []
    # One text per search, as the worker searches an article's few claims (the candidate set
    # of a batch is the union of its texts' candidates).
    for text, vector, en in zip(texts, vectors, english, strict=True):
        found += factchecks_find_candidates(
            texts=[text],
            vectors=[np.asarray(vector)[None, :]],
            english_vectors=[None if en is None else np.asarray(en)[None, :]],
            top=20,
        )
    return found


def rankings(owners: list[str], texts: list[str], url_ids: dict[int, str]) -> dict:
    best: dict[str, dict[str, float]] = {}
    for owner, found in zip(owners, search(texts) if texts else [], strict=True):
        scores = best.setdefault(owner, {})
        for cand in found:
            claim_id = url_ids[int(cand.id)]
            scores[claim_id] = max(scores.get(claim_id, 0.0), cand.score)
    return {q: sorted(s, key=lambda i: -s[i]) for q, s in best.items()}


def evaluate(name: str, *, titled: bool) -> dict:
    from claims.ingest.factchecks import parse_dump
    from claims.models import KnownFactCheck
    from claims.nlp.extract import extract_claims_batch
    from claims.nlp.matching import vectors
    from claims.services.factchecks.index import factcheck_index_reset, factcheck_index_update
    from claims.services.factchecks.matching import factchecks_embed_missing
    from claims.services.factchecks.store import factchecks_store
    from training.matching.cache import CachedEmbedder, minilm_cached_embedder
    from training.matching.datasets import load, metrics

    embedder, english = CachedEmbedder(), minilm_cached_embedder()
    vectors.default_embedder = embedder
    vectors.default_english_embedder = english
    KnownFactCheck.objects.all().delete()
    body, ids = feed(name, collection_of(name, titled=titled))
    started = time.perf_counter()
    outcomes = factchecks_store(reviews=parse_dump(body))
    stored = time.perf_counter() - started
    started = time.perf_counter()
    factchecks_embed_missing()
    embedded = time.perf_counter() - started
    url_ids = dict(KnownFactCheck.objects.values_list("pk", "url"))
    url_ids = {pk: ids[url] for pk, url in url_ids.items()}
    factcheck_index_reset()
    started = time.perf_counter()
    factcheck_index_update(rebuild=True, wait=True)  # a fresh generation of this collection
    indexed = time.perf_counter() - started

    data = load(name, "dev")
    qids = [q for q, _ in data.queries]
    started = time.perf_counter()
    extracted = extract_claims_batch([t for _, t in data.queries], "en")
    extraction = time.perf_counter() - started
    rows = {}
    for variant in ("app", "all units", "whole text"):
        owners, texts = [], []
        for qid, (_, text), claims in zip(qids, data.queries, extracted, strict=True):
            if variant == "whole text":
                owners.append(qid)
                texts.append(" ".join(text.split()))
                continue
            for claim in claims:
                if not claim.candidate or (variant == "app" and not claim.checkworthy):
                    continue
                owners.append(qid)
                texts.append(claim.standalone or claim.text)
        ranked = rankings(owners, texts, url_ids)
        result = metrics(ranked, data.qrels)
        result["queries with a claim"] = round(len(set(owners)) / max(len(qids), 1), 3)
        rows[variant] = result
    embedder.save()
    english.save()
    return {
        "dataset": name + (" (claim + title)" if titled else " (claim only)"),
        "collection": len(outcomes),
        "imported": sum(o.status == "imported" for o in outcomes),
        "queries": len(qids),
        "store_s": round(stored, 2),
        "embed_s": round(embedded, 1),
        "extract_s": round(extraction, 1),
        "index_s": round(indexed, 1),
        "rows": rows,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", nargs="*", default=["clef2020", "clef2021"])
    parser.add_argument(
        "--untitled", action="store_true", help="claimReviewed without the claim's title"
    )
    parser.add_argument(
        "--english-signal",
        action="store_true",
        help="also the English encoder (encodes the whole collection with it: slow uncached)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup(str(Path(tmp) / "eval.sqlite3"), str(Path(tmp) / "vector-index"))
        from django.conf import settings

        settings.CLAIMTRACKER_MATCHING = {"ENGLISH_SIGNAL": args.english_signal}
        results = []
        for name in args.datasets:
            results.append(evaluate(name, titled=not args.untitled))
            write(results, english=args.english_signal)
    print(json.dumps(results))


def write(results: list[dict], *, english: bool) -> None:
    lines = [
        "# Known fact-checks: MAP@5 on CheckThat! task 2 dev (`bench/known_factchecks_eval.py`)",
        "",
        "Collection loaded through the store (DataCommons feed → `factchecks_store`), searched",
        "through the shared fact-check index (`factchecks_find_candidates`); queries extracted by",
        "the claim pipeline. English",
        f"signal (`ENGLISH_SIGNAL`): {'on' if english else 'off (multilingual blend only)'}.",
        "",
        "| dataset | queries | variant | MAP@5 | MRR | R@1 | R@5 | R@20 | queries with a claim |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        for variant, m in r["rows"].items():
            lines.append(
                f"| {r['dataset']} dev | {r['queries']} | {variant} | {m['MAP@5']:.3f} | "
                f"{m['MRR']:.3f} | {m['R@1']:.3f} | {m['R@5']:.3f} | {m['R@20']:.3f} | "
                f"{m['queries with a claim']:.2f} |"
            )
    lines += ["", "| dataset | reviews stored | store (s) | vectors (s, cached) | index (s) "
              "| extraction (s) |", "|---|---|---|---|---|---|"]  # fmt: skip
    for r in results:
        lines.append(
            f"| {r['dataset']} | {r['imported']:,} | {r['store_s']} | {r['embed_s']} | "
            f"{r.get('index_s', '')} | {r['extract_s']} |"
        )
    text = "\n".join(lines) + "\n"
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text)
    print(text, flush=True)


if __name__ == "__main__":
    main()
