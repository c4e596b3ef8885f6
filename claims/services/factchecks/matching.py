"""Matching claims against known fact-checks, with the same core as our own claims.

The worker keeps a second `ClaimIndex` (the core's, with the app's thresholds) over the known
fact-checks' `claim_reviewed`, built once per process from their stored vectors and kept in step
(new rows by id, corrected rows by `updated_at`, deleted ones at reconciliation). Lexical
candidates come from an inverted index of rare words beside it, as `lexical_candidates_memory`
does for claims; the semantic signal finds German↔English repeats.

`claims_match_factchecks` scores claims against it and stores `KnownFactCheckMatch` rows (level
confirmed/suggested as the core says, the core's reason); a match a reviewer rejected is never
proposed again, one they accepted keeps its decision.
"""

from __future__ import annotations

import math
import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from claims.models import Claim, KnownFactCheck, KnownFactCheckMatch
from claims.nlp.matching import (
    ENGLISH_DIM,
    ClaimIndex,
    claim_embeddings,
    embedding_from_bytes,
    embedding_to_bytes,
    english_claim_embeddings,
    match_level,
)
from claims.services.matching.candidates import claims_embed_unsaved, claims_embeddings_store
from claims.services.matching.config import english_signal_enabled, match_config, matching_settings
from claims.services.matching.index import claim_words, rare_words

_BATCH = 256
_SYNC_CHUNK = 5000


# --- vectors -----------------------------------------------------------------------------------


def factchecks_embed_missing(*, limit: int | None = None) -> int:
    """Compute and store the matching vectors of known fact-checks that have none."""
    english = english_signal_enabled()
    done = 0
    while limit is None or done < limit:
        size = _BATCH if limit is None else min(_BATCH, limit - done)
        rows = list(
            KnownFactCheck.objects.filter(embedding__isnull=True)
            .order_by("pk")
            .only("id", "claim_reviewed")[:size]
        )
        if not rows:
            break
        texts = [fc.claim_reviewed for fc in rows]
        now = timezone.now()
        vectors = claim_embeddings(texts)
        english_vectors = english_claim_embeddings(texts) if english else [None] * len(rows)
        for fc, vector, en in zip(rows, vectors, english_vectors, strict=True):
            fc.embedding = embedding_to_bytes(vector)
            fc.embedding_en = None if en is None else embedding_to_bytes(en, ENGLISH_DIM)
            # The index re-reads rows by updated_at: a corrected review's new vector reaches it.
            fc.updated_at = now
        KnownFactCheck.objects.bulk_update(rows, ["embedding", "embedding_en", "updated_at"])
        done += len(rows)
    return done


# --- the worker's index ------------------------------------------------------------------------


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


# --- matching ----------------------------------------------------------------------------------


_CLAIM_FIELDS = ("id", "article_id", "text", "standalone", "language", "embedding", "embedding_en")


def claims_match_factchecks(*, claim_ids: Sequence[int]) -> list[KnownFactCheckMatch]:
    """Match claims against the known fact-checks; store and return the matches (idempotent)."""
    if not KnownFactCheck.objects.exists():
        return []
    claims = list(Claim.objects.filter(pk__in=list(claim_ids)).only(*_CLAIM_FIELDS).order_by("pk"))
    if not claims:
        return []
    factchecks_embed_missing()
    index = factcheck_index()
    if len(index) == 0:
        return []
    unsaved = claims_embed_unsaved(claims=claims)
    if unsaved:
        claims_embeddings_store(claims=unsaved)
    conf = matching_settings()
    config = match_config()

    def search(index: ClaimIndex):
        lexical = [
            _lexical(
                c.claim_text,
                limit=int(conf["LEXICAL_CANDIDATES"]),
                budget=int(conf["LEXICAL_ROW_BUDGET"]),
            )
            for c in claims
        ]
        return index.search(
            [c.claim_text for c in claims],
            top=int(conf["TOP"]),
            lexical_candidates=lexical,
            query_embeddings=[embedding_from_bytes(bytes(c.embedding))[None, :] for c in claims],
            english_query_embeddings=[
                None
                if c.embedding_en is None
                else embedding_from_bytes(bytes(c.embedding_en), ENGLISH_DIM)[None, :]
                for c in claims
            ],
        )

    found = search(index)
    # A deleted review stays in this process's index until the next reconcile; left there it
    # takes a top place (a deleted and re-imported review outranks its live copy's tie) and is
    # then dropped at storing, so the claim loses its match. Reconcile now and search again.
    candidate_ids = {int(c.id) for candidates in found for c in candidates}
    alive = set(KnownFactCheck.objects.filter(pk__in=candidate_ids).values_list("pk", flat=True))
    if candidate_ids - alive:
        found = search(factcheck_index(reconcile=True))
    keep = int(conf["MAX_SUGGESTIONS"])
    stored: list[KnownFactCheckMatch] = []
    for claim, candidates in zip(claims, found, strict=True):
        matched = [
            (c, level) for c in candidates if (level := match_level(c.score, config)) is not None
        ][:keep]
        if matched:
            stored.extend(_store_matches(claim, matched))
    return stored


@transaction.atomic
def _store_matches(claim: Claim, matched) -> list[KnownFactCheckMatch]:
    ids = [int(c.id) for c, _level in matched]
    existing = {
        m.factcheck_id: m
        for m in KnownFactCheckMatch.objects.select_for_update().filter(
            claim_id=claim.pk, factcheck_id__in=ids
        )
    }
    alive = set(KnownFactCheck.objects.filter(pk__in=ids).values_list("pk", flat=True))
    out = []
    for cand, level in matched:
        fc_id = int(cand.id)
        if fc_id not in alive:
            continue
        match = existing.get(fc_id)
        if match is None:
            match = KnownFactCheckMatch.objects.create(
                claim_id=claim.pk,
                factcheck_id=fc_id,
                score=float(cand.score),
                signals={k: float(v) for k, v in cand.signals.items()},
                reason=cand.reason[:300],
                level=level,
            )
        elif match.decision == KnownFactCheckMatch.Decision.PENDING:
            match.score, match.level, match.reason = float(cand.score), level, cand.reason[:300]
            match.save(update_fields=["score", "level", "reason", "updated_at"])
        out.append(match)
    return out


def article_factchecks_match(*, article_id: int) -> list[KnownFactCheckMatch]:
    """The article's check-worthy claims against the known fact-checks (the NLP worker, after
    the article's own matching)."""
    ids = list(
        Claim.objects.filter(article_id=article_id, checkworthy=True, candidate=True).values_list(
            "pk", flat=True
        )
    )
    return claims_match_factchecks(claim_ids=ids)


def claims_rematch_factchecks(*, since=None, batch: int = 200) -> int:
    """Match stored claims again (after importing fact-checks): the check-worthy candidates,
    optionally those created since a date; returns how many claims were looked at."""
    claims = Claim.objects.filter(checkworthy=True, candidate=True)
    if since is not None:
        claims = claims.filter(created_at__gte=since)
    ids = list(claims.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        claims_match_factchecks(claim_ids=ids[start : start + batch])
    return len(ids)
