"""Reviewers' notes on a claim: research in progress, visible to the whole desk."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from claims.exceptions import InvalidInputError
from claims.models import Claim, ClaimNote
from claims.services.claims import WORK_CLAIM, Actor, require_permission

NOTE_MAX_LENGTH = 10_000


@transaction.atomic
def claim_note_add(*, actor: Actor, claim_id: int, text: str) -> ClaimNote:
    require_permission(actor, WORK_CLAIM)
    text = (text or "").strip()
    if not text:
        raise InvalidInputError(_("A note cannot be empty."))
    if len(text) > NOTE_MAX_LENGTH:
        raise InvalidInputError(_("A note can be at most 10,000 characters long."))
    if not Claim.objects.filter(pk=claim_id).exists():
        raise InvalidInputError(_("This claim does not exist."))
    note = ClaimNote(claim_id=claim_id, author=actor, text=text)
    note.full_clean()
    note.save()
    return note
