"""Embed every split once and keep the vectors under /tmp (never in the repo).

The cache file is keyed by a hash of the split's texts, so changed data is re-embedded.
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from pathlib import Path

import numpy as np

CACHE_DIR = Path(os.environ.get("CHECKWORTHINESS_CACHE", "/tmp/checkworthiness-cache"))  # noqa: S108


def cached_embeddings(name: str, texts: list[str]) -> np.ndarray:
    digest = hashlib.sha256("\x00".join(texts).encode()).hexdigest()[:16]
    path = CACHE_DIR / f"{name}-{digest}.npy"
    if path.exists():
        return np.load(path)
    from claims.nlp.embeddings import embed

    t0 = time.perf_counter()
    vectors = embed(texts)
    seconds = time.perf_counter() - t0
    print(f"embedded {name}: {len(texts)} texts in {seconds:.1f}s", file=sys.stderr)
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    return vectors


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from training.checkworthiness.data import all_splits

    root = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/datasets")
    for split in all_splits(root).values():
        cached_embeddings(split.name, split.texts)
