"""Reads for known fact-checks: a claim's matches, the queue's badges, evidence suggestions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db.models import Q, QuerySet
from django.urls import reverse

from claims.models import (
    Claim,
    ClaimMatch,
    EvidenceSource,
    KnownFactCheck,
    KnownFactCheckMatch,
    KnownSourceDomain,
    Verdict,
)

Decision = KnownFactCheckMatch.Decision


def claim_factcheck_matches(claim_id: int) -> list[KnownFactCheckMatch]:
    """The claim's known fact-check matches a reviewer has not rejected, confirmed first, then
    best score (1 query)."""
    matches = list(
        KnownFactCheckMatch.objects.filter(claim_id=claim_id)
        .exclude(decision=Decision.REJECTED)
        .select_related("factcheck")
        .defer("factcheck__embedding", "factcheck__embedding_en", "factcheck__raw")
    )
    matches.sort(key=lambda m: (m.decision != Decision.ACCEPTED, -m.score, m.pk))
    return matches


def factcheck_badges(claim_ids: Iterable[int]) -> dict[int, KnownFactCheckMatch]:
    """The best unrejected known fact-check match per claim, for a page of queue rows (1 query)."""
    ids = [int(i) for i in claim_ids]
    if not ids:
        return {}
    best: dict[int, KnownFactCheckMatch] = {}
    for match in (
        KnownFactCheckMatch.objects.filter(claim_id__in=ids)
        .exclude(decision=Decision.REJECTED)
        .select_related("factcheck")
        .only(
            "claim_id",
            "score",
            "level",
            "decision",
            "reason",
            "factcheck__url",
            "factcheck__publisher_name",
            "factcheck__rating_label",
            "factcheck__date_published",
        )
        .order_by("-score", "pk")
    ):
        current = best.get(match.claim_id)
        if current is None or (
            match.decision == Decision.ACCEPTED and current.decision != Decision.ACCEPTED
        ):
            best[match.claim_id] = match
    return best


def known_factchecks() -> QuerySet[KnownFactCheck]:
    """For the API: newest first, without vectors and raw markup."""
    return (
        KnownFactCheck.objects.select_related("source")
        .defer("embedding", "embedding_en", "raw")
        .order_by("-date_published", "-pk")
    )


def known_factcheck_matches() -> QuerySet[KnownFactCheckMatch]:
    return KnownFactCheckMatch.objects.select_related("factcheck").defer(
        "factcheck__embedding", "factcheck__embedding_en", "factcheck__raw"
    )


# --- evidence suggestions ----------------------------------------------------------------------


@dataclass(frozen=True)
class EvidenceSuggestion:
    kind: str  # "own_verdict" | "known_factcheck" | "trusted_source"
    url: str
    title: str
    publisher: str
    rating: str
    reason: str
    score: float
    match_id: int | None = None  # known fact-checks: the match (confirm/cite)


# Our own verdicts weigh more than another desk's, which weigh more than a page we cited before.
_KIND_WEIGHT = {"own_verdict": 1.0, "known_factcheck": 0.9, "trusted_source": 0.6}


def _domain(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def claim_evidence_suggestions(claim: Claim, *, limit: int = 10) -> list[EvidenceSuggestion]:
    """Ranked evidence suggestions for the claim page, each with its reason (fixed queries).

    Our own published verdicts on the same claim (its group) or a related one (groups it is
    suggested for); known fact-checks matched to it; pages from trusted domains (the known-domain
    list, reliability high) already cited as evidence on those related claims' verdicts. Reading
    only: nothing is added or published.
    """
    suggestions: list[EvidenceSuggestion] = []
    related: dict[int, tuple[float, str]] = {}  # group id -> (score, why)
    if claim.group_id is not None:
        related[claim.group_id] = (1.0, "")
    for match in ClaimMatch.objects.filter(claim_id=claim.pk).exclude(
        decision=ClaimMatch.Decision.REJECTED
    ):
        related.setdefault(match.group_id, (match.score, match.reason))
    verdicts = []
    if related:
        verdicts = list(
            Verdict.objects.filter(status=Verdict.Status.PUBLISHED)
            .filter(Q(group_id__in=list(related)) | Q(claim__group_id__in=list(related)))
            .exclude(claim_id=claim.pk)
            .select_related("rating_label", "claim")
            .order_by("-published_at")
        )
    for verdict in verdicts:
        gid = verdict.group_id if verdict.group_id in related else verdict.claim.group_id
        score, why = related.get(gid, (0.5, ""))
        suggestions.append(
            EvidenceSuggestion(
                kind="own_verdict",
                url=reverse("public:verdict_detail", args=[verdict.slug]) if verdict.slug else "",
                title=verdict.claim.claim_text[:200],
                publisher="",
                rating=verdict.rating_label.name if verdict.rating_label else "",
                reason=why[:300],  # "" for the claim's own group: the same claim
                score=score * _KIND_WEIGHT["own_verdict"],
            )
        )
    for match in claim_factcheck_matches(claim.pk):
        fc = match.factcheck
        suggestions.append(
            EvidenceSuggestion(
                kind="known_factcheck",
                url=fc.url,
                title=fc.claim_reviewed[:200],
                publisher=fc.publisher_name,
                rating=fc.rating_label,
                reason=match.reason,
                score=match.score * _KIND_WEIGHT["known_factcheck"],
                match_id=match.pk,
            )
        )
    if related:
        trusted = set(
            KnownSourceDomain.objects.filter(
                reliability=KnownSourceDomain.Reliability.HIGH
            ).values_list("domain", flat=True)
        )
        seen: set[str] = set()
        for evidence in (
            EvidenceSource.objects.filter(
                Q(verdict__group_id__in=list(related))
                | Q(verdict__claim__group_id__in=list(related))
            )
            .exclude(verdict__claim_id=claim.pk)
            .only("url", "title", "publisher", "verdict__group_id")
            .order_by("-created_at")[:50]
        ):
            domain = _domain(evidence.url)
            if evidence.url in seen or not any(
                domain == d or domain.endswith("." + d) for d in trusted
            ):
                continue
            seen.add(evidence.url)
            suggestions.append(
                EvidenceSuggestion(
                    kind="trusted_source",
                    url=evidence.url,
                    title=evidence.title or evidence.url,
                    publisher=evidence.publisher or domain,
                    rating="",
                    reason=domain,
                    score=_KIND_WEIGHT["trusted_source"],
                )
            )
    suggestions.sort(key=lambda s: -s.score)
    return suggestions[:limit]
