"""The known fact-checks' per-process in-memory index as it was before the shared index (the
baseline of `bench_known_factchecks.py`; not used by the app).

Copied from `claims/services/factchecks/matching.py` as of commit 60ed27b: a second `ClaimIndex`
of the core per worker process over every known fact-check's vectors, plus an inverted index of
rare words, kept in step by id / `updated_at` and reconciled. `legacy_find_candidates` is the
search `claims_match_factchecks` ran over it.
"""

from __future__ import annotations

import math
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from django.db.models import Max

from claims.models import KnownFactCheck
from claims.nlp.matching import ENGLISH_DIM, ClaimIndex, embedding_from_bytes
from claims.services.matching.config import english_signal_enabled, match_config, matching_settings
from claims.services.matching.words import claim_words, rare_words

_SYNC_CHUNK = 5000


@dataclass
class _State:
    index: ClaimIndex
    last_id: int = 0
    last_updated: datetime | None = None
    ids: set[str] = field(default_factory=set)
    words: dict[str, frozenset[str]] = field(default_factory=dict)
    df: Counter[str] = field(default_factory=Counter)
    postings: dict[str, set[str]] = field(default_factory=dict)
    reconciled_at: float = 0.0


_state: _State | None = None
_lock = threading.Lock()


def factcheck_index_reset() -> None:
    """Forget the process's index (tests; rebuilt on the next search)."""
    global _state
    with _lock:
        _state = None


def _add(state: _State, rows: list[tuple[int, str, bytes, bytes | None]]) -> None:
    if not rows:
        return
    ids = [str(pk) for pk, *_ in rows]
    texts = [text for _pk, text, *_ in rows]
    vectors = np.stack([embedding_from_bytes(bytes(v)) for _pk, _t, v, _e in rows])
    english = [
        None if e is None else embedding_from_bytes(bytes(e), ENGLISH_DIM) for *_rest, e in rows
    ]
    state.index.add(ids, texts, embeddings=vectors, english_embeddings=english)
    for claim_id, text in zip(ids, texts, strict=True):
        old = state.words.get(claim_id)
        if old is not None:
            state.df.subtract(old)
        words = claim_words(text)
        state.words[claim_id] = words
        state.df.update(words)
        for word in words:
            state.postings.setdefault(word, set()).add(claim_id)
    state.ids.update(ids)


def _rows(queryset) -> list[tuple[int, str, bytes, bytes | None]]:
    fields = ["pk", "claim_reviewed", "embedding", "embedding_en"]
    rows = list(queryset.values_list(*fields))
    if not english_signal_enabled():
        rows = [(pk, text, v, None) for pk, text, v, _e in rows]
    return rows


def _sync(state: _State) -> None:
    embedded = KnownFactCheck.objects.filter(embedding__isnull=False)
    while True:
        chunk = _rows(embedded.filter(pk__gt=state.last_id).order_by("pk")[:_SYNC_CHUNK])
        _add(state, chunk)
        if chunk:
            state.last_id = chunk[-1][0]
        if len(chunk) < _SYNC_CHUNK:
            break
    # Corrections (and vectors computed late for rows indexed before): re-added by updated_at.
    # MAX over the updated_at index: an index lookup per search, not a scan of the table.
    newest = KnownFactCheck.objects.aggregate(newest=Max("updated_at"))["newest"]
    if state.last_updated is not None and newest is not None and newest > state.last_updated:
        _add(
            state, _rows(embedded.filter(updated_at__gt=state.last_updated, pk__lte=state.last_id))
        )
    state.last_updated = newest if newest is not None else state.last_updated


def _reconcile(state: _State) -> None:
    alive = {
        str(pk)
        for pk in KnownFactCheck.objects.filter(embedding__isnull=False).values_list(
            "pk", flat=True
        )
    }
    gone = state.ids - alive
    if gone:
        state.index.remove(list(gone))
        state.ids -= gone
        for fc_id in gone:
            state.df.subtract(state.words.pop(fc_id, frozenset()))
    missing = sorted(int(i) for i in alive - state.ids)
    for start in range(0, len(missing), _SYNC_CHUNK):
        _add(
            state, _rows(KnownFactCheck.objects.filter(pk__in=missing[start : start + _SYNC_CHUNK]))
        )
    state.reconciled_at = time.monotonic()


def factcheck_index(*, reconcile: bool = False) -> ClaimIndex:
    """The process's index of known fact-checks, built once and kept in step incrementally."""
    global _state
    with _lock:
        config = match_config()
        if _state is None or _state.index.config.english_signal != config.english_signal:
            _state = _State(ClaimIndex(config=config))
        _sync(_state)
        every = float(matching_settings()["RECONCILE_SECONDS"])
        if reconcile or time.monotonic() - _state.reconciled_at >= every:
            _reconcile(_state)
        return _state.index


def _lexical(text: str, *, limit: int, budget: int) -> list[str]:
    with _lock:
        if _state is None:
            return []
        n = max(len(_state.ids), 1)
        scores: Counter[str] = Counter()
        for word in rare_words(text, _state.df, budget):
            idf = math.log((n + 1) / (_state.df[word] + 1)) + 1.0
            for fc_id in _state.postings.get(word, ()):
                if fc_id in _state.ids:
                    scores[fc_id] += idf
        return [fc_id for fc_id, _ in scores.most_common(limit)]


def legacy_find_candidates(*, texts, vectors, english_vectors, top):
    """The old search: the whole collection's index, its rare-word candidates, the core."""
    conf = matching_settings()
    index = factcheck_index()
    lexical = [
        _lexical(t, limit=int(conf["LEXICAL_CANDIDATES"]), budget=int(conf["LEXICAL_ROW_BUDGET"]))
        for t in texts
    ]
    return index.search(
        list(texts),
        top=top,
        lexical_candidates=lexical,
        query_embeddings=list(vectors),
        english_query_embeddings=list(english_vectors),
    )
