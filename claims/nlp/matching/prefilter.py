"""Nearest stored vectors of a few query vectors: exact scan, or a low-dimensional shortlist.

The exact scan reads every stored vector for each search: ~200 MB for 100,000 multilingual
vectors (512 float32) and ~150 MB more for the English ones, so a search is bound by memory
bandwidth (~40 ms here at 100,000 claims). Above `MatchConfig.prefilter_min_claims` the index
keeps a second, projected copy of each vector (`PROJECTION_FILE`: fixed linear maps fitted
offline, see training/matching/projection.py), reads only that copy to shortlist
`MatchConfig.prefilter_shortlist` rows per query vector, and computes the exact cosine for the
shortlisted rows. The neighbour lists are the exact ones whenever the exact top-k lie within the
shortlist; the tests and bench/results/matching-db.md measure how often they do.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np

PROJECTION_FILE = Path(__file__).with_name("projection.npz")

# Rows of one block of `similarities`: ~256 KiB of float32, which stays in the L2 cache while
# each query vector is multiplied with it.
_BLOCK_BYTES = 256 * 1024


@cache
def shipped_projections() -> dict[str, np.ndarray]:
    """{"multilingual": (512, d), "english": (384, d)} float32, read-only; {} if not shipped."""
    if not PROJECTION_FILE.exists():
        return {}
    with np.load(PROJECTION_FILE) as data:
        out = {name: np.ascontiguousarray(data[name], dtype=np.float32) for name in data.files}
    for matrix in out.values():
        matrix.setflags(write=False)
    return out


def similarities(vectors: np.ndarray, queries: np.ndarray) -> np.ndarray:
    """`queries @ vectors.T` ((q, n) float32) for a handful of query vectors, in one pass over
    `vectors`.

    The product is memory-bound: one matrix-vector product per query vector reads the whole
    matrix each time, and numpy's matrix-matrix path is slower still with one BLAS thread. Here
    each block of rows is read from memory once and multiplied with every query vector while it
    is in cache (-30% for two vectors); each value is the same row-by-vector product as
    `vectors @ v`.
    """
    queries = np.ascontiguousarray(queries, dtype=np.float32)
    n = len(vectors)
    out = np.empty((len(queries), n), dtype=np.float32)
    if len(queries) == 1:
        np.dot(vectors, queries[0], out=out[0])
        return out
    block_rows = max(64, _BLOCK_BYTES // (4 * max(1, vectors.shape[1])))
    for start in range(0, n, block_rows):
        block = vectors[start : start + block_rows]
        end = start + len(block)
        for j, vector in enumerate(queries):
            np.dot(block, vector, out=out[j, start:end])
    return out


# Above this many scores per wanted one, `top_k` first narrows them down with a threshold read
# off a strided sample (one pass, no sort), so argpartition works on a few thousand values.
_SAMPLE_STRIDE = 16


def top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Positions of the `k` highest finite scores (any order)."""
    k = min(k, len(scores))
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    positions = None
    if len(scores) > 8 * _SAMPLE_STRIDE * k:
        # In a sample of every s-th score, each value at or above the sample's r-th best stands
        # for ~s values of all: rank 2k/s leaves ~2k values above the threshold, and if a skewed
        # sample leaves fewer than k, the plain argpartition below runs instead.
        sample = scores[::_SAMPLE_STRIDE]
        rank = min(len(sample) - 1, 2 * k // _SAMPLE_STRIDE + 1)
        threshold = np.partition(sample, len(sample) - 1 - rank)[len(sample) - 1 - rank]
        above = np.flatnonzero(scores >= threshold)
        if len(above) >= k:
            positions = above
    if positions is None:
        top = np.argpartition(-scores, k - 1)[:k]
    else:
        top = positions[np.argpartition(-scores[positions], k - 1)[:k]]
    return top[np.isfinite(scores[top])]


def shortlist(
    projected: np.ndarray,
    projection: np.ndarray,
    queries: np.ndarray,
    *,
    alive: np.ndarray,
    size: int,
) -> np.ndarray:
    """Sorted positions of the `size` best live rows of `projected` for each query vector (their
    union), by the projected vectors' dot products."""
    approx = similarities(projected, queries @ projection)
    approx[:, np.flatnonzero(~alive)] = -np.inf  # few dead rows: their columns only
    return np.unique(np.concatenate([top_k(row, size) for row in approx]))
