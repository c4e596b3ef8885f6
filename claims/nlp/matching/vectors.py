"""Sentence vectors as the matching index stores them: encoders and bytes.

Two encoders, both loaded lazily on first use: the multilingual USE (512 values, every claim)
and all-MiniLM-L6-v2 (384 values, English claims only). The app stores both as little-endian
float32 bytes so a worker rebuilds its index without re-embedding.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from .text import is_english, normalise_claim_text

EMBEDDING_DIM = 512
ENGLISH_DIM = 384
Embedder = Callable[[Sequence[str]], np.ndarray]


def default_embedder(texts: Sequence[str]) -> np.ndarray:
    from claims.nlp.embeddings import embed  # lazy: loads the encoder only when first needed

    return embed(texts)


def default_english_embedder(texts: Sequence[str]) -> np.ndarray:
    from claims.nlp.minilm import embed_english  # lazy, like the multilingual encoder

    return embed_english(texts)


def claim_embeddings(texts: Sequence[str], embedder: Embedder | None = None) -> np.ndarray:
    """Embeddings of claims as the index stores them: (n, 512) float32 of the normalised texts."""
    embedder = embedder or default_embedder
    cleaned = [normalise_claim_text(t) or t for t in texts]
    return np.asarray(embedder(cleaned), dtype=np.float32).reshape(len(texts), EMBEDDING_DIM)


def english_claim_embeddings(
    texts: Sequence[str], embedder: Embedder | None = None
) -> list[np.ndarray | None]:
    """English-encoder embeddings as the index stores them: (384,) float32 per English claim,
    None for the others (German: the multilingual embedding alone serves them)."""
    cleaned = [normalise_claim_text(t) or t for t in texts]
    english = [i for i, t in enumerate(cleaned) if is_english(t)]
    out: list[np.ndarray | None] = [None] * len(texts)
    if english:
        vectors = np.asarray(
            (embedder or default_english_embedder)([cleaned[i] for i in english]),
            dtype=np.float32,
        ).reshape(len(english), ENGLISH_DIM)
        for i, vector in zip(english, vectors, strict=True):
            out[i] = vector
    return out


def embedding_to_bytes(vector: np.ndarray, dim: int = EMBEDDING_DIM) -> bytes:
    return np.asarray(vector, dtype="<f4").reshape(dim).tobytes()


def embedding_from_bytes(data: bytes, dim: int = EMBEDDING_DIM) -> np.ndarray:
    return np.frombuffer(data, dtype="<f4").reshape(dim).astype(np.float32)
