"""Incremental word TF-IDF over a claim collection (hashed features, so no vocabulary to refit).

Rows are only appended; removal marks them dead and takes them out of the document frequencies.
The IDF-weighted, length-normalised matrix used for retrieval is rebuilt lazily after a change:
O(non-zeros), a few tens of milliseconds at 100,000 claims, paid by the first search after a batch
of additions rather than by every addition.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from .features import N_FEATURES, char_counts


def _idf_at(n: int, df: np.ndarray, features: np.ndarray) -> np.ndarray:
    """Smoothed IDF (scikit-learn's formula) of the given features only: bit for bit the values
    of the whole IDF vector at those features, without computing all 2**20 of them (a search
    touches a few thousand; the whole vector cost ~5 ms after every addition)."""
    return (np.log((n + 1.0) / (df[features] + 1.0)) + 1.0).astype(np.float32)


def _idf_normalised(tf: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
    """Rows weighted by IDF and scaled to unit length (without densifying the IDF vector)."""
    return _weighted_normalised(tf, idf[tf.indices])


def _weighted_normalised(tf: sp.csr_matrix, weights: np.ndarray) -> sp.csr_matrix:
    """Rows with each stored value multiplied by `weights` (aligned with `tf.data`), scaled to
    unit length."""
    weighted = tf.astype(np.float32, copy=True)
    weighted.data *= weights
    lengths = np.diff(weighted.indptr)
    rows = np.repeat(np.arange(weighted.shape[0]), lengths)
    norms = np.sqrt(np.bincount(rows, weights=weighted.data**2, minlength=weighted.shape[0]))
    norms[norms == 0] = 1.0
    weighted.data /= norms[rows].astype(np.float32)
    return weighted


def _row_dots(docs: sp.csr_matrix, query: sp.csr_matrix) -> np.ndarray:
    """`docs @ query.T` as a flat float32 array, for a few rows and one query row.

    The features are renumbered to the ones present first (keeping their order), so scipy does
    not convert a 2**20-row transposed query (1.5 ms each time) and sums the same products in
    the same order: the values are those of the plain product.
    """
    features, inverse = np.unique(
        np.concatenate([docs.indices, query.indices]), return_inverse=True
    )
    inverse = inverse.astype(np.int32, copy=False)
    split = len(docs.indices)
    width = max(len(features), 1)
    small_docs = sp.csr_matrix(
        (docs.data, inverse[:split], docs.indptr), shape=(docs.shape[0], width)
    )
    small_query = sp.csr_matrix((query.data, inverse[split:], query.indptr), shape=(1, width))
    return np.asarray((small_docs @ small_query.T).todense(), dtype=np.float32).ravel()


def _dense_columns(matrix: sp.csr_matrix, columns: np.ndarray) -> np.ndarray:
    """`matrix[:, columns].toarray()` (columns distinct), without scipy's column indexing, which
    allocates arrays as long as the 2**20 columns on every call."""
    out = np.zeros((matrix.shape[0], len(columns)), dtype=matrix.dtype)
    if not len(columns) or not matrix.nnz:
        return out
    order = np.argsort(columns, kind="stable")
    ordered = columns[order]
    at = np.minimum(np.searchsorted(ordered, matrix.indices), len(ordered) - 1)
    hit = ordered[at] == matrix.indices
    rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    out[rows[hit], order[at[hit]]] = matrix.data[hit]
    return out


class CharStatistics:
    """Document frequencies of character n-grams; the vectors themselves are rebuilt per search.

    Storing char n-gram rows for 100,000 claims would cost ~250 MB; the document frequencies cost
    4 MB, and only the few dozen candidates of a query need vectors.
    """

    def __init__(self) -> None:
        self._df = np.zeros(N_FEATURES, dtype=np.int32)
        self._n = 0
        self._frozen = False  # counts given by `use_statistics`

    def use_statistics(self, df: np.ndarray, n: int) -> None:
        """Score with a whole collection's counts (read only) instead of this store's own; texts
        added or removed afterwards are not counted."""
        self._df, self._n, self._frozen = df, n, True

    def add(self, texts: Sequence[str]) -> None:
        if self._frozen:
            return
        _rows, features, _counts = char_counts(texts)
        np.add.at(self._df, features, 1)
        self._n += len(texts)

    def remove(self, texts: Sequence[str]) -> None:
        if not texts or self._frozen:
            return
        _rows, features, _counts = char_counts(texts)
        np.subtract.at(self._df, features, 1)
        self._n -= len(texts)

    def cosines(self, query: str, docs: Sequence[str]) -> np.ndarray:
        """TF-IDF cosine (sublinear counts) of the query's char n-grams with each doc's."""
        rows, features, counts = char_counts([query, *docs])
        # IDF of the touched features only (the whole vector changes with every addition).
        weights = (1.0 + np.log(counts)).astype(np.float32) * _idf_at(self._n, self._df, features)
        norms = np.sqrt(np.bincount(rows, weights=weights.astype(np.float64) ** 2))
        norms[norms == 0] = 1.0
        weights /= norms[rows].astype(np.float32)
        in_query = rows == 0  # sorted by row, then feature: the query's features come first
        query_features, query_weights = features[in_query], weights[in_query]
        doc_rows, doc_features = rows[~in_query], features[~in_query]
        if not len(query_features):
            return np.zeros(len(docs), dtype=np.float32)
        at = np.minimum(np.searchsorted(query_features, doc_features), len(query_features) - 1)
        hit = query_features[at] == doc_features
        products = weights[~in_query][hit] * query_weights[at[hit]]
        dots = np.bincount(doc_rows[hit] - 1, weights=products, minlength=len(docs))
        return dots.astype(np.float32)


class LexicalStore:
    """Hashed word TF-IDF rows of the collection, searchable by one query at a time.

    The IDF-weighted, normalised matrix used to search every claim is stored term-major (a query
    touches only its own terms' postings) and rebuilt lazily, O(non-zeros): rows added since the
    last rebuild are scored from a small doc-major tail with the IDF of that rebuild, and a full
    rebuild happens only when the tail passes a tenth of the collection. So adding one article's
    claims does not cost a rebuild of 100,000 rows, and IDF drifts by at most ~10%.

    Added rows wait in blocks; they are folded into the main matrix when they pass that tenth
    (the moment the search matrix would be rebuilt anyway), and small blocks are merged when
    there are many, so reading a few rows never copies the collection, whether or not the
    store's own search is used (the app turns it off and hands in candidates).
    """

    # Blocks merged into one past this many (a merge copies at most a tenth of the collection).
    MAX_BLOCKS = 32

    def __init__(self) -> None:
        self._blocks: list[sp.csr_matrix] = []
        self._pending = 0  # rows in the blocks
        self._matrix: sp.csr_matrix = sp.csr_matrix((0, N_FEATURES), dtype=np.float32)
        self._df = np.zeros(N_FEATURES, dtype=np.int32)
        self._n_alive = 0
        self._total_length = 0.0  # sum of the alive rows' (sublinear) counts, for BM25
        self._frozen = False  # counts given by `use_statistics`
        self._idf: np.ndarray | None = None
        # Search state: term-major matrix of rows [0, _frozen_rows), built with _frozen_idf.
        self._by_term: sp.csr_matrix | None = None
        self._frozen_idf: np.ndarray | None = None
        self._frozen_rows = 0
        self._tail: sp.csr_matrix | None = None

    def use_statistics(self, df: np.ndarray, n: int, total_length: float) -> None:
        """Score pairs with a whole collection's counts (read only) instead of this store's own:
        for a store holding only a query's candidates (pair scores; its own search is off)."""
        self._df, self._n_alive, self._total_length = df, n, total_length
        self._frozen = True
        self._idf = None
        self._by_term = self._tail = None

    def _fold_limit(self) -> float:
        return max(1000, 0.1 * self._matrix.shape[0])

    def append(self, tf: sp.csr_matrix) -> None:
        self._blocks.append(tf)
        self._pending += tf.shape[0]
        if not self._frozen:
            np.add.at(self._df, tf.indices, 1)
            self._n_alive += tf.shape[0]
            self._total_length += float(tf.sum())
        self._idf = None
        self._tail = None
        if self._pending > self._fold_limit():
            # Past the tenth the search matrix is rebuilt at the next search (`_search_matrices`
            # sees a main matrix larger than the frozen rows), exactly as when it found the
            # pending rows over the limit itself.
            self._matrix = self.matrix
        elif len(self._blocks) > self.MAX_BLOCKS:
            self._blocks = [sp.vstack(self._blocks, format="csr")]

    def kill(self, rows: Sequence[int]) -> None:
        # Dead rows stay in the search matrix (the index masks them); only the DFs change.
        if not rows or self._frozen:
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
        self._pending = 0
        self._idf = None
        self._by_term = None
        self._tail = None

    @property
    def matrix(self) -> sp.csr_matrix:
        """All rows in one matrix (a full copy when rows were added: used on rebuilds only)."""
        if self._blocks:
            self._matrix = sp.vstack([self._matrix, *self._blocks], format="csr")
            self._blocks = []
            self._pending = 0
        return self._matrix

    def _recent(self) -> sp.csr_matrix:
        """Rows added since the last consolidation, as one (small) matrix."""
        if len(self._blocks) > 1:
            self._blocks = [sp.vstack(self._blocks, format="csr")]
        return self._blocks[0] if self._blocks else self._matrix[:0]

    def rows(self, rows: np.ndarray) -> sp.csr_matrix:
        """The given rows (in that order), picked from the main matrix and each block without
        stacking them."""
        rows = np.asarray(rows, dtype=np.int64)
        base = self._matrix.shape[0]
        if not self._blocks or rows.size == 0 or rows.max() < base:
            return self._matrix[rows]
        sources = [self._matrix, *self._blocks]
        starts = np.cumsum([0] + [m.shape[0] for m in sources])
        source_of = np.searchsorted(starts, rows, side="right") - 1
        parts, positions = [], []
        for s in np.unique(source_of):
            where = np.flatnonzero(source_of == s)
            parts.append(sources[s][rows[where] - starts[s]])
            positions.append(where)
        gathered = parts[0] if len(parts) == 1 else sp.vstack(parts, format="csr")
        order = np.concatenate(positions)
        if np.all(order[1:] > order[:-1]):
            return gathered
        return gathered[np.argsort(order)]

    def idf(self) -> np.ndarray:
        if self._idf is None:
            self._idf = (np.log((self._n_alive + 1.0) / (self._df + 1.0)) + 1.0).astype(np.float32)
        return self._idf

    def _idf_of(self, features: np.ndarray) -> np.ndarray:
        """The current IDF at some features (from the cached vector when there is one)."""
        if self._idf is not None:
            return self._idf[features]
        return _idf_at(self._n_alive, self._df, features)

    def _normalise(self, tf: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
        return _idf_normalised(tf, idf)

    def _search_matrices(self) -> tuple[sp.csr_matrix, sp.csr_matrix, np.ndarray]:
        # Invariant once built: the consolidated matrix holds exactly the frozen rows and the
        # blocks hold the tail, so an addition never copies the big matrix.
        if (
            self._by_term is None
            or self._matrix.shape[0] != self._frozen_rows
            or self._pending > max(1000, 0.1 * self._frozen_rows)
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
        self,
        query_tf: sp.csr_matrix,
        query_row: int,
        rows: np.ndarray,
        k1: float = 1.2,
        b=0.75,
        *,
        docs: sp.csr_matrix | None = None,
    ) -> np.ndarray:
        """BM25 of one query against a few rows (the stored sublinear counts as term frequency,
        the row's sum as its length), divided by the best of those rows: 0-1 within a query.
        `docs`: those rows, when the caller already has them (`rows`)."""
        q = query_tf[query_row]
        terms = q.indices
        if not len(terms) or not len(rows):
            return np.zeros(len(rows), dtype=np.float32)
        n = max(self._n_alive, 1)
        df = self._df[terms].astype(np.float64)
        idf = np.log(1.0 + (n - df + 0.5) / (df + 0.5))
        if docs is None:
            docs = self.rows(rows)
        lengths = np.asarray(docs.sum(axis=1)).ravel()
        average = max(self._total_length / n, 1e-9)
        tf = _dense_columns(docs, terms)
        norm = k1 * (1.0 - b + b * lengths / average)
        scores = (tf * (k1 + 1.0) / (tf + norm[:, None])) @ idf
        best = scores.max()
        return (scores / best if best > 0 else scores).astype(np.float32)

    def pair_scores(
        self,
        query_tf: sp.csr_matrix,
        query_row: int,
        rows: np.ndarray,
        *,
        docs: sp.csr_matrix | None = None,
    ) -> np.ndarray:
        """Cosine of one query against a few rows, without the full weighted matrix (IDF of the
        touched features only). `docs`: those rows, when the caller already has them."""
        query = query_tf[query_row]
        if docs is None:
            docs = self.rows(rows)
        q = _weighted_normalised(query, self._idf_of(query.indices))
        weighted = _weighted_normalised(docs, self._idf_of(docs.indices))
        return _row_dots(weighted, q)
