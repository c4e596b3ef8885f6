"""Collection statistics of fixed size, shared by every process through memory-mapped files.

What the scoring needs from the whole collection is counts, not claims: in how many claims each
word (hashed unigrams and bigrams, `lexical.N_FEATURES` buckets) and each character n-gram
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

from .lexical import N_FEATURES, char_counts, term_frequencies

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


_ARRAYS = ("word_df", "char_df", "lexeme_df", "claim_word_df")


@dataclass
class CorpusStatistics:
    """Document frequencies and sizes of the indexed collection (see the module docstring)."""

    word_df: np.ndarray  # hashed word unigram+bigram features (lexical.py)
    char_df: np.ndarray  # hashed character 3-5-grams (lexical.char_counts)
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
        np.add.at(self.word_df, tf.indices, 1)
        self.total_length += float(tf.sum())
        _rows, features, _counts = char_counts(cleaned_texts)
        np.add.at(self.char_df, features, 1)
        self.n += len(cleaned_texts)
        for claim_words in words:
            HashedCounts(self.claim_word_df).add(set(claim_words))
        for claim_lexemes in lexemes:
            HashedCounts(self.lexeme_df).add(set(claim_lexemes))

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
