"""Claim groups' membership: moving a claim (its verdicts follow) and keeping the representative.

Split from groups.py, which matches an article's claims: these primitives are shared by that
matching and by the reviewers' merges and splits (review.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce

from claims.models import Claim, ClaimGroup, Verdict
from claims.services.claims import Actor
from claims.services.public_cache import published_verdicts_changed


def _earliest_claim_id(group_id: int) -> int | None:
    """First appearance: the earliest-published article's claim (stored time when undated)."""
    return (
        Claim.objects.filter(group_id=group_id)
        .annotate(seen=Coalesce("article__published_at", "created_at"))
        .order_by("seen", "pk")
        .values_list("pk", flat=True)
        .first()
    )


def published_in_group(group_id: int) -> QuerySet[Verdict]:
    """Published verdicts of the group (given to it, or to one of its claims)."""
    return Verdict.objects.filter(status=Verdict.Status.PUBLISHED).filter(
        Q(group_id=group_id) | Q(claim__group_id=group_id)
    )


def refresh_group(group_id: int, *, actor: Actor | None, reason: str) -> ClaimGroup | None:
    """Point the representative at the earliest claim; delete the group if it has none left.

    Called whenever the group's claims changed: if it carries a published verdict, the public
    answers listing that verdict's appearances are stale after the commit.
    """
    group = ClaimGroup.objects.select_for_update().filter(pk=group_id).first()
    if group is None:
        return None
    if published_in_group(group_id).exists():
        published_verdicts_changed()
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


def move_claim(
    claim: Claim,
    group_id: int | None,
    *,
    actor: Actor | None,
    reason: str,
    verdicts: Sequence[Verdict] | None = None,
) -> int | None:
    """Put a (locked) claim into group `group_id` (None: out of any group); its verdict follows.

    `verdicts` are the claim's verdicts when the caller read them already (else one query).
    Returns the id of the group the claim left, for the caller to refresh.
    """
    old = claim.group_id
    if old == group_id:
        return None
    claim.group_id = group_id
    claim._change_reason = reason[:100]
    claim._history_user = actor
    claim.save(update_fields=["group", "updated_at"])
    _verdicts_follow(
        Verdict.objects.filter(claim=claim) if verdicts is None else verdicts,
        group_id,
        actor=actor,
        reason=reason,
    )
    return old


def _verdicts_follow(
    verdicts: Iterable[Verdict], group_id: int | None, *, actor: Actor | None, reason: str
) -> None:
    for verdict in verdicts:
        if verdict.group_id == group_id:
            continue
        if verdict.status == Verdict.Status.PUBLISHED:
            published_verdicts_changed()  # its appearances are now another group's claims
        verdict.group_id = group_id
        verdict._change_reason = reason[:100]
        verdict._history_user = actor
        verdict.save(update_fields=["group", "updated_at"])
