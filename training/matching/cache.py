"""A disk cache around the sentence encoders for tuning runs (tens of thousands of texts)."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from claims.nlp.embeddings import EMBEDDING_DIM, embed

CACHE_DIR = Path(
    os.environ.get("CLAIMTRACKER_MATCHING_CACHE", "/tmp/claimtracker-matching-cache")  # noqa: S108
)
DEFAULT_CACHE = CACHE_DIR / "embeddings.npz"
MINILM_CACHE = CACHE_DIR / "minilm.npz"


class CachedEmbedder:
    def __init__(
        self,
        path: Path = DEFAULT_CACHE,
        *,
        embed_fn: Callable[[Sequence[str]], np.ndarray] = embed,
        dim: int = EMBEDDING_DIM,
    ) -> None:
        self.path = path
        self._embed = embed_fn
        self._dim = dim
        self._vectors: dict[str, np.ndarray] = {}
        self._dirty = False
        if path.exists():
            with np.load(path) as data:
                for key, row in zip(data["keys"], data["vectors"], strict=True):
                    self._vectors[str(key)] = row

    @staticmethod
    def _key(text: str) -> str:
        return hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        keys = [self._key(t) for t in texts]
        missing = sorted(
            {k: t for k, t in zip(keys, texts, strict=True) if k not in self._vectors}.items()
        )
        if missing:
            vectors = self._embed([t for _, t in missing])
            for (key, _), vector in zip(missing, vectors, strict=True):
                self._vectors[key] = vector
            self._dirty = True
            if len(missing) > 500:
                self.save()
        if not keys:
            return np.zeros((0, self._dim), dtype=np.float32)
        return np.stack([self._vectors[k] for k in keys])

    def save(self) -> None:
        if not self._dirty:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        keys = np.array(list(self._vectors))
        tmp = self.path.with_suffix(".tmp.npz")
        np.savez(tmp, keys=keys, vectors=np.stack(list(self._vectors.values())))
        tmp.replace(self.path)
        self._dirty = False


def minilm_cache_path(delta: Path | None) -> Path:
    """One cache per English model: the base one, or per fine-tuned delta (by its bytes)."""
    if delta is None:
        return MINILM_CACHE
    digest = hashlib.sha1(delta.read_bytes(), usedforsecurity=False).hexdigest()[:12]
    return CACHE_DIR / f"minilm-{digest}.npz"


def minilm_tag(delta: Path | None = None) -> str:
    """Names what the English encoder is now, or the one of `delta` (for caches of things derived
    from its vectors)."""
    from claims.nlp.minilm import TUNED_FILE

    if delta is not None:
        return minilm_cache_path(delta).stem
    return minilm_cache_path(TUNED_FILE if TUNED_FILE.exists() else None).stem


def minilm_cached_embedder(*, tuned: bool = True) -> CachedEmbedder:
    """The English encoder matching uses (fine-tuned if the delta ships), or the base model."""
    from claims.nlp.minilm import EMBEDDING_DIM as MINILM_DIM
    from claims.nlp.minilm import TUNED_FILE, base_encoder, embed_english

    if tuned and TUNED_FILE.exists():
        return CachedEmbedder(minilm_cache_path(TUNED_FILE), embed_fn=embed_english, dim=MINILM_DIM)
    return CachedEmbedder(MINILM_CACHE, embed_fn=lambda t: base_encoder().encode(t), dim=MINILM_DIM)


def minilm_delta_embedder(delta: Path) -> CachedEmbedder:
    """An English encoder given by its delta file (e.g. one of crossfit.py's per-fold encoders)."""
    from claims.nlp.minilm import EMBEDDING_DIM as MINILM_DIM
    from claims.nlp.minilm import MiniLM

    model: list = []

    def embed_fn(texts: Sequence[str]) -> np.ndarray:
        if not model:
            model.append(MiniLM(delta=delta))
        return model[0].encode(texts)

    return CachedEmbedder(minilm_cache_path(delta), embed_fn=embed_fn, dim=MINILM_DIM)
