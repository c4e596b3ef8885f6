"""Reviewers' decisions on known fact-check matches, and citing one as evidence."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from claims.exceptions import InvalidInputError
from claims.models import EvidenceSource, KnownFactCheckMatch
from claims.services.claims import WORK_CLAIM, Actor, require_permission


def _locked(match_id: int) -> KnownFactCheckMatch:
    match = (
        KnownFactCheckMatch.objects.select_for_update(of=("self",))
        .select_related("factcheck")
        .filter(pk=match_id)
        .first()
    )
    if match is None:
        raise InvalidInputError(_("This fact-check match does not exist."))
    return match


def _decide(actor: Actor, match_id: int, decision: str) -> KnownFactCheckMatch:
    require_permission(actor, WORK_CLAIM)
    match = _locked(match_id)
    if match.decision != decision:
        match.decision = decision
        match.decided_by = actor
        match.decided_at = timezone.now()
        match.save(update_fields=["decision", "decided_by", "decided_at", "updated_at"])
    return match


@transaction.atomic
def factcheck_match_confirm(*, actor: Actor, match_id: int) -> KnownFactCheckMatch:
    """The claim is the one the other fact-checker checked (twice is harmless)."""
    return _decide(actor, match_id, KnownFactCheckMatch.Decision.ACCEPTED)


@transaction.atomic
def factcheck_match_reject(*, actor: Actor, match_id: int) -> KnownFactCheckMatch:
    """Not the same claim: the match is hidden and never proposed again."""
    return _decide(actor, match_id, KnownFactCheckMatch.Decision.REJECTED)


@transaction.atomic
def factcheck_match_cite(*, actor: Actor, match_id: int) -> EvidenceSource:
    """Cite a confirmed match as evidence on the claim's verdict draft (the evidence service:
    the page is fetched and archived like any source). Publishes nothing."""
    from claims.services.evidence import evidence_add

    require_permission(actor, WORK_CLAIM)
    match = _locked(match_id)
    if match.decision != KnownFactCheckMatch.Decision.ACCEPTED:
        raise InvalidInputError(_("Confirm the match before citing it as evidence."))
    fc = match.factcheck
    existing = EvidenceSource.objects.filter(verdict__claim_id=match.claim_id, url=fc.url).first()
    if existing is not None:
        return existing
    rating = fc.rating_label
    quote = _("%(publisher)s rated the claim “%(claim)s”: %(rating)s") % {
        "publisher": fc.publisher_name,
        "claim": fc.claim_reviewed[:1000],
        "rating": rating,
    }
    return evidence_add(
        actor=actor,
        claim_id=match.claim_id,
        url=fc.url,
        stance=EvidenceSource.Stance.CONTEXT,
        quote=quote,
        publisher=fc.publisher_name,
        title=fc.claim_reviewed[:500],
    )
