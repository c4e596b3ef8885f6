"""Reviewer work on claims: triage (select / dismiss), assignment, bulk actions.

Every service takes the acting user and checks the role here, not in the view: the API,
admin actions and commands call the same functions and get the same rules.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils.translation import gettext as _

from claims.exceptions import InvalidInputError, PermissionDeniedError
from claims.models import Claim

WORK_CLAIM = "claims.work_claim"
REVIEW_VERDICT = "claims.review_verdict"

User = get_user_model()
Actor = AbstractBaseUser | AnonymousUser


def require_permission(actor: Actor | None, perm: str) -> None:
    """Raise PermissionDeniedError unless ``actor`` is an active user holding ``perm``."""
    if actor is None or not actor.is_authenticated or not actor.is_active:
        raise PermissionDeniedError(_("Please log in."))
    if not actor.has_perm(perm):
        raise PermissionDeniedError(_("Your role does not allow this."))


def can_work(actor: Actor | None) -> bool:
    return bool(actor and actor.is_authenticated and actor.has_perm(WORK_CLAIM))


def can_review(actor: Actor | None) -> bool:
    return bool(actor and actor.is_authenticated and actor.has_perm(REVIEW_VERDICT))


def _lock(claim_id: int) -> Claim:
    try:
        return Claim.objects.select_for_update().get(pk=claim_id)
    except Claim.DoesNotExist as exc:
        raise InvalidInputError(_("This claim does not exist.")) from exc


@transaction.atomic
def claim_select(*, actor: Actor, claim_id: int) -> Claim:
    """Select a new (or dismissed) claim for checking."""
    require_permission(actor, WORK_CLAIM)
    claim = _lock(claim_id)
    if claim.status == Claim.Status.SELECTED:
        return claim  # idempotent: a double click changes nothing
    if claim.status not in (Claim.Status.NEW, Claim.Status.DISMISSED):
        raise InvalidInputError(_("Only new or dismissed claims can be selected for checking."))
    claim.status = Claim.Status.SELECTED
    claim.dismiss_reason = ""
    claim.save(update_fields=["status", "dismiss_reason", "updated_at"])
    return claim


def _validate_reason(reason: str) -> None:
    if reason not in Claim.DismissReason.values:
        raise InvalidInputError(_("Choose a reason for dismissing the claim."))


@transaction.atomic
def claim_dismiss(*, actor: Actor, claim_id: int, reason: str) -> Claim:
    """Dismiss a claim with a reason. Claims with a verdict under way cannot be dismissed."""
    require_permission(actor, WORK_CLAIM)
    _validate_reason(reason)
    claim = _lock(claim_id)
    if claim.status not in (Claim.Status.NEW, Claim.Status.SELECTED, Claim.Status.DISMISSED):
        raise InvalidInputError(_("A claim in review or published cannot be dismissed."))
    claim.status = Claim.Status.DISMISSED
    claim.dismiss_reason = reason
    claim.save(update_fields=["status", "dismiss_reason", "updated_at"])
    return claim


@transaction.atomic
def claim_assign(*, actor: Actor, claim_id: int, assignee_id: int | None) -> Claim:
    """Assign a claim to a reviewer (or nobody). Only users who may work claims can be assignees."""
    require_permission(actor, WORK_CLAIM)
    assignee = None
    if assignee_id is not None:
        assignee = User.objects.filter(pk=assignee_id, is_active=True).first()
        if assignee is None or not assignee.has_perm(WORK_CLAIM):
            raise InvalidInputError(_("This person cannot be assigned claims."))
    claim = _lock(claim_id)
    changed = claim.assignee_id != getattr(assignee, "pk", None)
    claim.assignee = assignee
    claim.save(update_fields=["assignee", "updated_at"])
    if changed:
        _notify_assigned(actor=actor, claims=[claim])
    return claim


def _notify_assigned(*, actor: Actor, claims: list[Claim]) -> None:
    # Imported here: the notification services import the models this module's callers need.
    from claims.services.desk_notifications import notify_assigned as notify

    notify(actor=actor, claims=claims)


def _ids(claim_ids: Iterable[int]) -> list[int]:
    ids = sorted({int(i) for i in claim_ids})
    if not ids:
        raise InvalidInputError(_("Select at least one claim."))
    if len(ids) > 500:
        raise InvalidInputError(_("Select at most 500 claims at once."))
    return ids


@transaction.atomic
def claims_bulk_dismiss(*, actor: Actor, claim_ids: Iterable[int], reason: str) -> int:
    """Dismiss many claims; those already in review or published are left alone. Returns count."""
    require_permission(actor, WORK_CLAIM)
    _validate_reason(reason)
    ids = _ids(claim_ids)
    done = 0
    # One save per claim (not a queryset update) so each change lands in the audit history.
    for claim in Claim.objects.select_for_update().filter(
        pk__in=ids, status__in=[Claim.Status.NEW, Claim.Status.SELECTED]
    ):
        claim.status = Claim.Status.DISMISSED
        claim.dismiss_reason = reason
        claim.save(update_fields=["status", "dismiss_reason", "updated_at"])
        done += 1
    return done


@transaction.atomic
def claims_bulk_assign(*, actor: Actor, claim_ids: Iterable[int], assignee_id: int | None) -> int:
    require_permission(actor, WORK_CLAIM)
    ids = _ids(claim_ids)
    assignee = None
    if assignee_id is not None:
        assignee = User.objects.filter(pk=assignee_id, is_active=True).first()
        if assignee is None or not assignee.has_perm(WORK_CLAIM):
            raise InvalidInputError(_("This person cannot be assigned claims."))
    done = 0
    changed = []
    for claim in Claim.objects.select_for_update().filter(pk__in=ids):
        if claim.assignee_id != getattr(assignee, "pk", None):
            changed.append(claim)
        claim.assignee = assignee
        claim.save(update_fields=["assignee", "updated_at"])
        done += 1
    _notify_assigned(actor=actor, claims=changed)
    return done
