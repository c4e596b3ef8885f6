"""In-memory claim index: semantic and lexical candidate search, then a learned blend of signals.

The index holds, per claim, its normalised text, its numbers and hashed word TF-IDF counts; its
vectors live in a `VectorStore` (store.py): the sentence embedding (float32, 512 values, stored by
the app as bytes so a worker rebuilds the index without re-embedding), for English claims the
English encoder's vector, and projected copies of both for the shortlist (prefilter.py). Up to
`prefilter_min_claims` the semantic search compares every stored vector; above, it compares a
shortlist found on the projections (see bench/results/matching.md for the cost at 100,000 and
1,000,000 claims). Beyond about a million claims, replace the shortlist pass by an ANN index from
PyPI (hnswlib or faiss-cpu; both add and remove by integer label); with pgvector the same top-k
would be an `ORDER BY embedding <=> %s LIMIT k` query whose ids arrive here like
`lexical_candidates`. Each candidate's signals are computed in signals.py.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from types import MappingProxyType

import numpy as np
from rapidfuzz import fuzz

from .config import SIGNALS, MatchConfig
from .corpus import CorpusStatistics
from .features import term_frequencies
from .lexical import CharStatistics, LexicalStore
from .prefilter import top_k
from .signals import (
    MatchCandidate,
    QueryCandidates,
    describe,
    exact_top,
    pending_candidate_signals,
)
from .store import VectorStore, aggregate
from .text import exact_key, is_english, normalise_claim_text, numbers, sentences
from .vectors import (
    EMBEDDING_DIM,
    ENGLISH_DIM,
    Embedder,
    claim_embeddings,
    default_embedder,
    default_english_embedder,
    english_claim_embeddings,
)


class ClaimIndex:
    """Incrementally maintained index over a claim collection. Not thread-safe: one per worker."""

    def __init__(
        self,
        *,
        config: MatchConfig | None = None,
        embedder: Embedder | None = None,
        english_embedder: Embedder | None = None,
        shortlist: bool = True,
    ):
        """`shortlist=False`: never shortlist on projected vectors (nor keep them), for an index
        built per search over a query's candidates: compared exactly either way below
        `config.prefilter_min_claims`, and projecting every candidate was a cost per search."""
        self.config = config or MatchConfig()
        self._embedder = embedder or default_embedder
        self._english_embedder = english_embedder or default_english_embedder
        self._shortlist = shortlist
        self._ids: list[str] = []
        self._texts: list[str] = []  # normalised
        self._numbers: list[frozenset[str]] = []
        self._row: dict[str, int] = {}
        self._exact: dict[str, set[int]] = {}
        self._store = VectorStore(projections=shortlist)
        self._lexical = LexicalStore()
        self._chars = CharStatistics()

    def __len__(self) -> int:
        return len(self._row)

    def use_statistics(self, stats: CorpusStatistics) -> None:
        """Score with a whole collection's word and character counts (corpus.py).

        For an index built per search over a query's candidates only (the app's shared vector
        index finds them): their signals then come out as the full index would compute them.
        Call it before adding the candidates: claims added afterwards are not counted (the
        counts are read only, and counting them would cost more than the search).
        """
        if stats.n:
            self._lexical.use_statistics(stats.word_df, stats.n, stats.total_length)
            self._chars.use_statistics(stats.char_df, stats.n)

    def __contains__(self, claim_id: object) -> bool:
        return claim_id in self._row

    def ids(self) -> list[str]:
        """Indexed claim ids, in the order they were added."""
        return sorted(self._row, key=self._row.__getitem__)

    def embedding(self, claim_id: str) -> np.ndarray:
        return self._store.embedding(self._row[claim_id])

    def english_embedding(self, claim_id: str) -> np.ndarray | None:
        """The claim's English-encoder vector, or None (not English, or none was given)."""
        return self._store.english_embedding(self._row[claim_id])

    # -- maintenance --------------------------------------------------------------------------

    def add(
        self,
        ids: Sequence[str],
        texts: Sequence[str],
        embeddings: np.ndarray | None = None,
        english_embeddings: Sequence[np.ndarray | None] | None = None,
    ) -> None:
        """Add (or replace) claims.

        Pass stored `embeddings` (n x 512) to skip the multilingual encoder, and stored
        `english_embeddings` (per claim a 384-vector, or None for a non-English claim) to skip the
        English one. Without `embeddings`, both are computed (English vectors for the claims that
        are English, when `config.english_signal` is on); with `embeddings` but no
        `english_embeddings`, the claims get no English vector (an index rebuilt from stored
        vectors must not re-encode the whole collection).
        """
        if len(ids) != len(texts) or len(set(ids)) != len(ids):
            raise ValueError("ids must be unique and as many as texts")
        if embeddings is None:
            embeddings = claim_embeddings(texts, self._embedder)
            if english_embeddings is None and self.config.english_signal:
                english_embeddings = english_claim_embeddings(texts, self._english_embedder)
        embeddings = np.asarray(embeddings, dtype=np.float32)
        if embeddings.shape != (len(ids), EMBEDDING_DIM):
            raise ValueError(f"embeddings must have shape ({len(ids)}, {EMBEDDING_DIM})")
        if english_embeddings is not None and len(english_embeddings) != len(ids):
            raise ValueError("english_embeddings must have one entry (vector or None) per claim")
        self.remove([i for i in ids if i in self._row])
        cleaned = [normalise_claim_text(t) or t for t in texts]
        start = self._store.append(embeddings, english_embeddings)
        for offset, (claim_id, text) in enumerate(zip(ids, cleaned, strict=True)):
            row = start + offset
            self._ids.append(str(claim_id))
            self._texts.append(text)
            self._numbers.append(numbers(text))
            self._row[str(claim_id)] = row
            self._exact.setdefault(exact_key(text), set()).add(row)
        self._lexical.append(term_frequencies(cleaned))
        self._chars.add(cleaned)

    def remove(self, ids: Sequence[str]) -> None:
        rows = [self._row.pop(str(i)) for i in ids if str(i) in self._row]
        self._store.kill(rows)
        for row in rows:
            self._exact.get(exact_key(self._texts[row]), set()).discard(row)
        self._lexical.kill(rows)
        self._chars.remove([self._texts[r] for r in rows])
        if self._store.n > 1000 and len(self._row) < 0.7 * self._store.n:
            self._compact()

    def _compact(self) -> None:
        keep = self._store.compact()
        self._ids = [self._ids[r] for r in keep]
        self._texts = [self._texts[r] for r in keep]
        self._numbers = [self._numbers[r] for r in keep]
        self._lexical.keep(keep)
        self._row = {claim_id: row for row, claim_id in enumerate(self._ids)}
        self._exact = {}
        for row, text in enumerate(self._texts):
            self._exact.setdefault(exact_key(text), set()).add(row)

    # -- search -------------------------------------------------------------------------------

    def _shortlisted(self) -> bool:
        """Compare only a shortlist of the stored vectors (a large index, see prefilter.py)."""
        return self._shortlist and len(self._row) >= self.config.prefilter_min_claims

    def candidates(
        self,
        texts: Sequence[str],
        *,
        lexical_candidates: Sequence[Sequence[str]] | None = None,
        query_embeddings: Sequence[np.ndarray] | None = None,
        english_query_embeddings: Sequence[np.ndarray | None] | None = None,
        lazy: bool = False,
    ) -> list[QueryCandidates]:
        """Find candidates for each query and compute their signals (no blending yet).

        `lazy`: leave the costly string signals (`signals.LAZY_SIGNALS`) to each result's
        `fill`, for a search that computes them only where they can matter (`exact_top`).
        """
        config = self.config
        cleaned = [normalise_claim_text(t) or t for t in texts]
        if query_embeddings is None:
            query_embeddings = self._query_embeddings(cleaned)
        store, shortlisted = self._store, self._shortlisted()
        use_english = config.english_signal and store.has_english()
        if use_english and english_query_embeddings is None:
            english_query_embeddings = self._english_query_embeddings(cleaned)
        query_tf = term_frequencies(cleaned)
        use_lexical_search = config.lexical_search and lexical_candidates is None
        lexical_all = self._lexical.scores(query_tf) if use_lexical_search and store.n else None
        results: list[QueryCandidates] = []
        for q, text in enumerate(cleaned):
            if not self._row:
                results.append(QueryCandidates((), np.zeros((0, len(SIGNALS)), np.float32)))
                continue
            q_vectors = np.asarray(query_embeddings[q], dtype=np.float32)
            pieces = len(q_vectors)
            if config.adapter is not None:
                adapted = q_vectors @ config.adapter
                adapted /= np.maximum(np.linalg.norm(adapted, axis=1, keepdims=True), 1e-9)
                q_vectors = np.vstack([q_vectors, adapted])
            rows = store.semantic_neighbours(q_vectors, pieces, config, shortlisted=shortlisted)
            en_pieces = en_search = None
            if use_english and english_query_embeddings[q] is not None:
                en_pieces = np.asarray(english_query_embeddings[q], dtype=np.float32)
                en_pieces = en_pieces.reshape(-1, ENGLISH_DIM)
                # With the adapter, its similarity picks the neighbours (the raw cosine's
                # neighbour list overlaps it almost fully) and both are signals.
                en_search = en_pieces
                if config.english_adapter is not None:
                    en_search = en_pieces @ config.english_adapter
                    en_search /= np.maximum(np.linalg.norm(en_search, axis=1, keepdims=True), 1e-9)
                rows |= store.english_neighbours(en_search, config, shortlisted=shortlisted)
            rows |= self._exact.get(exact_key(text), set())
            if lexical_all is not None:
                live = np.where(store.alive[: store.n], lexical_all[q], -np.inf)
                rows |= set(top_k(live, config.lexical_candidates).tolist())
            if lexical_candidates is not None:
                rows |= {self._row[i] for i in lexical_candidates[q] if i in self._row}
            row_array = np.fromiter(sorted(rows), dtype=np.int64)
            docs = self._lexical.rows(row_array)  # read once for both word signals
            if lexical_all is not None:
                lexical = lexical_all[q, row_array]
            else:
                lexical = self._lexical.pair_scores(query_tf, q, row_array, docs=docs)
            bm25 = self._lexical.bm25_pair_scores(query_tf, q, row_array, docs=docs)
            whole, best, adapted_best = aggregate(
                q_vectors @ store.vectors[row_array].T,
                pieces,
                adapted=config.adapter is not None,
            )
            key = exact_key(text)
            # Rows with the query's exact key (candidate rows are alive, and every alive row is
            # under its own key): no re-normalising of each candidate's text.
            same_text = self._exact.get(key, set()) if key else set()
            docs = [self._texts[r] for r in row_array]
            signals, fill = pending_candidate_signals(
                text,
                docs,
                doc_numbers=[self._numbers[r] for r in row_array],
                same_text=[r in same_text for r in row_array],
                chars=functools.partial(self._chars.cosines, text),
                semantic=whole,
                semantic_best=best,
                semantic_adapted=adapted_best,
                lexical=lexical,
                english=None if en_pieces is None else store.english_values(en_pieces, row_array),
                english_adapted=None
                if en_pieces is None or config.english_adapter is None
                else store.english_values(en_search, row_array),
                bm25=bm25,
            )
            if not lazy:
                fill(np.arange(len(docs)))
            results.append(
                QueryCandidates(
                    tuple(self._ids[r] for r in row_array),
                    signals,
                    english=en_pieces is not None,
                    fill=fill if lazy else None,
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

    def _english_query_embeddings(self, cleaned: Sequence[str]) -> list[np.ndarray | None]:
        """Per English query: the English encoder's vectors of the whole text and its sentences."""
        pieces: list[list[str]] = []
        for text in cleaned:
            if not is_english(text):
                pieces.append([])
                continue
            parts = sentences(text, max_sentences=self.config.max_query_sentences)
            pieces.append([text] + (parts if len(parts) > 1 else []))
        flat = [p for group in pieces for p in group]
        if not flat:
            return [None] * len(cleaned)
        vectors = np.asarray(self._english_embedder(flat), dtype=np.float32)
        out: list[np.ndarray | None] = []
        start = 0
        for group in pieces:
            out.append(vectors[start : start + len(group)] if group else None)
            start += len(group)
        return out

    def score(self, signals: np.ndarray, *, english: bool = False) -> np.ndarray:
        """Blend signal rows into 0-1 scores with the configured logistic weights.

        `english`: the rows carry the English encoder's signals; they are then blended with the
        English weights when the configuration has them (else with the multilingual ones, which
        give the English signals no weight).
        """
        config = self.config
        use_english = english and config.english_weights is not None
        chosen = config.english_weights if use_english else config.weights
        bias = config.english_bias if use_english else config.bias
        weights = np.array([chosen.get(s, 0.0) for s in SIGNALS], dtype=np.float64)
        z = np.clip(bias + signals.astype(np.float64) @ weights, -50, 50)
        return 1.0 / (1.0 + np.exp(-z))

    def rank(
        self, cands: QueryCandidates, scores: np.ndarray, *, limit: int | None = None
    ) -> list[tuple[int, float]]:
        """(candidate position, score) best first, near-verbatim copies collapsed.

        A collection often holds the same claim twice (a re-published check, a second scrape);
        they are one claim group, and the earliest-added copy stands for it with the best score
        among the copies. Copies: embeddings at least `duplicate_similarity` alike and texts at
        least 90% alike (rapidfuzz ratio). `limit`: the first `limit` entries only (the same
        ones: an entry's copies depend only on the entries before it).
        """
        order = np.lexsort((np.arange(len(scores)), -scores))
        if not self.config.collapse_duplicates or len(order) < 2:
            return [(int(i), float(scores[i])) for i in order]
        rows = [self._row[cands.ids[i]] for i in order]
        vectors = self._store.vectors[rows]
        similar = vectors @ vectors.T >= self.config.duplicate_similarity
        ranked: list[tuple[int, float]] = []
        taken = np.zeros(len(order), dtype=bool)
        for a in range(len(order)):
            if limit is not None and len(ranked) >= limit:
                break
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
        english_query_embeddings: Sequence[np.ndarray | None] | None = None,
        min_score: float | None = None,
    ) -> list[list[MatchCandidate]]:
        """Best `top` matches per query text, best first.

        `min_score`: leave out the matches scoring below it (the app acts on none of them);
        the costly string signals are then computed only for the candidates that can still
        score at least that and rank in the top (`signals.exact_top`): the matches returned
        are exactly those of the full search at or above `min_score`.

        `lexical_candidates` (aligned with `texts`) are extra claim ids from the database's
        full-text search; with them the index skips its own lexical search over all claims.
        `query_embeddings` (per query, its multilingual vectors, whole text first) and
        `english_query_embeddings` (per query, its English-encoder vectors or None) skip the
        encoders; without the latter, English queries are encoded here when the index holds
        English vectors.
        """
        found = self.candidates(
            texts,
            lexical_candidates=lexical_candidates,
            query_embeddings=query_embeddings,
            english_query_embeddings=english_query_embeddings,
            lazy=min_score is not None,
        )
        results: list[list[MatchCandidate]] = []
        for cands in found:
            if min_score is None:
                scores = self.score(cands.signals, english=cands.english)
                ranked = self.rank(cands, scores, limit=top)[:top]
            else:
                english = cands.english and self.config.english_weights is not None
                ranked = exact_top(
                    cands,
                    score=functools.partial(self.score, english=cands.english),
                    rank=functools.partial(self.rank, cands, limit=top),
                    weights=self.config.english_weights if english else self.config.weights,
                    top=top,
                    min_score=min_score,
                )
            matches = []
            for i, score in ranked:
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
