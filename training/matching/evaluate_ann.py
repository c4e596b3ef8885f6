"""Matching through the shared vector index against the exact in-memory index, on dev.

    OMP_NUM_THREADS=1 python -m training.matching.evaluate_ann [--datasets clef2020 de]

Per dataset: MAP@5 of `match_claims` (the core's `ClaimIndex` over the whole collection, exact
semantic search: the reference), MAP@5 of the app's path (candidates from the usearch HNSW index
of claims/nlp/matching/shared.py, int8, plus the lexical top (the core's own TF-IDF search
stands in for PostgreSQL's full-text query) and exact copies, scored by a `ClaimIndex` built
over those candidates only with the whole collection's counts, as
`claims_find_candidates` does), and recall@10 of the HNSW search against the exact scan for the
queries' vectors. Embeddings come from the same /tmp caches as evaluate.py.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np

from claims.nlp.matching import ClaimIndex, MatchConfig, normalise_claim_text
from claims.nlp.matching.features import term_frequencies
from claims.nlp.matching.prefilter import top_k
from claims.nlp.matching.shared import GenerationBuilder, IndexParameters, SharedVectorIndex
from claims.nlp.matching.text import exact_key
from claims.nlp.matching.tsv import read_tsv

from .cache import CachedEmbedder, minilm_cached_embedder
from .datasets import load, metrics, read_qrels, write_tsvs


def _adapted(vectors: np.ndarray, adapter: np.ndarray | None) -> np.ndarray:
    if adapter is None:
        return vectors
    adapted = vectors @ adapter
    adapted /= np.maximum(np.linalg.norm(adapted, axis=1, keepdims=True), 1e-9)
    return np.vstack([vectors, adapted])


def evaluate(name: str, split: str, outdir: Path, params: IndexParameters, overfetch: float):
    embedder, english_embedder = CachedEmbedder(), minilm_cached_embedder()
    collection_tsv, queries_tsv, qrels_tsv = write_tsvs(load(name, split), outdir)
    collection, queries = read_tsv(collection_tsv), read_tsv(queries_tsv)
    qrels = read_qrels(qrels_tsv)
    config = MatchConfig()
    full = ClaimIndex(config=config, embedder=embedder, english_embedder=english_embedder)
    ids = [i for i, _ in collection]
    full.add(ids, [t for _, t in collection])
    texts = [t for _, t in queries]
    exact = full.search(texts, top=20)
    reference = {q: [m.id for m in found] for (q, _), found in zip(queries, exact, strict=True)}

    # The shared index, as the writer builds it from stored vectors.
    directory = Path(tempfile.mkdtemp())
    builder = GenerationBuilder(directory, params)
    keys = np.arange(len(ids), dtype=np.int64)
    vectors = np.stack([full.embedding(i) for i in ids])
    builder.add("multilingual", keys, vectors)
    english = [(k, full.english_embedding(i)) for k, i in zip(keys, ids, strict=True)]
    english = [(k, v) for k, v in english if v is not None]
    if english:
        builder.add("english", np.array([k for k, _ in english]), np.stack([v for _, v in english]))
    cleaned_collection = [normalise_claim_text(t) or t for _, t in collection]
    builder.stats.add(cleaned_collection)
    builder.commit(high_water=len(ids))
    shared = SharedVectorIndex(directory)
    shared.refresh()

    cleaned = [normalise_claim_text(t) or t for t in texts]
    q_vectors = full._query_embeddings(cleaned)
    en_vectors = full._english_query_embeddings(cleaned)
    lexical_all = full._lexical.scores(term_frequencies(cleaned))
    want = int(config.semantic_candidates * overfetch)
    by_key: dict[str, list[int]] = {}
    for k, text in enumerate(cleaned_collection):
        by_key.setdefault(exact_key(text), []).append(k)
    rankings, hits, seconds = {}, [], []
    for q, (query_id, text) in enumerate(queries):
        started = time.perf_counter()
        wanted = set(shared.search("multilingual", _adapted(q_vectors[q], config.adapter), want))
        if en_vectors[q] is not None:
            wanted |= set(
                shared.search("english", _adapted(en_vectors[q], config.english_adapter), want)
            )
        lexical = top_k(lexical_all[q], config.lexical_candidates).tolist()
        wanted |= set(lexical) | set(by_key.get(exact_key(cleaned[q]), ()))
        rows = sorted(int(r) for r in wanted)
        small = ClaimIndex(config=config)
        small.use_statistics(shared.stats)
        small.add(
            [ids[r] for r in rows],
            [collection[r][1] for r in rows],
            embeddings=vectors[rows],
            english_embeddings=[full.english_embedding(ids[r]) for r in rows],
        )
        (found,) = small.search(
            [text],
            top=20,
            lexical_candidates=[[ids[r] for r in lexical]],
            query_embeddings=[q_vectors[q]],
            english_query_embeddings=[en_vectors[q]],
        )
        seconds.append(time.perf_counter() - started)
        rankings[query_id] = [m.id for m in found]
        whole = q_vectors[q][:1]
        truth = set(np.argsort(-(vectors @ whole[0]))[:10].tolist())
        hits.append(len(truth & set(shared.search("multilingual", whole, 10).tolist())) / 10)
    return {
        "dataset": name,
        "split": split,
        "claims": len(ids),
        "queries": len(queries),
        "exact MAP@5": metrics(reference, qrels)["MAP@5"],
        "shared index MAP@5": metrics(rankings, qrels)["MAP@5"],
        "shared index R@1": metrics(rankings, qrels)["R@1"],
        "exact R@1": metrics(reference, qrels)["R@1"],
        "same top 5": round(
            float(np.mean([reference[q][:5] == rankings[q][:5] for q in reference])), 3
        ),
        "HNSW recall@10 vs exact": round(float(np.mean(hits)), 4),
        "ms per query (app path, no database)": round(1000 * float(np.median(seconds)), 1),
        "dtype": params.dtype,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", nargs="*", default=["clef2020", "de"])
    parser.add_argument("--split", default="dev", choices=("train", "dev"))
    parser.add_argument("--outdir", type=Path, default=Path("/tmp/matching"))  # noqa: S108
    parser.add_argument("--dtype", default="i8")
    parser.add_argument("--overfetch", type=float, default=2.0)
    args = parser.parse_args()
    params = IndexParameters(dtype=args.dtype)
    for name in args.datasets:
        print(
            json.dumps(evaluate(name, args.split, args.outdir, params, args.overfetch)), flush=True
        )


if __name__ == "__main__":
    main()
