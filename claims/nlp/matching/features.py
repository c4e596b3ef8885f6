"""Hashed features of texts: word unigrams and bigrams, and character 3-5-grams.

Split from lexical.py, which scores with them: these are pure functions of one text (hashed, so
no vocabulary), shared by the index writer's document-frequency counts (corpus.py) and the
searches, and cached per text in each process (`CHAR_CACHE`, `TERM_CACHE`).
"""

from __future__ import annotations

import threading
import zlib
from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache
from itertools import pairwise

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer

from .text import words

N_FEATURES = 2**20


def _analyse(text: str) -> list[str]:
    tokens = words(text)
    return tokens + [f"{a} {b}" for a, b in pairwise(tokens)]


_VECTORIZER = HashingVectorizer(
    analyzer=_analyse, n_features=N_FEATURES, alternate_sign=False, norm=None, dtype=np.float32
)


_MASK = N_FEATURES - 1


def _stable_hash(gram: str) -> int:
    # The same in every process: document frequencies are counted by the index writer and read
    # by the workers (corpus.py); Python's own `hash` is salted per process.
    return zlib.crc32(gram.encode("utf-8", "surrogatepass"))


@lru_cache(maxsize=1 << 15)
def _word_char_features(word: str) -> np.ndarray:
    """Hashed features of one lowercased word's character 3-5-grams, in order (int64).

    The same n-grams as scikit-learn's analyzer="char_wb", ngram_range=(3, 5), lowercase=True
    (each word padded with one space). Cached per word: common words recur in every text, and
    slicing and hashing their n-grams was most of the char signal's cost (32,768 words: ~20 MB).
    """
    padded = f" {word} "
    length = len(padded)
    if length <= 3:
        return np.array([_stable_hash(padded) & _MASK], dtype=np.int64)
    if padded.isascii():
        # One byte per character: slices of the encoded word are the n-grams' encodings (the
        # same CRCs without encoding every n-gram; most words the writer hashes are ASCII).
        data, crc = padded.encode("ascii"), zlib.crc32
        ascii_keys = [
            crc(data[i : i + n]) & _MASK for n in (3, 4, 5) for i in range(length - n + 1)
        ]
        return np.array(ascii_keys, dtype=np.int64)
    keys: list[int] = []
    for n in (3, 4, 5):
        if length < n:
            break
        keys.extend(_stable_hash(padded[i : i + n]) & _MASK for i in range(length - n + 1))
    return np.array(keys, dtype=np.int64)


_NO_FEATURES = np.zeros(0, dtype=np.int64)


# Texts up to which `char_counts` and `term_frequencies` read each text's result from a
# per-process cache (a search: the query and its ~100 candidates). Larger calls are the writer's
# batches, computed in one go and not cached.
_CACHED_BATCH = 512


# Cached texts: ~1.9 KiB each for the char n-grams, ~0.6 KiB for the word features (~10 MiB
# for both when full).
_TEXT_CACHE = 4096


class TextCache:
    """A bounded map text -> read-only arrays, least recently used out first (per process).

    The values are pure functions of the text, so nothing is ever invalidated: a corrected
    claim is another text, hence another key. A lock keeps the order consistent when threads
    share a process (a key evicted between a lookup and its move would raise).
    """

    def __init__(self, size: int):
        self.size = size
        self._data: OrderedDict[str, tuple[np.ndarray, ...]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, text: str) -> tuple[np.ndarray, ...] | None:
        with self._lock:
            value = self._data.get(text)
            if value is not None:
                self._data.move_to_end(text)
            return value

    def put(self, text: str, *arrays: np.ndarray) -> tuple[np.ndarray, ...]:
        for array in arrays:
            array.setflags(write=False)
        with self._lock:
            self._data[text] = arrays
            self._data.move_to_end(text)
            if len(self._data) > self.size:
                self._data.popitem(last=False)
        return arrays

    def clear(self) -> None:
        with self._lock:
            self._data.clear()

    def __len__(self) -> int:
        return len(self._data)


CHAR_CACHE = TextCache(_TEXT_CACHE)


TERM_CACHE = TextCache(_TEXT_CACHE)


def char_counts(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, feature, count) of each distinct character 3-5-gram of each text, sorted by row
    then feature: robust to German compounds, inflection, typos.

    Hashed with CRC-32, stable across processes: the collection's document frequencies are
    counted by the index writer and shared with the workers (corpus.py). One sort over all
    texts' n-grams instead of a counter per text (a query's ~100 candidates: ~4x faster); a
    search's few texts are read from a per-process cache (`CHAR_CACHE`: each text's rows of
    that result, so the arrays are the same), a writer's batch is not cached.
    """
    if len(texts) > _CACHED_BATCH or not texts:
        return _char_counts(texts)
    # Candidates recur between searches (the claims a story's repeats are matched against), and
    # counting n-grams was the bulk of the char signal's cost per candidate.
    found = {t: CHAR_CACHE.get(t) for t in texts}
    missing = [t for t, value in found.items() if value is None]
    if missing:
        rows, features, counts = _char_counts(missing)
        bounds = np.searchsorted(rows, np.arange(len(missing) + 1))
        for i, text in enumerate(missing):
            start, end = bounds[i], bounds[i + 1]
            # int32 in the cache (features < 2**20, counts of one text), int64 out as before.
            found[text] = CHAR_CACHE.put(
                text, features[start:end].astype(np.int32), counts[start:end].astype(np.int32)
            )
    per_text = [found[t] for t in texts]
    lengths = [len(f) for f, _c in per_text]
    return (
        np.repeat(np.arange(len(texts), dtype=np.int64), lengths),
        np.concatenate([f for f, _c in per_text]).astype(np.int64),
        np.concatenate([c for _f, c in per_text]).astype(np.int64),
    )


def _char_counts(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`char_counts` without the cache: one sort over all the texts' n-grams."""
    features: list[np.ndarray] = []
    lengths = np.zeros(len(texts), dtype=np.int64)
    for i, text in enumerate(texts):
        arrays = [_word_char_features(w) for w in text.lower().split()]
        features.extend(arrays)
        lengths[i] = sum(map(len, arrays))
    flat = np.concatenate(features) if features else _NO_FEATURES
    keys = (np.repeat(np.arange(len(texts), dtype=np.int64), lengths) << 20) | flat
    keys, counts = np.unique(keys, return_counts=True)
    return keys >> 20, keys & _MASK, counts


def _term_frequencies(texts: Sequence[str]) -> sp.csr_matrix:
    matrix = _VECTORIZER.transform(list(texts)).tocsr()
    matrix.data = 1.0 + np.log(matrix.data)
    return matrix


def term_frequencies(texts: Sequence[str]) -> sp.csr_matrix:
    """Sublinear term frequencies (1 + log tf) of word unigrams and bigrams, hashed.

    Each row depends on its text only: a search's few texts are read from a per-text cache
    (skipping the vectorizer's per-call overhead, ~1 ms, when every text is known) and joined;
    the matrix is the one the vectorizer gives for the whole list.
    """
    if len(texts) > _CACHED_BATCH:
        return _term_frequencies(texts)
    found = {t: TERM_CACHE.get(t) for t in texts}
    missing = [t for t, row in found.items() if row is None]
    if missing:  # one vectorizer call for all the texts not cached yet
        fresh = _term_frequencies(missing)
        for i, text in enumerate(missing):
            start, end = fresh.indptr[i], fresh.indptr[i + 1]
            found[text] = TERM_CACHE.put(
                text, fresh.indices[start:end].copy(), fresh.data[start:end].copy()
            )
    rows = [found[t] for t in texts]
    indptr = np.zeros(len(rows) + 1, dtype=np.int32)
    np.cumsum([len(i) for i, _d in rows], out=indptr[1:])
    indices = np.concatenate([i for i, _d in rows]) if rows else np.zeros(0, np.int32)
    data = np.concatenate([d for _i, d in rows]) if rows else np.zeros(0, np.float32)
    matrix = sp.csr_matrix((data, indices, indptr), shape=(len(rows), N_FEATURES))
    matrix.has_sorted_indices = True  # each row's are, as the vectorizer's output
    return matrix
