"""Incremental word TF-IDF over a claim collection (hashed features, so no vocabulary to refit).

Rows are only appended; removal marks them dead and takes them out of the document frequencies.
The IDF-weighted, length-normalised matrix used for retrieval is rebuilt lazily after a change:
O(non-zeros), a few tens of milliseconds at 100,000 claims, paid by the first search after a batch
of additions rather than by every addition.
"""

from __future__ import annotations

from collections.abc import Sequence
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


_CHAR_VECTORIZER = HashingVectorizer(
    analyzer="char_wb",
    ngram_range=(3, 5),
    lowercase=True,
    n_features=N_FEATURES,
    alternate_sign=False,
    norm=None,
    dtype=np.float32,
)


def char_frequencies(texts: Sequence[str]) -> sp.csr_matrix:
    """Sublinear counts of character 3-5-grams: robust to German compounds, inflection, typos."""
    matrix = _CHAR_VECTORIZER.transform(list(texts)).tocsr()
    matrix.data = 1.0 + np.log(matrix.data)
    return matrix


class CharStatistics:
    """Document frequencies of character n-grams; the vectors themselves are rebuilt per search.

    Storing char n-gram rows for 100,000 claims would cost ~250 MB; the document frequencies cost
    4 MB, and only the few dozen candidates of a query need vectors.
    """

    def __init__(self) -> None:
        self._df = np.zeros(N_FEATURES, dtype=np.int32)
        self._n = 0
        self._idf: np.ndarray | None = None

    def add(self, texts: Sequence[str]) -> None:
        tf = char_frequencies(texts)
        np.add.at(self._df, tf.indices, 1)
        self._n += len(texts)
        self._idf = None

    def remove(self, texts: Sequence[str]) -> None:
        if not texts:
            return
        tf = char_frequencies(texts)
        np.subtract.at(self._df, tf.indices, 1)
        self._n -= len(texts)
        self._idf = None

    def idf(self) -> np.ndarray:
        if self._idf is None:
            self._idf = (np.log((self._n + 1.0) / (self._df + 1.0)) + 1.0).astype(np.float32)
        return self._idf

    def cosines(self, query: str, docs: Sequence[str]) -> np.ndarray:
        idf = self.idf()
        tf = char_frequencies([query, *docs]).multiply(idf).tocsr()
        norms = np.sqrt(np.asarray(tf.multiply(tf).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        sims = np.asarray((tf[1:] @ tf[0].T).todense()).ravel()
        return (sims / (norms[1:] * norms[0])).astype(np.float32)


def term_frequencies(texts: Sequence[str]) -> sp.csr_matrix:
    """Sublinear term frequencies (1 + log tf) of word unigrams and bigrams, hashed."""
    matrix = _VECTORIZER.transform(list(texts)).tocsr()
    matrix.data = 1.0 + np.log(matrix.data)
    return matrix


class LexicalStore:
    def __init__(self) -> None:
        self._blocks: list[sp.csr_matrix] = []
        self._matrix: sp.csr_matrix | None = sp.csr_matrix((0, N_FEATURES), dtype=np.float32)
        self._df = np.zeros(N_FEATURES, dtype=np.int32)
        self._n_alive = 0
        self._weighted: sp.csr_matrix | None = None
        self._idf: np.ndarray | None = None

    def append(self, tf: sp.csr_matrix) -> None:
        self._blocks.append(tf)
        np.add.at(self._df, tf.indices, 1)
        self._n_alive += tf.shape[0]
        self._weighted = None
        self._idf = None

    def kill(self, rows: Sequence[int]) -> None:
        if not rows:
            return
        sub = self.matrix[np.asarray(rows)]
        np.subtract.at(self._df, sub.indices, 1)
        self._n_alive -= len(rows)
        self._weighted = None
        self._idf = None

    def keep(self, rows: np.ndarray) -> None:
        """Compact to the given rows (used after many removals)."""
        self._matrix = self.matrix[rows]
        self._blocks = []
        self._weighted = None
        self._idf = None

    @property
    def matrix(self) -> sp.csr_matrix:
        if self._blocks:
            self._matrix = sp.vstack([self._matrix, *self._blocks], format="csr")
            self._blocks = []
        return self._matrix

    def idf(self) -> np.ndarray:
        if self._idf is None:
            self._idf = (np.log((self._n_alive + 1.0) / (self._df + 1.0)) + 1.0).astype(np.float32)
        return self._idf

    def _normalise(self, tf: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
        weighted = tf.multiply(idf).tocsr().astype(np.float32)
        norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return sp.csr_matrix(sp.diags(1.0 / norms) @ weighted, dtype=np.float32)

    def weighted(self) -> sp.csr_matrix:
        if self._weighted is None:
            self._weighted = self._normalise(self.matrix, self.idf())
        return self._weighted

    def query_vectors(self, tf: sp.csr_matrix) -> sp.csr_matrix:
        return self._normalise(tf, self.idf())

    def scores(self, query_tf: sp.csr_matrix) -> np.ndarray:
        """Cosine of each query against every row: dense (n_queries, n_rows)."""
        weighted = self.weighted()
        return np.asarray((self.query_vectors(query_tf) @ weighted.T).todense(), dtype=np.float32)

    def pair_scores(self, query_tf: sp.csr_matrix, query_row: int, rows: np.ndarray) -> np.ndarray:
        """Cosine of one query against a few rows, without the full weighted matrix."""
        idf = self.idf()
        q = self._normalise(query_tf[query_row], idf)
        docs = self._normalise(self.matrix[rows], idf)
        return np.asarray((docs @ q.T).todense(), dtype=np.float32).ravel()
