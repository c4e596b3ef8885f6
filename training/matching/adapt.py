"""Learn the query-side linear adapter for the multilingual sentence embeddings.

The encoder's weights are fixed (numpy inference only), but a 512x512 map applied to the query
embedding, kept close to the identity, moves "a tweet/post/debate sentence about X" towards "a
fact-checker's claim about X". Trained with a softmax over each dataset's whole collection
(in-collection negatives), L2-pulled towards the identity so that the cross-lingual alignment of
the original space survives (checked by the cross-lingual test set).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from claims.nlp.matching.vectors import ENGLISH_DIM, claim_embeddings, english_claim_embeddings

from .cache import CachedEmbedder
from .datasets import MatchingSet

TAU = 0.05  # softmax temperature over cosines
L2_TO_IDENTITY = 0.1
LEARNING_RATE = 2e-3
STEPS = 60


def _english_vectors(texts: Sequence[str], embedder: CachedEmbedder) -> np.ndarray:
    # Zeros for the odd non-English text: it then matches nothing, as in the index.
    return np.stack(
        [
            np.zeros(ENGLISH_DIM, np.float32) if v is None else v
            for v in english_claim_embeddings(texts, embedder)
        ]
    )


def training_arrays(
    data: MatchingSet,
    embedder: CachedEmbedder,
    query_ids: Sequence[str] | None = None,
    *,
    english: bool = False,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(queries, collection, target distribution) for one dataset split.

    `english`: vectors of the English encoder (`embedder` must then be that encoder's).
    """
    ids = [i for i, _ in data.collection]
    pos = {i: k for k, i in enumerate(ids)}
    queries = [(q, t) for q, t in data.queries if query_ids is None or q in query_ids]
    vectors = _english_vectors if english else claim_embeddings
    collection = vectors([t for _, t in data.collection], embedder)
    q_vectors = vectors([t for _, t in queries], embedder)
    target = np.zeros((len(queries), len(ids)), dtype=np.float32)
    for k, (q, _) in enumerate(queries):
        for doc in data.qrels.get(q, ()):
            target[k, pos[doc]] = 1.0
    target /= np.maximum(target.sum(axis=1, keepdims=True), 1.0)
    return q_vectors, collection, target


def fit_adapter(
    sets: Sequence[tuple[np.ndarray, np.ndarray, np.ndarray]],
    *,
    steps: int = STEPS,
    l2: float = L2_TO_IDENTITY,
    learning_rate: float = LEARNING_RATE,
) -> np.ndarray:
    """Adam on the mean (over datasets) softmax cross-entropy; returns A (d x d, float32)."""
    eye = np.eye(sets[0][0].shape[1], dtype=np.float32)
    adapter = eye.copy()
    m = np.zeros_like(adapter)
    v = np.zeros_like(adapter)
    for step in range(1, steps + 1):
        grad = l2 * (adapter - eye)
        for queries, collection, target in sets:
            logits = (queries @ adapter) @ collection.T / TAU
            logits -= logits.max(axis=1, keepdims=True)
            probs = np.exp(logits)
            probs /= probs.sum(axis=1, keepdims=True)
            grad += queries.T @ ((probs - target) @ collection) / (TAU * len(queries) * len(sets))
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad * grad
        m_hat = m / (1 - 0.9**step)
        v_hat = v / (1 - 0.999**step)
        adapter -= learning_rate * m_hat / (np.sqrt(v_hat) + 1e-8)
    return adapter.astype(np.float32)
