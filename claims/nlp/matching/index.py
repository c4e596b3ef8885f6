"""In-memory claim index: semantic and lexical candidate search, then a learned blend of signals.

The index holds, per claim, its normalised text, its sentence embedding (float32, 512 values, stored
by the app as bytes so a worker rebuilds the index without re-embedding) and hashed word TF-IDF
counts. Search is exact: one matrix product over all embeddings plus argpartition (see
bench/results/matching.md for the cost at 100,000 and 1,000,000 claims). Beyond about a million
claims, replace the product in `candidates` by an ANN index from PyPI (hnswlib or faiss-cpu; both
add and remove by integer label); with pgvector the same top-k would be an
`ORDER BY embedding <=> %s LIMIT k` query whose ids arrive here like `lexical_candidates`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
from rapidfuzz import fuzz

from .config import SIGNALS, MatchConfig
from .lexical import CharStatistics, LexicalStore, term_frequencies
from .text import capitalised, exact_key, normalise_claim_text, numbers, sentences

EMBEDDING_DIM = 512
Embedder = Callable[[Sequence[str]], np.ndarray]


def _default_embedder(texts: Sequence[str]) -> np.ndarray:
    from claims.nlp.embeddings import embed  # lazy: loads the encoder only when first needed

    return embed(texts)


@dataclass(frozen=True)
class MatchCandidate:
    id: str
    score: float
    signals: Mapping[str, float]
    reason: str


@dataclass(frozen=True)
class QueryCandidates:
    """All candidates of one query with their raw signals (rows follow `SIGNALS`); for training."""

    ids: tuple[str, ...]
    signals: np.ndarray


def claim_embeddings(texts: Sequence[str], embedder: Embedder | None = None) -> np.ndarray:
    """Embeddings of claims as the index stores them: (n, 512) float32 of the normalised texts."""
    embedder = embedder or _default_embedder
    cleaned = [normalise_claim_text(t) or t for t in texts]
    return np.asarray(embedder(cleaned), dtype=np.float32).reshape(len(texts), EMBEDDING_DIM)


def embedding_to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype="<f4").reshape(EMBEDDING_DIM).tobytes()


def embedding_from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<f4").reshape(EMBEDDING_DIM).astype(np.float32)


def _containment(query: frozenset[str], doc: frozenset[str]) -> float:
    return len(query & doc) / len(doc) if doc else 0.0


def with_rank_signals(signals: np.ndarray) -> np.ndarray:
    """Fill the reciprocal-rank signals of one query's candidate rows (in place; returned).

    Ranks among the query's own candidates let a linear blend reward "clearly the nearest"
    independently of how alike this query's neighbours are overall.
    """
    for signal, target in (("semantic_best", "semantic_rank"), ("lexical", "lexical_rank")):
        col = signals[:, SIGNALS.index(signal)]
        ranks = np.empty(len(col), dtype=np.float32)
        ranks[np.argsort(-col, kind="stable")] = np.arange(1, len(col) + 1)
        signals[:, SIGNALS.index(target)] = 1.0 / ranks
    return signals


def describe(signals: Mapping[str, float]) -> str:
    """A reviewer-readable reason, e.g. "same numbers, 0.91 similar"."""
    parts: list[str] = []
    if signals.get("exact"):
        parts.append("same text")
    if signals.get("numbers_agree"):
        parts.append("same numbers")
    elif signals.get("numbers_conflict"):
        parts.append("different numbers")
    parts.append(
        f"{max(signals.get('semantic', 0.0), signals.get('semantic_best', 0.0)):.2f} similar"
    )
    if not signals.get("exact") and signals.get("fuzzy", 0.0) >= 0.8:
        parts.append(f"{signals['fuzzy']:.2f} same words")
    return ", ".join(parts)


class ClaimIndex:
    """Incrementally maintained index over a claim collection. Not thread-safe: one per worker."""

    def __init__(self, *, config: MatchConfig | None = None, embedder: Embedder | None = None):
        self.config = config or MatchConfig()
        self._embedder = embedder or _default_embedder
        self._ids: list[str] = []
        self._texts: list[str] = []  # normalised
        self._numbers: list[frozenset[str]] = []
        self._row: dict[str, int] = {}
        self._exact: dict[str, set[int]] = {}
        self._alive = np.zeros(0, dtype=bool)
        self._vectors = np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
        self._n = 0
        self._lexical = LexicalStore()
        self._chars = CharStatistics()

    def __len__(self) -> int:
        return len(self._row)

    def __contains__(self, claim_id: object) -> bool:
        return claim_id in self._row

    def ids(self) -> list[str]:
        """Indexed claim ids, in the order they were added."""
        return sorted(self._row, key=self._row.__getitem__)

    def embedding(self, claim_id: str) -> np.ndarray:
        return self._vectors[self._row[claim_id]].copy()

    # -- maintenance --------------------------------------------------------------------------

    def add(
        self, ids: Sequence[str], texts: Sequence[str], embeddings: np.ndarray | None = None
    ) -> None:
        """Add (or replace) claims. Pass stored `embeddings` to skip the encoder."""
        if len(ids) != len(texts) or len(set(ids)) != len(ids):
            raise ValueError("ids must be unique and as many as texts")
        if embeddings is None:
            embeddings = claim_embeddings(texts, self._embedder)
        embeddings = np.asarray(embeddings, dtype=np.float32)
        if embeddings.shape != (len(ids), EMBEDDING_DIM):
            raise ValueError(f"embeddings must have shape ({len(ids)}, {EMBEDDING_DIM})")
        self.remove([i for i in ids if i in self._row])
        cleaned = [normalise_claim_text(t) or t for t in texts]
        self._grow(len(ids))
        start = self._n
        self._vectors[start : start + len(ids)] = embeddings
        self._alive[start : start + len(ids)] = True
        for offset, (claim_id, text) in enumerate(zip(ids, cleaned, strict=True)):
            row = start + offset
            self._ids.append(str(claim_id))
            self._texts.append(text)
            self._numbers.append(numbers(text))
            self._row[str(claim_id)] = row
            self._exact.setdefault(exact_key(text), set()).add(row)
        self._n += len(ids)
        self._lexical.append(term_frequencies(cleaned))
        self._chars.add(cleaned)

    def remove(self, ids: Sequence[str]) -> None:
        rows = [self._row.pop(str(i)) for i in ids if str(i) in self._row]
        for row in rows:
            self._alive[row] = False
            self._exact.get(exact_key(self._texts[row]), set()).discard(row)
        self._lexical.kill(rows)
        self._chars.remove([self._texts[r] for r in rows])
        if self._n > 1000 and len(self._row) < 0.7 * self._n:
            self._compact()

    def _grow(self, extra: int) -> None:
        needed = self._n + extra
        if needed <= len(self._vectors):
            return
        capacity = max(needed, 2 * len(self._vectors), 64)
        vectors = np.zeros((capacity, EMBEDDING_DIM), dtype=np.float32)
        vectors[: self._n] = self._vectors[: self._n]
        alive = np.zeros(capacity, dtype=bool)
        alive[: self._n] = self._alive[: self._n]
        self._vectors, self._alive = vectors, alive

    def _compact(self) -> None:
        keep = np.flatnonzero(self._alive[: self._n])
        self._vectors = np.ascontiguousarray(self._vectors[keep])
        self._alive = np.ones(len(keep), dtype=bool)
        self._ids = [self._ids[r] for r in keep]
        self._texts = [self._texts[r] for r in keep]
        self._numbers = [self._numbers[r] for r in keep]
        self._lexical.keep(keep)
        self._n = len(keep)
        self._row = {claim_id: row for row, claim_id in enumerate(self._ids)}
        self._exact = {}
        for row, text in enumerate(self._texts):
            self._exact.setdefault(exact_key(text), set()).add(row)

    # -- search -------------------------------------------------------------------------------

    def _top_rows(self, scores: np.ndarray, k: int) -> np.ndarray:
        scores = np.where(self._alive[: self._n], scores, -np.inf)
        k = min(k, len(self._row))
        if k <= 0:
            return np.zeros(0, dtype=np.int64)
        top = np.argpartition(-scores, k - 1)[:k]
        return top[np.isfinite(scores[top])]

    def candidates(
        self,
        texts: Sequence[str],
        *,
        lexical_candidates: Sequence[Sequence[str]] | None = None,
        query_embeddings: Sequence[np.ndarray] | None = None,
    ) -> list[QueryCandidates]:
        """Find candidates for each query and compute their signals (no blending yet)."""
        config = self.config
        cleaned = [normalise_claim_text(t) or t for t in texts]
        if query_embeddings is None:
            query_embeddings = self._query_embeddings(cleaned)
        vectors = self._vectors[: self._n]
        query_tf = term_frequencies(cleaned)
        use_lexical_search = config.lexical_search and lexical_candidates is None
        lexical_all = self._lexical.scores(query_tf) if use_lexical_search and self._n else None
        results: list[QueryCandidates] = []
        for q, text in enumerate(cleaned):
            if not self._row:
                results.append(QueryCandidates((), np.zeros((0, len(SIGNALS)), np.float32)))
                continue
            q_vectors = query_embeddings[q]
            if config.adapter is not None:
                adapted = q_vectors @ config.adapter
                adapted /= np.maximum(np.linalg.norm(adapted, axis=1, keepdims=True), 1e-9)
                q_vectors = np.vstack([q_vectors, adapted])
            # Similarities to each piece (row 0 the whole text; the adapted copies, if any, in
            # the second half). Matrix-vector products one by one: with one BLAS thread numpy's
            # matrix-matrix path is ~4x slower per column for a handful of columns.
            pieces = len(query_embeddings[q])
            if len(q_vectors) <= 8:
                sem_all = np.stack([vectors @ v for v in q_vectors])
            else:
                sem_all = q_vectors @ vectors.T
            whole, best = sem_all[0], sem_all[:pieces].max(axis=0)
            adapted_best = sem_all[pieces:].max(axis=0) if config.adapter is not None else best
            rows = set(self._top_rows(best, config.semantic_candidates).tolist())
            if config.adapter is not None:
                rows |= set(self._top_rows(adapted_best, config.semantic_candidates).tolist())
            rows |= set(self._top_rows(whole, config.semantic_candidates // 3).tolist())
            rows |= self._exact.get(exact_key(text), set())
            if lexical_all is not None:
                rows |= set(self._top_rows(lexical_all[q], config.lexical_candidates).tolist())
            if lexical_candidates is not None:
                rows |= {self._row[i] for i in lexical_candidates[q] if i in self._row}
            row_array = np.fromiter(sorted(rows), dtype=np.int64)
            if lexical_all is not None:
                lexical = lexical_all[q, row_array]
            else:
                lexical = self._lexical.pair_scores(query_tf, q, row_array)
            results.append(
                QueryCandidates(
                    tuple(self._ids[r] for r in row_array),
                    self._signals(
                        text,
                        row_array,
                        whole[row_array],
                        best[row_array],
                        adapted_best[row_array],
                        lexical,
                    ),
                )
            )
        return results

    def _query_embeddings(self, cleaned: Sequence[str]) -> list[np.ndarray]:
        """Per query: the whole text's embedding, then its sentences' (long posts hide claims)."""
        pieces: list[list[str]] = []
        for text in cleaned:
            parts = sentences(text, max_sentences=self.config.max_query_sentences)
            pieces.append([text] + (parts if len(parts) > 1 else []))
        flat = [p for group in pieces for p in group]
        vectors = np.asarray(self._embedder(flat), dtype=np.float32) if flat else None
        out, start = [], 0
        for group in pieces:
            out.append(vectors[start : start + len(group)])
            start += len(group)
        return out

    def _signals(
        self,
        text: str,
        rows: np.ndarray,
        semantic: np.ndarray,
        semantic_best: np.ndarray,
        semantic_adapted: np.ndarray,
        lexical: np.ndarray,
    ) -> np.ndarray:
        key = exact_key(text)
        query_numbers = numbers(text)
        lowered = text.casefold()
        query_names = capitalised(text)
        out = np.zeros((len(rows), len(SIGNALS)), dtype=np.float32)
        chars = self._chars.cosines(text, [self._texts[r] for r in rows])
        for i, row in enumerate(rows):
            doc = self._texts[row]
            doc_lowered = doc.casefold()
            doc_numbers = self._numbers[row]
            shared = bool(query_numbers & doc_numbers)
            out[i] = (
                float(exact_key(doc) == key and bool(key)),
                semantic[i],
                semantic_best[i],
                semantic_adapted[i],
                lexical[i],
                chars[i],
                fuzz.token_set_ratio(lowered, doc_lowered) / 100.0,
                fuzz.partial_ratio(doc_lowered, lowered) / 100.0 if len(doc) <= 400 else 0.0,
                float(shared),
                float(bool(query_numbers) and bool(doc_numbers) and not shared),
                _containment(query_names, capitalised(doc)),
                0.0,
                0.0,
            )
        return with_rank_signals(out)

    def score(self, signals: np.ndarray) -> np.ndarray:
        """Blend signal rows into 0-1 scores with the configured logistic weights."""
        weights = np.array([self.config.weights.get(s, 0.0) for s in SIGNALS], dtype=np.float64)
        z = np.clip(self.config.bias + signals.astype(np.float64) @ weights, -50, 50)
        return 1.0 / (1.0 + np.exp(-z))

    def rank(self, cands: QueryCandidates, scores: np.ndarray) -> list[tuple[int, float]]:
        """(candidate position, score) best first, near-verbatim copies collapsed.

        A collection often holds the same claim twice (a re-published check, a second scrape);
        they are one claim group, and the earliest-added copy stands for it with the best score
        among the copies. Copies: embeddings at least `duplicate_similarity` alike and texts at
        least 90% alike (rapidfuzz ratio).
        """
        order = np.lexsort((np.arange(len(scores)), -scores))
        if not self.config.collapse_duplicates or len(order) < 2:
            return [(int(i), float(scores[i])) for i in order]
        rows = [self._row[cands.ids[i]] for i in order]
        vectors = self._vectors[rows]
        similar = vectors @ vectors.T >= self.config.duplicate_similarity
        ranked: list[tuple[int, float]] = []
        taken = np.zeros(len(order), dtype=bool)
        for a in range(len(order)):
            if taken[a]:
                continue
            text = self._texts[rows[a]].casefold()
            group = [
                int(b)
                for b in np.flatnonzero(similar[a] & ~taken)
                if b == a or fuzz.ratio(text, self._texts[rows[b]].casefold()) >= 90
            ]
            taken[group] = True
            ranked.append((int(order[min(group, key=lambda b: rows[b])]), float(scores[order[a]])))
        return ranked

    def search(
        self,
        texts: Sequence[str],
        *,
        top: int = 5,
        lexical_candidates: Sequence[Sequence[str]] | None = None,
        query_embeddings: Sequence[np.ndarray] | None = None,
    ) -> list[list[MatchCandidate]]:
        """Best `top` matches per query text, best first.

        `lexical_candidates` (aligned with `texts`) are extra claim ids from the database's
        full-text search; with them the index skips its own lexical search over all claims.
        """
        found = self.candidates(
            texts, lexical_candidates=lexical_candidates, query_embeddings=query_embeddings
        )
        results: list[list[MatchCandidate]] = []
        for cands in found:
            scores = self.score(cands.signals)
            matches = []
            for i, score in self.rank(cands, scores)[:top]:
                signals = MappingProxyType(
                    {
                        name: round(float(v), 4)
                        for name, v in zip(SIGNALS, cands.signals[i], strict=True)
                    }
                )
                matches.append(
                    MatchCandidate(cands.ids[i], round(score, 4), signals, describe(signals))
                )
            results.append(matches)
        return results
