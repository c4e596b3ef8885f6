"""Claim matching in the app: group repeats of a claim, suggest likely repeats, merge and split.

The scoring is the stateless core in `claims.nlp.matching`; this module adds the database around it:

* `article_claims_match` (the NLP worker, after extraction): embed the article's check-worthy
  claims, store the vectors, search each one against every indexed claim of *other* articles
  (semantic neighbours from the worker's in-memory `ClaimIndex`, lexical neighbours from
  PostgreSQL full-text search or, on SQLite, from the index's own TF-IDF), then
  - score >= CONFIRMED: the claim joins the candidate's group (created on first repeat),
  - score >= SUGGESTED: a pending `ClaimMatch` a reviewer confirms or rejects,
  - below: nothing. A claim nobody repeats stays ungrouped; its group is created lazily, the
    first time another claim is matched to it (most claims never repeat, so no 1-claim groups).
* Reviewer services (`claim_match_confirm`, `claim_match_reject`, `claim_groups_merge`,
  `claim_group_split`) check the actor's permission and leave a reason in the audit history.

Idempotent: a claim already in the candidate's group is skipped, `ClaimMatch` is unique per
(claim, group) and a rejected pair (or a claim split out of a group) is never matched again.
"""

from __future__ import annotations

import logging
import math
import re
import threading
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from claims.exceptions import InvalidInputError
from claims.models import Claim, ClaimGroup, ClaimMatch, Verdict
from claims.nlp.matching import (
    ClaimIndex,
    MatchCandidate,
    MatchConfig,
    claim_embeddings,
    embedding_from_bytes,
    embedding_to_bytes,
    match_level,
)
from claims.services.claims import WORK_CLAIM, Actor, require_permission

logger = logging.getLogger(__name__)

CHANGE_GROUP = "claims.change_claimgroup"
# How many ranked candidates per claim are looked at, and how many groups one claim may be
# suggested for (a reviewer wants the few best, not a list).
DEFAULTS = {
    "TOP": 5,
    "MAX_SUGGESTIONS": 3,
    "LEXICAL_CANDIDATES": 30,
    "RECONCILE_SECONDS": 60,
    "LEXICAL_ROW_BUDGET": 300,
}
_EMBED_BATCH = 256
_SYNC_CHUNK = 5000
# PostgreSQL text-search configurations per claim language; others use 'simple' (no stemming).
FTS_CONFIGS = {"de": "german", "en": "english"}


# --- configuration ------------------------------------------------------------------------------


def matching_settings() -> dict[str, Any]:
    """DEFAULTS overridden by ``settings.CLAIMTRACKER_MATCHING`` (keys set to None are ignored)."""
    configured = getattr(settings, "CLAIMTRACKER_MATCHING", None) or {}
    return {**DEFAULTS, **{k: v for k, v in configured.items() if v is not None}}


def match_config() -> MatchConfig:
    """The core's config with the thresholds from ``settings.CLAIMTRACKER_MATCHING`` (if set)."""
    conf = matching_settings()
    base = MatchConfig()
    # replace() keeps whatever else the core's config carries (weights, bias, its adapter ...)
    return replace(
        base,
        confirmed=float(conf.get("CONFIRMED", base.confirmed)),
        suggested=float(conf.get("SUGGESTED", base.suggested)),
        lexical_candidates=int(conf["LEXICAL_CANDIDATES"]),
        # Lexical candidates come from PostgreSQL full-text search or, on SQLite, from the
        # inverted index kept beside the worker's index: the core's own TF-IDF search over every
        # claim would rebuild its weighted matrix after each added claim (O(all claims)).
        lexical_search=False,
    )


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
        if _state is None or _state.index.config.lexical_search != config.lexical_search:
            _state = _IndexState(ClaimIndex(config=config))
        _sync(_state)
        every = float(matching_settings()["RECONCILE_SECONDS"])
        if reconcile or time.monotonic() - _state.reconciled_at >= every:
            _reconcile(_state)
        return _state.index


def _add_rows(state: _IndexState, rows: list[tuple[int, str, bytes]]) -> None:
    if not rows:
        return
    ids = [str(pk) for pk, _text, _emb in rows]
    vectors = np.stack([embedding_from_bytes(bytes(emb)) for _pk, _text, emb in rows])
    state.index.add(ids, [text for _pk, text, _emb in rows], embeddings=vectors)
    state.ids.update(ids)
    for claim_id, (_pk, text, _emb) in zip(ids, rows, strict=True):
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
        rows = list(
            _eligible()
            .filter(pk__gt=state.last_id)
            .order_by("pk")
            .values_list("pk", "text", "embedding")[:_SYNC_CHUNK]
        )
        _add_rows(state, rows)
        if rows:
            state.last_id = rows[-1][0]
        if len(rows) < _SYNC_CHUNK:
            break


def _reconcile(state: _IndexState) -> None:
    alive = {
        str(pk) for pk in _eligible().filter(pk__lte=state.last_id).values_list("pk", flat=True)
    }
    gone = state.ids - alive
    if gone:
        _forget(state, gone)
    missing = sorted(int(i) for i in alive - state.ids)
    for start in range(0, len(missing), _SYNC_CHUNK):
        chunk = missing[start : start + _SYNC_CHUNK]
        _add_rows(
            state,
            list(_eligible().filter(pk__in=chunk).values_list("pk", "text", "embedding")),
        )
    if gone:
        for word, ids in state.postings.items():
            state.postings[word] = list(dict.fromkeys(i for i in ids if i in state.ids))
    state.reconciled_at = time.monotonic()


def _forget(state: _IndexState, ids: Iterable[str]) -> None:
    ids = [i for i in ids if i in state.ids]
    state.index.remove(ids)
    state.ids.difference_update(ids)
    for claim_id in ids:
        state.df.subtract(state.words.pop(claim_id, frozenset()))


def _index_forget(ids: Iterable[str]) -> None:
    """Drop claims that turned out to be deleted from the process's index."""
    with _lock:
        if _state is not None:
            _forget(_state, ids)


# --- embeddings ---------------------------------------------------------------------------------


def claims_embed(*, claims: Sequence[Claim]) -> None:
    """Compute and store (in bulk) the embeddings of claims that have none."""
    todo = [c for c in claims if c.embedding is None]
    for start in range(0, len(todo), _EMBED_BATCH):
        batch = todo[start : start + _EMBED_BATCH]
        vectors = claim_embeddings([c.text for c in batch])
        for claim, vector in zip(batch, vectors, strict=True):
            claim.embedding = embedding_to_bytes(vector)
        # bulk_update bypasses simple-history, which excludes the embedding anyway.
        Claim.objects.bulk_update(batch, ["embedding"])


def claim_embeddings_backfill(*, limit: int = 10_000) -> int:
    """Embed check-worthy claims and claims with a verdict that have no embedding yet.

    For claims stored before matching was switched on; returns how many were embedded.
    """
    claims = list(
        Claim.objects.filter(embedding__isnull=True)
        .filter(Q(checkworthy=True) | Q(verdict__isnull=False))
        .only("id", "text", "embedding")
        .order_by("pk")[:limit]
    )
    claims_embed(claims=claims)
    return len(claims)


# --- candidate search ---------------------------------------------------------------------------

_TERM = re.compile(r"\w+", re.UNICODE)


def claim_words(text: str) -> frozenset[str]:
    return frozenset(w for w in _TERM.findall(text.casefold()) if len(w) > 1)


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


def _tsquery_terms(text: str, df: Mapping[str, int] | None, budget: int) -> str:
    """An OR query for to_tsquery (\\w+ tokens carry no tsquery syntax).

    With word counts: the rarest words (PostgreSQL ranks each matched row by recomputing its
    tsvector, ~30-60 us a row, so the row budget bounds the query's cost). Without: the first 24.
    """
    if df is not None:
        return " | ".join(rare_words(text, df, budget))
    words: list[str] = []
    for word in _TERM.findall(text.casefold()):
        if len(word) > 1 and word not in words:
            words.append(word)
    return " | ".join(words[:24])


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


def _fts_vector_sql(config: str) -> str:
    return f"to_tsvector('{config}'::regconfig, COALESCE(text, ''))"


# The partial GIN indexes the full-text query uses (PostgreSQL only): one migration with
# `migrations.RunSQL(FTS_INDEXES_SQL, FTS_INDEXES_DROP_SQL)` adds them (see docs/matching.md).
# The expressions must stay exactly those of `lexical_candidates_postgres`.
FTS_INDEXES_SQL = [
    f"CREATE INDEX IF NOT EXISTS claim_text_fts_{lang} ON claims_claim "
    f"USING gin ({_fts_vector_sql(config)}) WHERE language = '{lang}'"
    for lang, config in FTS_CONFIGS.items()
] + [
    "CREATE INDEX IF NOT EXISTS claim_text_fts_other ON claims_claim "
    f"USING gin ({_fts_vector_sql('simple')}) WHERE language NOT IN ('de', 'en')"
]
FTS_INDEXES_DROP_SQL = [
    f"DROP INDEX IF EXISTS claim_text_fts_{name}" for name in [*FTS_CONFIGS, "other"]
]


def lexical_candidates_postgres(
    *,
    text: str,
    language: str,
    exclude_article_id: int,
    limit: int,
    df: Mapping[str, int] | None = None,
    budget: int = 300,
) -> list[str]:
    """Ids of the claims whose words best match `text` (PostgreSQL full-text search).

    Same-language claims only (cross-language repeats are the semantic signal's job); the query
    ORs the claim's words and ranks with ts_rank_cd, so paraphrases sharing a few rare words rank
    high. The WHERE clause matches the partial GIN indexes in docs/matching.md.
    """
    terms = _tsquery_terms(text, df, budget)
    if not terms:
        return []
    config = FTS_CONFIGS.get(language, "simple")
    # config comes from the whitelist above and is inlined so the planner can use the index.
    vector = _fts_vector_sql(config)
    # The language literal also comes from the whitelist, so the partial index's predicate holds.
    if language in FTS_CONFIGS:
        language_filter = f"language = '{language}'"
    else:
        language_filter = "language NOT IN ('de', 'en')"
    sql = (
        f"SELECT id FROM {Claim._meta.db_table}, to_tsquery('{config}'::regconfig, %s) AS q "  # noqa: S608
        f"WHERE {language_filter} AND {vector} @@ q AND article_id <> %s "
        f"AND embedding IS NOT NULL ORDER BY ts_rank_cd({vector}, q) DESC, id LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [terms, exclude_article_id, limit])
        return [str(row[0]) for row in cursor.fetchall()]


def claims_find_candidates(
    *, claims: Sequence[Claim], index: ClaimIndex, top: int
) -> list[list[MatchCandidate]]:
    """Ranked candidates for each claim among indexed claims of other articles."""
    if not claims:
        return []
    own = [str(c.pk) for c in claims]
    article_ids = {c.article_id for c in claims}
    # An article's own claims are taken out while it searches (so a claim never matches itself
    # or its neighbours, and the core's duplicate collapsing cannot hide another article's copy
    # behind this article's) and put back afterwards.
    own_indexed = [i for i in own if i in index]
    saved = [(i, index.embedding(i)) for i in own_indexed]
    index.remove(own_indexed)
    try:
        conf = matching_settings()
        if connection.vendor == "postgresql":
            df = matching_word_counts()
            lexical = [
                lexical_candidates_postgres(
                    text=c.text,
                    language=c.language,
                    exclude_article_id=c.article_id,
                    limit=int(conf["LEXICAL_CANDIDATES"]),
                    df=df,
                    budget=int(conf["LEXICAL_ROW_BUDGET"]),
                )
                for c in claims
            ]
        else:
            lexical = [
                lexical_candidates_memory(
                    text=c.text,
                    exclude=own,
                    limit=int(conf["LEXICAL_CANDIDATES"]),
                    budget=int(conf["LEXICAL_ROW_BUDGET"]),
                )
                for c in claims
            ]
        query_vectors = [embedding_from_bytes(bytes(c.embedding))[None, :] for c in claims]
        found = index.search(
            [c.text for c in claims],
            top=top + 5,
            lexical_candidates=lexical,
            query_embeddings=query_vectors,
        )
    finally:
        if saved:
            texts = {str(c.pk): c.text for c in claims}
            index.add(
                [i for i, _v in saved],
                [texts[i] for i, _v in saved],
                embeddings=np.stack([v for _i, v in saved]),
            )
    if len(article_ids) > 1:
        raise ValueError("claims_find_candidates expects the claims of one article")
    return [[m for m in matches if m.id not in own][:top] for matches in found]


# --- groups -------------------------------------------------------------------------------------


def _earliest_claim_id(group_id: int) -> int | None:
    """First appearance: the earliest-published article's claim (stored time when undated)."""
    return (
        Claim.objects.filter(group_id=group_id)
        .annotate(seen=Coalesce("article__published_at", "created_at"))
        .order_by("seen", "pk")
        .values_list("pk", flat=True)
        .first()
    )


def _refresh_group(group_id: int, *, actor: Actor | None, reason: str) -> ClaimGroup | None:
    """Point the representative at the earliest claim; delete the group if it has none left."""
    group = ClaimGroup.objects.select_for_update().filter(pk=group_id).first()
    if group is None:
        return None
    earliest = _earliest_claim_id(group_id)
    if earliest is None:
        group._change_reason = reason
        group._history_user = actor
        group.delete()
        return None
    if group.representative_id != earliest:
        group.representative_id = earliest
        group._change_reason = reason
        group._history_user = actor
        group.save(update_fields=["representative", "updated_at"])
    return group


def _move_claim(
    claim: Claim, group: ClaimGroup | None, *, actor: Actor | None, reason: str
) -> int | None:
    """Put a (locked) claim into `group` (None: out of any group); its verdict follows.

    Returns the id of the group the claim left, for the caller to refresh.
    """
    old = claim.group_id
    if old == (group.pk if group else None):
        return None
    claim.group = group
    claim._change_reason = reason[:100]
    claim._history_user = actor
    claim.save(update_fields=["group", "updated_at"])
    for verdict in Verdict.objects.filter(claim=claim).exclude(group=group):
        verdict.group = group
        verdict._change_reason = reason[:100]
        verdict._history_user = actor
        verdict.save(update_fields=["group", "updated_at"])
    return old


def _new_group(candidate: Claim, *, reason: str) -> ClaimGroup:
    """A group for a (locked) claim that had none: created lazily, on its first repeat."""
    group = ClaimGroup(representative=candidate)
    group._change_reason = reason[:100]
    group.save()
    _move_claim(candidate, group, actor=None, reason=reason)
    return group


# --- matching an article ------------------------------------------------------------------------


@dataclass(frozen=True)
class ClaimMatchOutcome:
    claim_id: int
    joined_group_id: int | None
    suggested_group_ids: tuple[int, ...]


def _record(
    claim: Claim, candidate: MatchCandidate, *, group: ClaimGroup, level: str, decision: str
) -> bool:
    """Store the match once per (claim, group); returns False when one existed already.

    A pending suggestion that now scores as confirmed (thresholds changed) is settled as accepted.
    """
    match, created = ClaimMatch.objects.get_or_create(
        claim=claim,
        group=group,
        defaults={
            "score": candidate.score,
            "signals": {k: float(v) for k, v in candidate.signals.items()},
            "reason": candidate.reason[:300],
            "level": level,
            "decision": decision,
        },
    )
    if (
        not created
        and decision == ClaimMatch.Decision.ACCEPTED
        and match.decision == ClaimMatch.Decision.PENDING
    ):
        match.decision, match.level = decision, level
        match.save(update_fields=["decision", "level", "updated_at"])
    return created


def _claims_match(
    claim: Claim, candidates: Sequence[MatchCandidate], config: MatchConfig
) -> ClaimMatchOutcome:
    """Join or suggest groups for one claim; runs in a transaction.

    A confirmed match means "same group": if one side has a group the other joins it, if neither
    has one a group is created for both; two different groups are only ever *suggested* (groups
    are merged by people). A suggested match to an ungrouped candidate creates its group.
    """
    max_suggestions = int(matching_settings()["MAX_SUGGESTIONS"])
    candidates = [c for c in candidates if match_level(c.score, config) is not None]
    # All rows this claim may touch, locked at once in id order: two workers matching articles
    # that repeat each other lock in the same order, so they wait instead of deadlocking.
    locked = {
        c.pk: c
        for c in Claim.objects.select_for_update()
        .filter(pk__in=[claim.pk, *(int(c.id) for c in candidates)])
        .defer("embedding")
        .order_by("pk")
    }
    claim = locked[claim.pk]
    refused = set(
        ClaimMatch.objects.filter(
            claim__in=list(locked), decision=ClaimMatch.Decision.REJECTED
        ).values_list("claim_id", "group_id")
    )
    joined: int | None = None
    suggested: list[int] = []
    for cand in candidates:
        level = match_level(cand.score, config)
        other = locked.get(int(cand.id))
        if other is None:
            _index_forget([cand.id])  # deleted since the index saw it
            continue
        own_group, other_group = claim.group_id, other.group_id
        if own_group is not None and own_group == other_group:
            continue
        if (claim.pk, other_group) in refused:
            continue
        reason = f"matched claim {other.pk}: {cand.reason}"
        if level == "confirmed" and (own_group is None or other_group is None):
            if own_group is None:
                group = (
                    ClaimGroup.objects.get(pk=other_group)
                    if other_group
                    else _new_group(other, reason=reason)
                )
                _record(
                    claim, cand, group=group, level=level, decision=ClaimMatch.Decision.ACCEPTED
                )
                _move_claim(claim, group, actor=None, reason=reason)
            else:
                if (other.pk, own_group) in refused:
                    continue
                group = ClaimGroup.objects.get(pk=own_group)
                reason = f"matched claim {claim.pk}: {cand.reason}"
                _record(
                    other, cand, group=group, level=level, decision=ClaimMatch.Decision.ACCEPTED
                )
                _move_claim(other, group, actor=None, reason=reason)
            _refresh_group(group.pk, actor=None, reason=reason)
            joined = joined or group.pk
            continue
        if len(suggested) >= max_suggestions:
            continue
        group = (
            ClaimGroup.objects.get(pk=other_group)
            if other_group
            else _new_group(other, reason=reason)
        )
        if _record(claim, cand, group=group, level=level, decision=ClaimMatch.Decision.PENDING):
            suggested.append(group.pk)
    return ClaimMatchOutcome(claim.pk, joined, tuple(suggested))


def article_claims_match(*, article_id: int) -> list[ClaimMatchOutcome]:
    """Match the article's check-worthy claims against earlier claims (idempotent).

    Three steps, so the index only ever sees committed rows: bring the worker's index up to date,
    store the embeddings (committed) and search, then write groups and matches per claim.
    """
    claims = list(
        Claim.objects.filter(article_id=article_id, checkworthy=True)
        .only("id", "article_id", "text", "language", "embedding", "group_id")
        .order_by("index")
    )
    if not claims:
        return []
    # The index is brought up to date before this article's vectors are stored, so it holds
    # them only on a re-run (they are taken out while searching then; see below).
    index = matching_index()
    claims_embed(claims=claims)
    config = match_config()
    top = int(matching_settings()["TOP"])
    found = claims_find_candidates(claims=claims, index=index, top=top)
    outcomes = []
    for claim, candidates in zip(claims, found, strict=True):
        if not candidates or match_level(candidates[0].score, config) is None:
            continue
        with transaction.atomic():
            outcome = _claims_match(claim, candidates, config)
        if outcome.joined_group_id or outcome.suggested_group_ids:
            outcomes.append(outcome)
    return outcomes


# --- reviewer services --------------------------------------------------------------------------


def _lock_match(match_id: int) -> ClaimMatch:
    match = ClaimMatch.objects.select_for_update().filter(pk=match_id).first()
    if match is None:
        raise InvalidInputError(_("This suggestion does not exist."))
    return match


def _decide(match: ClaimMatch, actor: Actor, decision: str) -> None:
    match.decision = decision
    match.decided_by = actor
    match.decided_at = timezone.now()
    match.save(update_fields=["decision", "decided_by", "decided_at", "updated_at"])


@transaction.atomic
def claim_match_confirm(*, actor: Actor, match_id: int) -> ClaimMatch:
    """A reviewer confirms a suggestion: the claim joins the group (leaving any other group)."""
    require_permission(actor, WORK_CLAIM)
    match = _lock_match(match_id)
    if match.decision == ClaimMatch.Decision.ACCEPTED:
        return match
    if match.decision == ClaimMatch.Decision.REJECTED:
        raise InvalidInputError(_("This suggestion was rejected already."))
    claim = Claim.objects.select_for_update().get(pk=match.claim_id)
    reason = f"confirmed match to group {match.group_id}: {match.reason}"
    left = _move_claim(claim, match.group, actor=actor, reason=reason)
    _decide(match, actor, ClaimMatch.Decision.ACCEPTED)
    _refresh_group(match.group_id, actor=actor, reason=reason)
    if left:
        _refresh_group(left, actor=actor, reason=reason)
    return match


@transaction.atomic
def claim_match_reject(*, actor: Actor, match_id: int) -> ClaimMatch:
    """A reviewer rejects a suggestion; matching never proposes this group for the claim again."""
    require_permission(actor, WORK_CLAIM)
    match = _lock_match(match_id)
    if match.decision == ClaimMatch.Decision.REJECTED:
        return match
    if match.decision == ClaimMatch.Decision.ACCEPTED:
        raise InvalidInputError(_("This match was confirmed; split the claim out instead."))
    _decide(match, actor, ClaimMatch.Decision.REJECTED)
    return match


def _published(group_id: int) -> Iterable[Verdict]:
    return Verdict.objects.filter(status=Verdict.Status.PUBLISHED).filter(
        Q(group_id=group_id) | Q(claim__group_id=group_id)
    )


@transaction.atomic
def claim_groups_merge(*, actor: Actor, source: ClaimGroup, target: ClaimGroup) -> ClaimGroup:
    """Move every claim, match and verdict of `source` into `target` and delete `source`.

    Editors only (``claims.change_claimgroup``): a merge can put a published verdict on many
    appearances at once. Refused when both groups carry a published verdict: a group stands for
    one claim with one rating; correct or unpublish one first.
    """
    require_permission(actor, CHANGE_GROUP)
    if source.pk == target.pk:
        raise InvalidInputError(_("Choose two different groups."))
    groups = {
        g.pk: g
        for g in ClaimGroup.objects.select_for_update().filter(pk__in=[source.pk, target.pk])
    }
    if len(groups) != 2:
        raise InvalidInputError(_("This group does not exist."))
    if _published_exists(source.pk) and _published_exists(target.pk):
        raise InvalidInputError(
            _("Both groups have a published verdict; a group can carry only one.")
        )
    target = groups[target.pk]
    reason = f"merged group {source.pk} into group {target.pk}"
    for claim in Claim.objects.select_for_update().filter(group_id=source.pk).order_by("pk"):
        _move_claim(claim, target, actor=actor, reason=reason)
    for verdict in Verdict.objects.filter(group_id=source.pk):
        verdict.group = target
        verdict._change_reason = reason
        verdict._history_user = actor
        verdict.save(update_fields=["group", "updated_at"])
    taken = set(ClaimMatch.objects.filter(group_id=target.pk).values_list("claim_id", flat=True))
    ClaimMatch.objects.filter(group_id=source.pk, claim_id__in=taken).delete()
    ClaimMatch.objects.filter(group_id=source.pk).update(group_id=target.pk)
    # Suggestions of the target for claims that are now in it are settled by the merge.
    ClaimMatch.objects.filter(
        group_id=target.pk, claim__group_id=target.pk, decision=ClaimMatch.Decision.PENDING
    ).update(decision=ClaimMatch.Decision.ACCEPTED, decided_by=actor, decided_at=timezone.now())
    _refresh_group(source.pk, actor=actor, reason=reason)  # empty now: deleted, with history
    return _refresh_group(target.pk, actor=actor, reason=reason) or target


def _published_exists(group_id: int) -> bool:
    return _published(group_id).exists()  # type: ignore[attr-defined]


@transaction.atomic
def claim_group_split(*, actor: Actor, claim: Claim) -> Claim:
    """Take a claim out of its group (a wrong match); it is never auto-matched to it again.

    Reviewers may do it (``claims.work_claim``): undoing a wrong automatic match is routine work.
    The claim's own verdict leaves the group with it.
    """
    require_permission(actor, WORK_CLAIM)
    claim = Claim.objects.select_for_update().filter(pk=claim.pk).first()
    if claim is None:
        raise InvalidInputError(_("This claim does not exist."))
    if claim.group_id is None:
        raise InvalidInputError(_("This claim is not in a group."))
    group_id = claim.group_id
    if not Claim.objects.filter(group_id=group_id).exclude(pk=claim.pk).exists():
        raise InvalidInputError(_("This claim is the only one in its group."))
    reason = f"split out of group {group_id}"
    _move_claim(claim, None, actor=actor, reason=reason)
    now = timezone.now()
    ClaimMatch.objects.update_or_create(
        claim=claim,
        group_id=group_id,
        defaults={
            "decision": ClaimMatch.Decision.REJECTED,
            "decided_by": actor,
            "decided_at": now,
        },
        create_defaults={
            "score": 0.0,
            "level": ClaimMatch.Level.SUGGESTED,
            "reason": reason,
            "decision": ClaimMatch.Decision.REJECTED,
            "decided_by": actor,
            "decided_at": now,
        },
    )
    _refresh_group(group_id, actor=actor, reason=reason)
    return claim


__all__ = [
    "ClaimMatchOutcome",
    "article_claims_match",
    "claim_embeddings_backfill",
    "claim_group_split",
    "claim_groups_merge",
    "claim_match_confirm",
    "claim_match_reject",
    "claims_embed",
    "matching_index",
    "matching_index_reset",
]
