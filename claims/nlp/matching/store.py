"""The index's vectors, row by row, and the search for a query's nearest ones.

Every claim has a multilingual vector (512 float32); English claims may also have the English
encoder's (384), packed: only claims that have one take a slot, and the array exists only once the
first is added, so German claims and an index without English vectors cost nothing for them, and
the English pass reads English vectors only. Both kinds keep a projected copy for the shortlist
(prefilter.py) at every size, so growing past `prefilter_min_claims` needs no rebuild. A removed
claim's row stays, dead (masked by `alive`), until `compact` drops the dead rows.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .config import MatchConfig
from .prefilter import shipped_projections, shortlist, similarities, top_k
from .vectors import EMBEDDING_DIM, ENGLISH_DIM


def _low_dim(projection: np.ndarray | None) -> int:
    return 0 if projection is None else projection.shape[1]


def aggregate(
    sims: np.ndarray, pieces: int, *, adapted: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(whole text, best piece, best adapted piece) similarities from the (query vectors, rows)
    products; the adapted copies, if any (`adapted`), are the second half of the query vectors."""
    best = sims[:pieces].max(axis=0)
    return sims[0], best, sims[pieces:].max(axis=0) if adapted else best


class VectorStore:
    """Multilingual and English vectors by row, with their projections. Not thread-safe."""

    def __init__(self, *, projections: bool = True) -> None:
        """`projections=False`: keep no projected copies, so the search always compares every
        stored vector (an index of a query's candidates, far below the shortlist's size)."""
        self.n = 0  # rows in use, dead ones included
        self.alive = np.zeros(0, dtype=bool)
        self.vectors = np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
        # `en_rows`: the row of each English slot; `en_slot`: each row's slot or -1.
        self.en_vectors: np.ndarray | None = None
        self.en_rows = np.zeros(0, dtype=np.int64)
        self.en_n = 0
        self.en_slot = np.zeros(0, dtype=np.int64)
        projections = shipped_projections() if projections else {}
        self.projection = projections.get("multilingual")
        self.en_projection = projections.get("english")
        self.low = np.zeros((0, _low_dim(self.projection)), dtype=np.float32)
        self.en_low: np.ndarray | None = None

    def embedding(self, row: int) -> np.ndarray:
        return self.vectors[row].copy()

    def english_embedding(self, row: int) -> np.ndarray | None:
        slot = self.en_slot[row]
        if self.en_vectors is None or slot < 0:
            return None
        return self.en_vectors[slot].copy()

    def has_english(self) -> bool:
        """Whether any live row has an English vector."""
        return self.en_vectors is not None and bool((self.en_slot[: self.n] >= 0).any())

    # -- maintenance --------------------------------------------------------------------------

    def append(self, embeddings: np.ndarray, english: Sequence[np.ndarray | None] | None) -> int:
        """Store new rows (English vector or None per row); returns the first new row."""
        start = self.n
        self._grow(len(embeddings))
        self.vectors[start : start + len(embeddings)] = embeddings
        if self.projection is not None:
            self.low[start : start + len(embeddings)] = embeddings @ self.projection
        self.alive[start : start + len(embeddings)] = True
        given = [(o, v) for o, v in enumerate(english or ()) if v is not None]
        if given:
            self._grow_english(len(given))
            for offset, vector in given:
                slot = self.en_n
                self.en_vectors[slot] = np.asarray(vector, dtype=np.float32).reshape(ENGLISH_DIM)
                if self.en_projection is not None:
                    self.en_low[slot] = self.en_vectors[slot] @ self.en_projection
                self.en_rows[slot] = start + offset
                self.en_slot[start + offset] = slot
                self.en_n += 1
        self.n += len(embeddings)
        return start

    def kill(self, rows: Sequence[int]) -> None:
        for row in rows:
            self.alive[row] = False
            self.en_slot[row] = -1  # its slot stays, dead (masked by `alive`) until compaction

    def compact(self) -> np.ndarray:
        """Drop the dead rows; returns the old numbers of the rows kept, in their new order."""
        keep = np.flatnonzero(self.alive[: self.n])
        self.vectors = np.ascontiguousarray(self.vectors[keep])
        self.low = np.ascontiguousarray(self.low[keep])
        if self.en_vectors is not None:
            new_row = np.full(self.n, -1, dtype=np.int64)
            new_row[keep] = np.arange(len(keep))
            slots = np.flatnonzero(self.alive[self.en_rows[: self.en_n]])
            self.en_vectors = np.ascontiguousarray(self.en_vectors[slots])
            self.en_low = np.ascontiguousarray(self.en_low[slots])
            self.en_rows = new_row[self.en_rows[slots]]
            self.en_n = len(slots)
        self.en_slot = np.full(len(keep), -1, dtype=np.int64)
        self.en_slot[self.en_rows[: self.en_n]] = np.arange(self.en_n)
        self.alive = np.ones(len(keep), dtype=bool)
        self.n = len(keep)
        return keep

    def _grow(self, extra: int) -> None:
        needed = self.n + extra
        if needed <= len(self.vectors):
            return
        capacity = max(needed, 2 * len(self.vectors), 64)
        vectors = np.zeros((capacity, EMBEDDING_DIM), dtype=np.float32)
        vectors[: self.n] = self.vectors[: self.n]
        low = np.zeros((capacity, self.low.shape[1]), dtype=np.float32)
        low[: self.n] = self.low[: self.n]
        alive = np.zeros(capacity, dtype=bool)
        alive[: self.n] = self.alive[: self.n]
        en_slot = np.full(capacity, -1, dtype=np.int64)
        en_slot[: self.n] = self.en_slot[: self.n]
        self.vectors, self.low, self.alive, self.en_slot = vectors, low, alive, en_slot

    def _grow_english(self, extra: int) -> None:
        needed = self.en_n + extra
        size = 0 if self.en_vectors is None else len(self.en_vectors)
        if needed <= size:
            return
        capacity = max(needed, 2 * size, 64)
        en_vectors = np.zeros((capacity, ENGLISH_DIM), dtype=np.float32)
        en_rows = np.zeros(capacity, dtype=np.int64)
        en_low = np.zeros((capacity, _low_dim(self.en_projection)), dtype=np.float32)
        if self.en_vectors is not None:
            en_vectors[: self.en_n] = self.en_vectors[: self.en_n]
            en_rows[: self.en_n] = self.en_rows[: self.en_n]
            en_low[: self.en_n] = self.en_low[: self.en_n]
        self.en_vectors, self.en_rows, self.en_low = en_vectors, en_rows, en_low

    # -- search -------------------------------------------------------------------------------

    def semantic_neighbours(
        self, q_vectors: np.ndarray, pieces: int, config: MatchConfig, *, shortlisted: bool
    ) -> set[int]:
        """Rows of the nearest stored multilingual vectors: the best pieces', the best adapted
        pieces' and (for a text of several pieces) the whole text's. `shortlisted`: compare only
        the rows the projections put first (a large index)."""
        n = self.n
        alive = self.alive[:n]
        if shortlisted and self.projection is not None:
            positions = shortlist(
                self.low[:n],
                self.projection,
                q_vectors,
                alive=alive,
                size=config.prefilter_shortlist,
            )
            sims = q_vectors @ self.vectors[positions].T
        else:
            positions = None
            # One blocked pass for a handful of query vectors (see `similarities`).
            vectors = self.vectors[:n]
            if len(q_vectors) <= 8:
                sims = similarities(vectors, q_vectors)
            else:
                sims = q_vectors @ vectors.T
            sims[:, np.flatnonzero(~alive)] = -np.inf
        whole, best, adapted = aggregate(sims, pieces, adapted=config.adapter is not None)
        chosen = [top_k(best, config.semantic_candidates)]
        if config.adapter is not None:
            chosen.append(top_k(adapted, config.semantic_candidates))
        if pieces > 1:  # with the whole text alone, `best` is `whole`: its top is in there
            chosen.append(top_k(whole, config.semantic_candidates // 3))
        found = np.concatenate(chosen)
        return set((found if positions is None else positions[found]).tolist())

    def english_neighbours(
        self, search: np.ndarray, config: MatchConfig, *, shortlisted: bool
    ) -> set[int]:
        """Rows of the nearest stored English vectors to the (adapted) English query pieces."""
        m = self.en_n
        en_rows = self.en_rows[:m]
        live = self.alive[en_rows]
        if shortlisted and self.en_projection is not None:
            slots = shortlist(
                self.en_low[:m],
                self.en_projection,
                search,
                alive=live,
                size=config.prefilter_shortlist,
            )
            nearest = (self.en_vectors[slots] @ search.T).max(axis=1)
        else:
            slots = np.arange(m)
            nearest = similarities(self.en_vectors[:m], search).max(axis=0)
            nearest[~live] = -np.inf
        return set(en_rows[slots[top_k(nearest, config.semantic_candidates)]].tolist())

    def english_values(self, queries: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Best English-encoder cosine over `queries` of each row; -inf without an English
        vector."""
        slots = self.en_slot[rows]
        has = slots >= 0
        values = np.full(len(rows), -np.inf, dtype=np.float32)
        if has.any():
            values[has] = (self.en_vectors[slots[has]] @ queries.T).max(axis=1)
        return values
