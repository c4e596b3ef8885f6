"""Fit the projections of the matching index's shortlist pass (claims/nlp/matching/prefilter.py).

    OMP_NUM_THREADS=1 python -m training.matching.projection [--dims 96] [--english-dims 96]

Each projection is the top principal directions (uncentred: the directions that keep most of the
dot products) of sentence vectors of claim-like sentences that are not in any matching dataset:
the check-worthiness training splits (ClaimBuster crowdsourced, CheckThat! 2019 train, GermEval
2021 train; licences in ../shared/datasets/README.md). The multilingual one is fitted on English
and German sentences, the English encoder's on the English ones. Writes
claims/nlp/matching/projection.npz and prints the share of the squared norm each keeps.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

import numpy as np

from claims.nlp.matching.prefilter import PROJECTION_FILE
from claims.nlp.matching.vectors import claim_embeddings, english_claim_embeddings
from training.checkworthiness.data import all_splits

from .cache import CachedEmbedder, minilm_cached_embedder

SPLITS = {"claimbuster-crowdsourced": 8000, "ct19-train": 4000, "germeval-train": None}
SEED = 5


def principal_directions(vectors: np.ndarray, dims: int) -> tuple[np.ndarray, float]:
    """(d x dims) float32 projection and the share of the squared norm it keeps."""
    _, singular, vt = np.linalg.svd(vectors.astype(np.float64), full_matrices=False)
    kept = float((singular[:dims] ** 2).sum() / (singular**2).sum())
    return np.ascontiguousarray(vt[:dims].T, dtype=np.float32), kept


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/datasets"))
    parser.add_argument("--dims", type=int, default=128)
    parser.add_argument("--english-dims", type=int, default=128)
    parser.add_argument("--out", type=Path, default=PROJECTION_FILE)
    args = parser.parse_args()
    rng = random.Random(SEED)
    splits = all_splits(args.data)
    texts: list[str] = []
    english: list[str] = []
    for name, cap in SPLITS.items():
        split = splits[name]
        chosen = split.texts if cap is None else rng.sample(split.texts, min(cap, len(split.texts)))
        texts += chosen
        if split.lang == "en":
            english += chosen
    multilingual = claim_embeddings(texts, CachedEmbedder())
    english_vectors = [
        v for v in english_claim_embeddings(english, minilm_cached_embedder()) if v is not None
    ]
    projection, kept = principal_directions(multilingual, args.dims)
    english_projection, english_kept = principal_directions(
        np.stack(english_vectors), args.english_dims
    )
    np.savez(args.out, multilingual=projection, english=english_projection)
    print(
        f"multilingual: {len(texts)} sentences, {args.dims} dims keep {kept:.1%}; "
        f"english: {len(english_vectors)} sentences, {args.english_dims} dims keep "
        f"{english_kept:.1%}; wrote {args.out}"
    )


if __name__ == "__main__":
    main()
