"""Reviewer services: confirm or reject a suggestion, merge groups, split a claim out."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from claims.exceptions import InvalidInputError
from claims.models import Claim, ClaimGroup, ClaimMatch, Verdict
from claims.services.claims import WORK_CLAIM, Actor, require_permission

from .membership import move_claim, published_in_group, refresh_group

CHANGE_GROUP = "claims.change_claimgroup"


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
    left = move_claim(claim, match.group_id, actor=actor, reason=reason)
    _decide(match, actor, ClaimMatch.Decision.ACCEPTED)
    refresh_group(match.group_id, actor=actor, reason=reason)
    if left:
        refresh_group(left, actor=actor, reason=reason)
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
        move_claim(claim, target.pk, actor=actor, reason=reason)
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
    refresh_group(source.pk, actor=actor, reason=reason)  # empty now: deleted, with history
    return refresh_group(target.pk, actor=actor, reason=reason) or target


def _published_exists(group_id: int) -> bool:
    return published_in_group(group_id).exists()


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
    move_claim(claim, None, actor=actor, reason=reason)
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
    refresh_group(group_id, actor=actor, reason=reason)
    return claim
