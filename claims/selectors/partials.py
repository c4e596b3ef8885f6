"""Reads of the claim page's htmx partials: each loads only what its fragment shows.

The evidence list is polled every two seconds while a source is being fetched, so it must not
pay for the claim page (article text, audit history, appearances) nor read the archived pages.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from claims.models import (
    Claim,
    ClaimMatch,
    ClaimNote,
    EvidenceSource,
    KnownSourceDomain,
    SavedFilter,
    Verdict,
)
from claims.selectors.workspace import known_domains_for

# What the evidence list renders of a source; never the archived or pending page bodies.
EVIDENCE_LIST_FIELDS = (
    "id",
    "verdict_id",
    "url",
    "title",
    "publisher",
    "quote",
    "stance",
    "fetch_status",
    "fetch_error",
    "archived_at",
    "created_at",
)


@dataclass(frozen=True)
class EvidencePanel:
    claim: Claim  # only its id: the fragment links back to itself
    verdict: Verdict | None  # only its id and status: whether sources can still be changed
    evidence: list[tuple[EvidenceSource, KnownSourceDomain | None]]

    @property
    def pending(self) -> bool:
        return any(e.fetch_status == EvidenceSource.FetchStatus.PENDING for e, _k in self.evidence)


def evidence_panel(*, claim_id: int) -> EvidencePanel | None:
    """The claim's evidence with the known source domains (3 queries; 1 without a verdict)."""
    claim = (
        Claim.objects.select_related("verdict")
        .only("id", "verdict__id", "verdict__claim_id", "verdict__status")
        .filter(pk=claim_id)
        .first()
    )
    if claim is None:
        return None
    try:
        verdict = claim.verdict
    except Verdict.DoesNotExist:
        return EvidencePanel(claim=claim, verdict=None, evidence=[])
    sources = list(EvidenceSource.objects.filter(verdict_id=verdict.pk).only(*EVIDENCE_LIST_FIELDS))
    known = known_domains_for([e.domain for e in sources])
    return EvidencePanel(
        claim=claim, verdict=verdict, evidence=[(e, known.get(e.domain)) for e in sources]
    )


def claim_notes(*, claim_id: int) -> tuple[Claim, list[ClaimNote]] | None:
    """The notes list of a claim with their authors (2 queries)."""
    claim = Claim.objects.only("id").filter(pk=claim_id).first()
    if claim is None:
        return None
    return claim, list(ClaimNote.objects.filter(claim_id=claim_id).select_related("author"))


def matching_claim(*, claim_id: int) -> Claim | None:
    """The claim as the matching panel needs it: article, outlet and group, no page bodies."""
    return (
        Claim.objects.select_related("article__outlet", "group")
        .defer("embedding", "embedding_en", "article__raw_page", "article__text")
        .filter(pk=claim_id)
        .first()
    )


def claim_match_by_id(*, match_id: int) -> ClaimMatch | None:
    return ClaimMatch.objects.filter(pk=match_id).first()


def saved_filters_of(*, user) -> QuerySet[SavedFilter]:
    """The user's saved queue filters, for the queue page and its results partial."""
    return SavedFilter.objects.filter(user=user).only("id", "name", "query")
