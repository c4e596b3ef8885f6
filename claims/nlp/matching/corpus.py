"""Collection statistics of fixed size, shared by every process through memory-mapped files.

What the scoring needs from the whole collection is counts, not claims: in how many claims each
word (hashed unigrams and bigrams, `features.N_FEATURES` buckets) and each character n-gram
occurs, how many claims there are and their total (sublinear) length, and, for the database's
full-text query, in how many claims each lexeme or word occurs. All are arrays of 2**20 int32
(4 MiB each) whatever the number of claims, so a worker's memory does not grow with the
collection. Hashes are stable across processes (CRC-32 and scikit-learn's MurmurHash), since the
writer and the readers are different processes.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .features import N_FEATURES, char_counts, term_frequencies

_MASK = N_FEATURES - 1


def bucket(token: str) -> int:
    """Stable hash bucket of a word or lexeme (the same in every process)."""
    return zlib.crc32(token.encode("utf-8", "surrogatepass")) & _MASK


class HashedCounts(Mapping[str, int]):
    """Read-only `token -> count` over a hashed count array (a collision only adds counts).

    Behaves like the Counter it replaces for `rare_words` / `rare_lexemes` (`.get(token, 0)`).
    """

    def __init__(self, counts: np.ndarray):
        self.counts = counts

    def __getitem__(self, token: str) -> int:
        return int(self.counts[bucket(token)])

    def get(self, token: str, default: int = 0) -> int:  # type: ignore[override]
        value = int(self.counts[bucket(token)])
        return value if value else default

    def __iter__(self) -> Iterator[str]:  # counts of hashes: there are no keys to list
        return iter(())

    def __len__(self) -> int:
        return int(np.count_nonzero(self.counts))

    def add(self, tokens: Iterable[str]) -> None:
        for token in tokens:
            self.counts[bucket(token)] += 1


def distinct_buckets(token_sets: Iterable[Iterable[str]]) -> np.ndarray:
    """`bucket` of each distinct token of each set, all sets in one array (int64).

    What `HashedCounts.add(set(tokens))` per set counts: a token once per set, two distinct
    tokens of a set falling in one bucket twice. The writer counts tens of tokens per claim and
    words recur across claims, so each distinct token of the batch is hashed once.
    """
    seen: dict[str, int] = {}
    buckets: list[int] = []
    for tokens in token_sets:
        distinct = tokens if isinstance(tokens, (set, frozenset)) else set(tokens)
        for token in distinct:
            b = seen.get(token)
            if b is None:
                b = seen[token] = bucket(token)
            buckets.append(b)
    return np.array(buckets, dtype=np.int64)


_BINCOUNT_FROM = 30_000


def _add_counts(counts: np.ndarray, features: np.ndarray) -> None:
    """`np.add.at(counts, features, 1)`; for a writer's batch (~400,000 features per 10,000
    claims) one bincount over the whole array instead: ~2.5 ms against ~60 ms. Below ~30,000
    features (a few claims) the bincount's 2**20 zeros cost more than `add.at`."""
    if len(features) < _BINCOUNT_FROM:
        np.add.at(counts, features, 1)
    else:
        counts += np.bincount(features, minlength=len(counts)).astype(counts.dtype, copy=False)


_ARRAYS = ("word_df", "char_df", "lexeme_df", "claim_word_df")


@dataclass
class CorpusStatistics:
    """Document frequencies and sizes of the indexed collection (see the module docstring)."""

    word_df: np.ndarray  # hashed word unigram+bigram features (features.py)
    char_df: np.ndarray  # hashed character 3-5-grams (features.char_counts)
    lexeme_df: np.ndarray  # PostgreSQL lexemes, by `bucket` (the full-text query's word choice)
    claim_word_df: np.ndarray  # casefolded words, by `bucket` (SQLite's word index, fallback)
    n: int = 0
    total_length: float = 0.0

    @classmethod
    def empty(cls) -> CorpusStatistics:
        return cls(*(np.zeros(N_FEATURES, dtype=np.int32) for _ in _ARRAYS))

    def copy(self) -> CorpusStatistics:
        return CorpusStatistics(
            *(np.array(getattr(self, name)) for name in _ARRAYS), self.n, self.total_length
        )

    def add(
        self,
        cleaned_texts: Sequence[str],
        *,
        words: Iterable[Iterable[str]] = (),
        lexemes: Iterable[Iterable[str]] = (),
    ) -> None:
        """Count claims in (their normalised texts, and their words and lexemes if given)."""
        if not cleaned_texts:
            return
        tf = term_frequencies(cleaned_texts)
        # Each feature occurs once per row (CSR), once per text (char_counts' distinct pairs):
        # one bincount per array instead of `np.add.at`'s element-wise loop (the same counts).
        _add_counts(self.word_df, tf.indices)
        self.total_length += float(tf.sum())
        _rows, features, _counts = char_counts(cleaned_texts)
        _add_counts(self.char_df, features)
        self.n += len(cleaned_texts)
        _add_counts(self.claim_word_df, distinct_buckets(words))
        _add_counts(self.lexeme_df, distinct_buckets(lexemes))

    def save(self, directory: Path) -> None:
        for name in _ARRAYS:
            np.save(directory / f"{name}.npy", getattr(self, name))
        np.save(directory / "sizes.npy", np.array([self.n, self.total_length], dtype=np.float64))

    @classmethod
    def load(cls, directory: Path) -> CorpusStatistics:
        """Memory-mapped, read-only: every process on the machine shares the pages."""
        arrays = [np.load(directory / f"{name}.npy", mmap_mode="r") for name in _ARRAYS]
        n, total = np.load(directory / "sizes.npy")
        return cls(*arrays, int(n), float(total))


class WordPostings:
    """Word bucket -> sorted claim ids (CSR), for the SQLite quick start's lexical candidates.

    PostgreSQL has its full-text index for this; SQLite gets a file written beside the vector
    index, memory-mapped like it (8 bytes per word occurrence, so meant for small collections).
    """

    def __init__(self, indptr: np.ndarray, ids: np.ndarray):
        self.indptr, self.ids = indptr, ids

    @classmethod
    def build(cls, claim_ids: Sequence[int], claim_words: Sequence[Iterable[str]]) -> WordPostings:
        pairs = sorted(
            {(bucket(w), int(i)) for i, ws in zip(claim_ids, claim_words, strict=True) for w in ws}
        )
        keys = np.fromiter((b for b, _i in pairs), dtype=np.int64, count=len(pairs))
        ids = np.fromiter((i for _b, i in pairs), dtype=np.int64, count=len(pairs))
        indptr = np.searchsorted(keys, np.arange(N_FEATURES + 1)).astype(np.int64)
        return cls(indptr, ids)

    def lookup(self, word: str) -> np.ndarray:
        b = bucket(word)
        return self.ids[self.indptr[b] : self.indptr[b + 1]]

    def save(self, directory: Path) -> None:
        np.save(directory / "postings_indptr.npy", self.indptr)
        np.save(directory / "postings_ids.npy", self.ids)

    @classmethod
    def load(cls, directory: Path) -> WordPostings | None:
        if not (directory / "postings_ids.npy").exists():
            return None
        return cls(
            np.load(directory / "postings_indptr.npy", mmap_mode="r"),
            np.load(directory / "postings_ids.npy", mmap_mode="r"),
        )
