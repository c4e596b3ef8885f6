"""The worker's in-memory index: built once per process from stored embeddings, kept in step.

Beside the core's `ClaimIndex` it keeps word counts and an inverted index of words, for the
rare-word lexical candidates (`lexical_candidates_memory`, and the word choice of the PostgreSQL
query).
"""

from __future__ import annotations

import math
import re
import threading
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, F, Q, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, NullIf

from claims.models import Claim
from claims.nlp.matching import (
    ENGLISH_DIM,
    ClaimIndex,
    embedding_from_bytes,
)

from .config import english_signal_enabled, match_config, matching_settings
from .fts import LEXEMES_SQL, parse_lexemes

_SYNC_CHUNK = 5000

# --- the worker's index -------------------------------------------------------------------------


def _eligible() -> Any:
    """Claims that belong in the index: those with a stored embedding."""
    return Claim.objects.filter(embedding__isnull=False)


@dataclass
class _IndexState:
    index: ClaimIndex
    last_id: int = 0
    ids: set[str] = field(default_factory=set)  # what the index holds, kept on our side
    # In how many indexed claims each word occurs: picks the rare words of a full-text query.
    df: Counter[str] = field(default_factory=Counter)
    words: dict[str, frozenset[str]] = field(default_factory=dict)
    # word -> ids of the claims containing it (deleted ids are skipped when read, and pruned
    # at reconciliation)
    postings: dict[str, list[str]] = field(default_factory=dict)
    # PostgreSQL only: in how many indexed claims each lexeme (the full-text search's stems)
    # occurs, to keep the full-text query within its row budget. Not decremented when a claim
    # is deleted (that would need every claim's lexemes in memory): a deleted claim's lexemes
    # stay counted, which only makes the query choose slightly fewer words.
    lexeme_df: Counter[str] = field(default_factory=Counter)
    # Ids indexed with an English vector: reconciliation compares them with the database, so
    # vectors a backfill adds to claims already indexed reach the index too.
    english_ids: set[str] = field(default_factory=set)
    reconciled_at: float = 0.0


_state: _IndexState | None = None
_lock = threading.Lock()


def matching_index_reset() -> None:
    """Forget the process's index (tests; a worker rebuilds it on the next search)."""
    global _state
    with _lock:
        _state = None


def matching_word_counts() -> Mapping[str, int]:
    """Document frequencies of words over the indexed claims (empty before the first sync)."""
    return _state.df if _state is not None else {}


def matching_lexeme_counts() -> Mapping[str, int]:
    """PostgreSQL: document frequencies of full-text lexemes over the indexed claims."""
    return _state.lexeme_df if _state is not None else {}


def matching_index(*, reconcile: bool = False) -> ClaimIndex:
    """The process's index, built once from stored embeddings and kept in step incrementally.

    Every call adds the claims with an id above the last one seen (an index range scan, cheap
    at any size). Every ``RECONCILE_SECONDS`` (or with ``reconcile=True``) all eligible ids are
    compared with the index: that adds claims embedded late (another worker's article, a
    backfill) and drops deleted ones. Between reconciliations a deleted claim may still come up
    as a candidate; matching skips it and drops it from the index then.
    """
    global _state
    with _lock:
        config = match_config()
        if _state is None or (
            _state.index.config.lexical_search,
            _state.index.config.english_signal,
        ) != (config.lexical_search, config.english_signal):
            _state = _IndexState(ClaimIndex(config=config))
        _sync(_state)
        every = float(matching_settings()["RECONCILE_SECONDS"])
        if reconcile or time.monotonic() - _state.reconciled_at >= every:
            _reconcile(_state)
        return _state.index


class _Row(NamedTuple):
    pk: int
    text: str
    embedding: bytes
    embedding_en: bytes | None  # None also when the English signal is off (not read then)
    lexemes: str | None  # PostgreSQL only


def _rows(queryset: Any, limit: int | None = None) -> list[_Row]:
    """The claims to index with their stored vectors (and lexemes, on PostgreSQL)."""
    # What matching compares: the standalone claim, or the sentence when there is none.
    queryset = queryset.annotate(
        match_text=Coalesce(NullIf(F("standalone"), Value("")), F("text"), output_field=TextField())
    )
    fields = ["pk", "match_text", "embedding"]
    english = english_signal_enabled()
    if english:
        fields.append("embedding_en")
    postgres = connection.vendor == "postgresql"
    if postgres:
        queryset = queryset.annotate(lexemes=RawSQL(LEXEMES_SQL, []))  # noqa: S611 (constant)
        fields.append("lexemes")
    values = queryset.values_list(*fields)
    rows = []
    for pk, text, embedding, *rest in values[:limit] if limit is not None else values:
        embedding_en = rest.pop(0) if english else None
        rows.append(_Row(pk, text, embedding, embedding_en, rest[0] if postgres else None))
    return rows


def _english_vectors(rows: list[_Row]) -> list[np.ndarray | None]:
    return [
        None
        if row.embedding_en is None
        else embedding_from_bytes(bytes(row.embedding_en), ENGLISH_DIM)
        for row in rows
    ]


def _add_rows(state: _IndexState, rows: list[_Row]) -> None:
    if not rows:
        return
    ids = [str(row.pk) for row in rows]
    vectors = np.stack([embedding_from_bytes(bytes(row.embedding)) for row in rows])
    english = _english_vectors(rows)
    state.index.add(ids, [row.text for row in rows], embeddings=vectors, english_embeddings=english)
    state.ids.update(ids)
    for claim_id, vector in zip(ids, english, strict=True):
        if vector is None:
            state.english_ids.discard(claim_id)
        else:
            state.english_ids.add(claim_id)
    for row in rows:
        if row.lexemes is not None:
            state.lexeme_df.update(parse_lexemes(row.lexemes))
    for claim_id, (_pk, text, *_rest) in zip(ids, rows, strict=True):
        words = claim_words(text)
        old = state.words.get(claim_id)
        if old is not None:
            state.df.subtract(old)
        state.words[claim_id] = words
        state.df.update(words)
        for word in words:
            state.postings.setdefault(word, []).append(claim_id)


def _sync(state: _IndexState) -> None:
    while True:
        rows = _rows(_eligible().filter(pk__gt=state.last_id).order_by("pk"), _SYNC_CHUNK)
        _add_rows(state, rows)
        if rows:
            state.last_id = rows[-1].pk
        if len(rows) < _SYNC_CHUNK:
            break


def _reconcile(state: _IndexState) -> None:
    english = english_signal_enabled()
    has_en = ExpressionWrapper(Q(embedding_en__isnull=False), output_field=BooleanField())
    alive: set[str] = set()
    with_english: set[str] = set()
    for pk, en in (
        _eligible()
        .filter(pk__lte=state.last_id)
        .annotate(has_en=has_en if english else Value(False))
        .values_list("pk", "has_en")
    ):
        alive.add(str(pk))
        if en:
            with_english.add(str(pk))
    gone = state.ids - alive
    if gone:
        _forget(state, gone)
    missing = sorted(int(i) for i in alive - state.ids)
    for start in range(0, len(missing), _SYNC_CHUNK):
        chunk = missing[start : start + _SYNC_CHUNK]
        _add_rows(state, _rows(_eligible().filter(pk__in=chunk)))
    # Indexed claims that got an English vector since (a backfill): put them in again with it.
    # Their multilingual vector and words are unchanged, so only the core's index is updated.
    late = sorted(int(i) for i in (with_english & state.ids) - state.english_ids)
    for start in range(0, len(late), _SYNC_CHUNK):
        rows = _rows(_eligible().filter(pk__in=late[start : start + _SYNC_CHUNK]))
        ids = [str(row.pk) for row in rows]
        english_vectors = _english_vectors(rows)
        state.index.add(
            ids,
            [row.text for row in rows],
            embeddings=np.stack([embedding_from_bytes(bytes(row.embedding)) for row in rows]),
            english_embeddings=english_vectors,
        )
        state.english_ids.update(
            i for i, v in zip(ids, english_vectors, strict=True) if v is not None
        )
    if gone:
        for word, ids in state.postings.items():
            state.postings[word] = list(dict.fromkeys(i for i in ids if i in state.ids))
    state.reconciled_at = time.monotonic()


def _forget(state: _IndexState, ids: Iterable[str]) -> None:
    ids = [i for i in ids if i in state.ids]
    state.index.remove(ids)
    state.ids.difference_update(ids)
    state.english_ids.difference_update(ids)
    for claim_id in ids:
        state.df.subtract(state.words.pop(claim_id, frozenset()))


def index_forget(ids: Iterable[str]) -> None:
    """Drop claims that turned out to be deleted from the process's index."""
    with _lock:
        if _state is not None:
            _forget(_state, ids)


WORD = re.compile(r"\w+", re.UNICODE)


def claim_words(text: str) -> frozenset[str]:
    return frozenset(w for w in WORD.findall(text.casefold()) if len(w) > 1)


def rare_words(text: str, df: Mapping[str, int], budget: int, limit: int = 12) -> list[str]:
    """The claim's rarest known words, while the claims containing them stay within `budget`.

    Both lexical retrievers search these only, so they touch a few hundred claims at most
    however common the claim's other words ("government", "percent") are.
    """
    chosen: list[str] = []
    total = 0
    for count, word in sorted((df.get(w, 0), w) for w in claim_words(text) if df.get(w, 0) > 0):
        if chosen and total + count > budget:
            break
        chosen.append(word)
        total += count
        if len(chosen) >= limit:
            break
    return chosen


def lexical_candidates_memory(
    *, text: str, exclude: Iterable[str], limit: int, budget: int
) -> list[str]:
    """The SQLite fallback: claims sharing the claim's rarest words, by summed IDF (in memory).

    Uses the inverted index kept beside the worker's `ClaimIndex`; same contract as
    `lexical_candidates_postgres`.
    """
    with _lock:
        if _state is None:
            return []
        df, postings, alive, n = _state.df, _state.postings, _state.ids, max(len(_state.ids), 1)
        skip = set(exclude)
        scores: Counter[str] = Counter()
        for word in rare_words(text, df, budget):
            idf = math.log((n + 1) / (df[word] + 1)) + 1.0
            for claim_id in set(postings.get(word, ())):
                if claim_id in alive and claim_id not in skip:
                    scores[claim_id] += idf
    return [claim_id for claim_id, _score in scores.most_common(limit)]
