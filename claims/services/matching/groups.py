"""Matching an article's claims: join groups, create them lazily, suggest the rest.

Group membership itself (moving a claim, refreshing a group's representative) is in
membership.py, shared with the reviewers' actions in review.py.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone

from claims.models import Claim, ClaimGroup, ClaimMatch, Verdict
from claims.nlp.matching import (
    MatchCandidate,
    MatchConfig,
    exact_key,
    match_level,
)

from .candidates import claims_find_candidates
from .config import match_config, matching_settings
from .embeddings import claims_embed_unsaved, claims_embeddings_store
from .fts import LEXEMES_SQL
from .membership import _verdicts_follow, refresh_group

# --- matching an article ------------------------------------------------------------------------


@dataclass(frozen=True)
class ClaimMatchOutcome:
    claim_id: int
    joined_group_id: int | None
    suggested_group_ids: tuple[int, ...]


def _earlier(a: Claim, b: Claim) -> bool:
    """Whether `a` appeared before `b` (the order of `_earliest_claim_id`; both annotated)."""
    return (a.seen, a.pk) < (b.seen, b.pk)  # type: ignore[attr-defined]


class _Writes:
    """The writes of one claim's matching, with everything they depend on read up front.

    One query each for the locked claims (with their first-seen time), their existing matches
    and, when a claim moves, their verdicts. Claims that move are changed in memory at once (the
    rest of the loop reads their groups) and written in `flush`: one UPDATE for all of them, one
    INSERT for their history rows (the rows save() would write: "~", reason, no user), then the
    groups they joined are refreshed and the new matches go in with one INSERT.
    """

    def __init__(self, locked: dict[int, Claim]):
        self.locked = locked
        self.matches = {
            (m.claim_id, m.group_id): m
            for m in ClaimMatch.objects.filter(claim_id__in=list(locked)).only(
                "id", "claim_id", "group_id", "level", "decision"
            )
        }
        self.new: list[ClaimMatch] = []
        self.moved: dict[int, Claim] = {}
        self.refresh: dict[int, str] = {}  # groups to refresh after the moves, with the reason
        self._verdicts: dict[int, list[Verdict]] | None = None

    def refused(self, claim_id: int, group_id: int | None) -> bool:
        match = self.matches.get((claim_id, group_id))
        return match is not None and match.decision == ClaimMatch.Decision.REJECTED

    def verdicts(self, claim_id: int) -> list[Verdict]:
        if self._verdicts is None:
            self._verdicts = {pk: [] for pk in self.locked}
            for verdict in Verdict.objects.filter(claim_id__in=list(self.locked)):
                self._verdicts[verdict.claim_id].append(verdict)
        return self._verdicts[claim_id]

    def move(self, claim: Claim, group_id: int, *, reason: str) -> None:
        """`move_claim` for a locked claim, its row and history row written in `flush`."""
        if claim.group_id == group_id:
            return
        claim.group_id = group_id
        claim._change_reason = reason[:100]
        claim._history_user = None
        self.moved[claim.pk] = claim
        _verdicts_follow(self.verdicts(claim.pk), group_id, actor=None, reason=reason)

    def new_group(self, candidate: Claim, *, reason: str, sentence_key: str = "") -> ClaimGroup:
        """A group for a (locked) claim that had none: created lazily, on its first repeat."""
        group = ClaimGroup(representative=candidate, sentence_key=sentence_key)
        group._change_reason = reason[:100]
        group.save()
        self.move(candidate, group.pk, reason=reason)
        return group

    def sentence_group(self, key: str, claim: Claim, other: Claim) -> int | None:
        """A group another worker created for the same sentence (see `_sentence_lock`) that
        neither claim was refused from, or None."""
        for group_id in (
            ClaimGroup.objects.filter(sentence_key=key).order_by("pk").values_list("pk", flat=True)
        ):
            if not (self.refused(claim.pk, group_id) or self.refused(other.pk, group_id)):
                return group_id
        return None

    def record(
        self, claim: Claim, candidate: MatchCandidate, *, group_id: int, level: str, decision: str
    ) -> bool:
        """Store the match once per (claim, group); returns False when one existed already.

        A pending suggestion that now scores as confirmed (thresholds changed) is settled as
        accepted.
        """
        match = self.matches.get((claim.pk, group_id))
        if match is None:
            match = ClaimMatch(
                claim_id=claim.pk,
                group_id=group_id,
                score=candidate.score,
                signals={k: float(v) for k, v in candidate.signals.items()},
                reason=candidate.reason[:300],
                level=level,
                decision=decision,
            )
            self.matches[(claim.pk, group_id)] = match
            self.new.append(match)
            return True
        if decision == ClaimMatch.Decision.ACCEPTED and match.decision == (
            ClaimMatch.Decision.PENDING
        ):
            match.decision, match.level = decision, level
            if match.pk is not None:
                match.save(update_fields=["decision", "level", "updated_at"])
        return False

    def flush(self) -> None:
        if self.moved:
            claims = list(self.moved.values())
            now = timezone.now()
            for claim in claims:
                claim.updated_at = now  # bulk_update does not apply auto_now
            Claim.objects.bulk_update(claims, ["group", "updated_at"])
            Claim.history.bulk_history_create(claims, update=True)
        for group_id, reason in self.refresh.items():
            refresh_group(group_id, actor=None, reason=reason)
        # Every (claim, group) pair was checked above under the claims' row locks; a conflict can
        # only come from a concurrent merge re-pointing matches, and then the row is there.
        ClaimMatch.objects.bulk_create(self.new, ignore_conflicts=True)


# Namespace of the advisory locks below (the two-key form of pg_advisory_xact_lock), so they
# cannot collide with another feature's advisory locks.
_SENTENCE_LOCK_SPACE = 0x434C4D  # "CLM"


def sentence_key(text: str) -> str:
    """64-bit hash (hex) of the claim's verbatim form (`exact_key`): the same sentence anywhere
    gets the same key."""
    return hashlib.blake2b(exact_key(text).encode(), digest_size=8).hexdigest()


def _sentence_lock(key: str) -> None:
    """Serialise group creation for one sentence across workers, until the transaction ends.

    Row locks alone do not: two workers matching two copies of the same sentence at the same
    moment may each confirm it against a *different* earlier copy (each worker's candidates
    come from its own view of the index), lock disjoint rows and create two groups for one
    claim. Under this lock the second worker finds the first one's group by `sentence_key` and
    joins it. SQLite serialises write transactions anyway.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s, %s)",
            [_SENTENCE_LOCK_SPACE, int(key[:8], 16) - (1 << 31)],
        )


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
    key = sentence_key(claim.claim_text)
    if claim.group_id is None and any(
        match_level(c.score, config) == "confirmed" for c in candidates
    ):
        _sentence_lock(key)  # before any row lock: the lock order stays the same everywhere
    # All rows this claim may touch, locked at once in id order: two workers matching articles
    # that repeat each other lock in the same order, so they wait instead of deadlocking.
    locked = {
        c.pk: c
        for c in Claim.objects.select_for_update(of=("self",))
        .filter(pk__in=[claim.pk, *(int(c.id) for c in candidates)])
        .annotate(seen=Coalesce("article__published_at", "created_at"))
        .defer("embedding")
        .order_by("pk")
    }
    claim = locked[claim.pk]
    writes = _Writes(locked)
    joined: int | None = None
    suggested: list[int] = []
    for cand in candidates:
        level = match_level(cand.score, config)
        other = locked.get(int(cand.id))
        if other is None:  # deleted since it was found
            continue
        own_group, other_group = claim.group_id, other.group_id
        if own_group is not None and own_group == other_group:
            continue
        if writes.refused(claim.pk, other_group):
            continue
        reason = f"matched claim {other.pk}: {cand.reason}"
        if level == "confirmed" and (own_group is None or other_group is None):
            if own_group is None:
                if other_group is None and (found := writes.sentence_group(key, claim, other)):
                    # Another worker grouped this sentence a moment ago: both join its group.
                    group, group_id = None, found
                    writes.move(other, group_id, reason=reason)
                elif other_group is None:
                    # A new group for both: its first appearance is known from the locked rows,
                    # nobody else can see the group yet, so no need to re-read it.
                    group = writes.new_group(other, reason=reason, sentence_key=key)
                    group_id = group.pk
                else:
                    group, group_id = None, other_group
                writes.record(
                    claim,
                    cand,
                    group_id=group_id,
                    level=level,
                    decision=ClaimMatch.Decision.ACCEPTED,
                )
                writes.move(claim, group_id, reason=reason)
                if group is not None:
                    if _earlier(claim, other):
                        group.representative_id = claim.pk
                        group._change_reason = reason
                        group._history_user = None
                        group.save(update_fields=["representative", "updated_at"])
                else:
                    writes.refresh.setdefault(group_id, reason)
            else:
                if writes.refused(other.pk, own_group):
                    continue
                group_id = own_group
                reason = f"matched claim {claim.pk}: {cand.reason}"
                writes.record(
                    other,
                    cand,
                    group_id=group_id,
                    level=level,
                    decision=ClaimMatch.Decision.ACCEPTED,
                )
                writes.move(other, group_id, reason=reason)
                writes.refresh.setdefault(group_id, reason)
            joined = joined or group_id
            continue
        if len(suggested) >= max_suggestions:
            continue
        group_id = other_group or writes.new_group(other, reason=reason).pk
        if writes.record(
            claim, cand, group_id=group_id, level=level, decision=ClaimMatch.Decision.PENDING
        ):
            suggested.append(group_id)
    writes.flush()
    return ClaimMatchOutcome(claim.pk, joined, tuple(suggested))


def article_claims_match(*, article_id: int) -> list[ClaimMatchOutcome]:
    """Match the article's check-worthy claims against earlier claims (idempotent).

    Three steps, so the index only ever sees committed rows: bring the worker's index up to date,
    embed and search, then write groups and matches per claim, one transaction each. The new
    embeddings are written in the first of those transactions (one commit fewer: each is an
    fsync on PostgreSQL), or on their own when nothing matched; only after that commit can
    another worker's index see them.
    """
    claims = Claim.objects.filter(article_id=article_id, checkworthy=True, candidate=True).only(
        "id",
        "article_id",
        "text",
        "standalone",
        "language",
        "embedding",
        "embedding_en",
        "group_id",
    )
    if connection.vendor == "postgresql":
        # The lexemes of the full-text query, in the same round trip.
        claims = claims.annotate(lexemes=RawSQL(LEXEMES_SQL, []))  # noqa: S611 (constant)
    claims = list(claims.order_by("index"))
    if not claims:
        return []
    unsaved = claims_embed_unsaved(claims=claims)
    config = match_config()
    top = int(matching_settings()["TOP"])
    found = claims_find_candidates(claims=claims, top=top)
    outcomes = []
    for claim, candidates in zip(claims, found, strict=True):
        if not candidates or match_level(candidates[0].score, config) is None:
            continue
        with transaction.atomic():
            if unsaved:
                claims_embeddings_store(claims=unsaved)
                unsaved = []
            outcome = _claims_match(claim, candidates, config)
        if outcome.joined_group_id or outcome.suggested_group_ids:
            outcomes.append(outcome)
    if unsaved:
        claims_embeddings_store(claims=unsaved)
    return outcomes
