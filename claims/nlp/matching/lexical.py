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


_MASK = N_FEATURES - 1


def _char_ngrams(text: str) -> list[str]:
    # The same n-grams as scikit-learn's analyzer="char_wb", ngram_range=(3, 5), lowercase=True
    # (each word padded with one space), without its per-n-gram generator overhead.
    grams: list[str] = []
    for word in text.lower().split():
        padded = f" {word} "
        length = len(padded)
        if length <= 3:
            grams.append(padded)
            continue
        for n in (3, 4, 5):
            if length < n:
                break
            grams.extend(padded[i : i + n] for i in range(length - n + 1))
    return grams


def char_frequencies(texts: Sequence[str]) -> sp.csr_matrix:
    """Sublinear counts of character 3-5-grams: robust to German compounds, inflection, typos.

    Hashed with Python's `hash` (salted per process): fine, because document frequencies and
    query vectors are always computed in the same process and never stored.
    """
    indptr = [0]
    indices: list[int] = []
    data: list[float] = []
    for text in texts:
        counts: dict[int, int] = {}
        for gram in _char_ngrams(text):
            key = hash(gram) & _MASK
            counts[key] = counts.get(key, 0) + 1
        indices.extend(counts)
        data.extend(counts.values())
        indptr.append(len(indices))
    matrix = sp.csr_matrix(
        (np.asarray(data, dtype=np.float32), np.asarray(indices, dtype=np.int32), indptr),
        shape=(len(texts), N_FEATURES),
    )
    matrix.data = 1.0 + np.log(matrix.data)
    return matrix


def _idf_normalised(tf: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
    """Rows weighted by IDF and scaled to unit length (without densifying the IDF vector)."""
    weighted = tf.astype(np.float32, copy=True)
    weighted.data *= idf[weighted.indices]
    lengths = np.diff(weighted.indptr)
    rows = np.repeat(np.arange(weighted.shape[0]), lengths)
    norms = np.sqrt(np.bincount(rows, weights=weighted.data**2, minlength=weighted.shape[0]))
    norms[norms == 0] = 1.0
    weighted.data /= norms[rows].astype(np.float32)
    return weighted


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
        vectors = _idf_normalised(char_frequencies([query, *docs]), self.idf())
        return (vectors[1:] @ vectors[0].T).toarray().ravel().astype(np.float32)


def term_frequencies(texts: Sequence[str]) -> sp.csr_matrix:
    """Sublinear term frequencies (1 + log tf) of word unigrams and bigrams, hashed."""
    matrix = _VECTORIZER.transform(list(texts)).tocsr()
    matrix.data = 1.0 + np.log(matrix.data)
    return matrix


class LexicalStore:
    """Hashed word TF-IDF rows of the collection, searchable by one query at a time.

    The IDF-weighted, normalised matrix used to search every claim is stored term-major (a query
    touches only its own terms' postings) and rebuilt lazily, O(non-zeros): rows added since the
    last rebuild are scored from a small doc-major tail with the IDF of that rebuild, and a full
    rebuild happens only when the tail passes a tenth of the collection. So adding one article's
    claims does not cost a rebuild of 100,000 rows, and IDF drifts by at most ~10%.
    """

    def __init__(self) -> None:
        self._blocks: list[sp.csr_matrix] = []
        self._matrix: sp.csr_matrix = sp.csr_matrix((0, N_FEATURES), dtype=np.float32)
        self._df = np.zeros(N_FEATURES, dtype=np.int32)
        self._n_alive = 0
        self._total_length = 0.0  # sum of the alive rows' (sublinear) counts, for BM25
        self._idf: np.ndarray | None = None
        # Search state: term-major matrix of rows [0, _frozen_rows), built with _frozen_idf.
        self._by_term: sp.csr_matrix | None = None
        self._frozen_idf: np.ndarray | None = None
        self._frozen_rows = 0
        self._tail: sp.csr_matrix | None = None

    def append(self, tf: sp.csr_matrix) -> None:
        self._blocks.append(tf)
        np.add.at(self._df, tf.indices, 1)
        self._n_alive += tf.shape[0]
        self._total_length += float(tf.sum())
        self._idf = None
        self._tail = None

    def kill(self, rows: Sequence[int]) -> None:
        # Dead rows stay in the search matrix (the index masks them); only the DFs change.
        if not rows:
            return
        sub = self.rows(np.asarray(rows))
        np.subtract.at(self._df, sub.indices, 1)
        self._n_alive -= len(rows)
        self._total_length -= float(sub.sum())
        self._idf = None

    def keep(self, rows: np.ndarray) -> None:
        """Compact to the given rows (used after many removals)."""
        self._matrix = self.matrix[rows]
        self._blocks = []
        self._idf = None
        self._by_term = None
        self._tail = None

    @property
    def matrix(self) -> sp.csr_matrix:
        """All rows in one matrix (a full copy when rows were added: used on rebuilds only)."""
        if self._blocks:
            self._matrix = sp.vstack([self._matrix, *self._blocks], format="csr")
            self._blocks = []
        return self._matrix

    def _recent(self) -> sp.csr_matrix:
        """Rows added since the last consolidation, as one (small) matrix."""
        if len(self._blocks) > 1:
            self._blocks = [sp.vstack(self._blocks, format="csr")]
        return self._blocks[0] if self._blocks else self._matrix[:0]

    def rows(self, rows: np.ndarray) -> sp.csr_matrix:
        """The given rows, without consolidating recent additions into the big matrix."""
        base = self._matrix.shape[0]
        if not self._blocks or rows.size == 0 or rows.max() < base:
            return self._matrix[rows]
        old = rows < base
        gathered = sp.vstack(
            [self._matrix[rows[old]], self._recent()[rows[~old] - base]], format="csr"
        )
        order = np.concatenate([np.flatnonzero(old), np.flatnonzero(~old)])
        return gathered[np.argsort(order)]

    def idf(self) -> np.ndarray:
        if self._idf is None:
            self._idf = (np.log((self._n_alive + 1.0) / (self._df + 1.0)) + 1.0).astype(np.float32)
        return self._idf

    def _normalise(self, tf: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
        return _idf_normalised(tf, idf)

    def _search_matrices(self) -> tuple[sp.csr_matrix, sp.csr_matrix, np.ndarray]:
        # Invariant once built: the consolidated matrix holds exactly the frozen rows and the
        # blocks hold the tail, so an addition never copies the big matrix.
        pending = sum(block.shape[0] for block in self._blocks)
        if (
            self._by_term is None
            or self._matrix.shape[0] != self._frozen_rows
            or pending > max(1000, 0.1 * self._frozen_rows)
        ):
            matrix = self.matrix
            self._frozen_idf = self.idf()
            self._by_term = self._normalise(matrix, self._frozen_idf).T.tocsr()
            self._frozen_rows = matrix.shape[0]
            self._tail = None
        if self._tail is None:
            self._tail = self._normalise(self._recent(), self._frozen_idf)
        return self._by_term, self._tail, self._frozen_idf

    def scores(self, query_tf: sp.csr_matrix) -> np.ndarray:
        """Cosine of each query against every row: dense (n_queries, n_rows)."""
        by_term, tail, idf = self._search_matrices()
        queries = self._normalise(query_tf, idf)
        head = (queries @ by_term).toarray()
        if tail.shape[0]:
            head = np.hstack([head, (queries @ tail.T).toarray()])
        return head.astype(np.float32, copy=False)

    def bm25_pair_scores(
        self, query_tf: sp.csr_matrix, query_row: int, rows: np.ndarray, k1: float = 1.2, b=0.75
    ) -> np.ndarray:
        """BM25 of one query against a few rows (the stored sublinear counts as term frequency,
        the row's sum as its length), divided by the best of those rows: 0-1 within a query."""
        q = query_tf[query_row]
        terms = q.indices
        if not len(terms) or not len(rows):
            return np.zeros(len(rows), dtype=np.float32)
        n = max(self._n_alive, 1)
        df = self._df[terms].astype(np.float64)
        idf = np.log(1.0 + (n - df + 0.5) / (df + 0.5))
        docs = self.rows(rows)
        lengths = np.asarray(docs.sum(axis=1)).ravel()
        average = max(self._total_length / n, 1e-9)
        tf = docs[:, terms].toarray()
        norm = k1 * (1.0 - b + b * lengths / average)
        scores = (tf * (k1 + 1.0) / (tf + norm[:, None])) @ idf
        best = scores.max()
        return (scores / best if best > 0 else scores).astype(np.float32)

    def pair_scores(self, query_tf: sp.csr_matrix, query_row: int, rows: np.ndarray) -> np.ndarray:
        """Cosine of one query against a few rows, without the full weighted matrix."""
        idf = self.idf()
        q = self._normalise(query_tf[query_row], idf)
        docs = self._normalise(self.rows(rows), idf)
        return np.asarray((docs @ q.T).todense(), dtype=np.float32).ravel()
