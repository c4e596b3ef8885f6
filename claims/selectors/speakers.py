"""Reads for speakers: the desk's list and page, the public page and the API.

Each function returns its joins, so a page costs a fixed number of queries whatever a speaker's
record holds. The desk sees every claim and verdict; public readers and the API only published
verdicts (``published=True``).
"""

from __future__ import annotations

from collections import Counter, OrderedDict
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from claims.models import Claim, ClaimGroup, Speaker, Verdict

PUBLISHED = Q(verdict__status=Verdict.Status.PUBLISHED, verdict__published_at__isnull=False)


def speaker_list(*, query: str = "", status: str = "") -> QuerySet[Speaker]:
    """Speakers with their claim counts (one query), proposed ones first for the desk to check."""
    speakers = Speaker.objects.annotate(claim_count=Count("claims", distinct=True))
    if query:
        speakers = speakers.filter(
            Q(name__icontains=query)
            | Q(aliases__alias__icontains=query)
            | Q(organisation__icontains=query)
        ).distinct()
    if status in Speaker.Status.values:
        speakers = speakers.filter(status=status)
    return speakers.order_by("-status", "name", "pk")  # "proposed" sorts after "confirmed"


def speaker_detail(*, speaker_id: int) -> Speaker | None:
    return Speaker.objects.prefetch_related("aliases").filter(pk=speaker_id).first()


def speaker_claims(*, speaker_id: int, published: bool = False) -> QuerySet[Claim]:
    """The speaker's claims, newest article first, with article, outlet, verdict and label."""
    claims = (
        Claim.objects.filter(speaker_id=speaker_id, candidate=True)
        .select_related("article__outlet", "verdict__rating_label__scale")
        .defer("embedding", "embedding_en", "article__raw_page", "article__text")
        .order_by("-article__published_at", "-pk")
    )
    return claims.filter(PUBLISHED) if published else claims


def public_speakers() -> QuerySet[Speaker]:
    """Confirmed speakers with at least one published verdict, with how many (one query).
    A proposed speaker is the extraction's guess: not public until a reviewer confirmed it."""
    return (
        Speaker.objects.filter(status=Speaker.Status.CONFIRMED)
        .annotate(
            verdict_count=Count("claims__verdict", filter=Q(**_claim_published()), distinct=True)
        )
        .filter(verdict_count__gt=0)
        .order_by("name", "pk")
    )


def _claim_published() -> dict:
    return {
        "claims__verdict__status": Verdict.Status.PUBLISHED,
        "claims__verdict__published_at__isnull": False,
    }


def public_speaker(*, speaker_id: int) -> Speaker | None:
    return public_speakers().prefetch_related("aliases").filter(pk=speaker_id).first()


def speaker_published_verdicts(*, speaker_id: int) -> QuerySet[Verdict]:
    return (
        Verdict.objects.filter(
            claim__speaker_id=speaker_id,
            status=Verdict.Status.PUBLISHED,
            published_at__isnull=False,
        )
        # The speaker too: each list row names it (one query for the page, as on /verdicts/).
        .select_related("claim__article__outlet", "claim__speaker", "rating_label__scale")
        .defer("claim__embedding", "claim__embedding_en", "claim__article__raw_page")
        .order_by("-published_at", "-pk")
    )


@dataclass(frozen=True)
class MonthRatings:
    month: str  # "2024-03"
    counts: list[tuple[str, str, int]]  # (label, colour, count) in the scale's order
    total: int


def ratings_by_month(claims: list[Claim]) -> tuple[list[str], list[MonthRatings]]:
    """Published ratings of the claims per month the claim was made (the article's date).

    Works on claims already loaded with their verdict and label, so it costs no query.
    """
    labels: OrderedDict[str, str] = OrderedDict()
    months: dict[str, Counter] = {}
    rated = [
        c
        for c in claims
        if hasattr(c, "verdict")
        and c.verdict.status == Verdict.Status.PUBLISHED
        and c.verdict.rating_label_id
    ]
    rated.sort(key=lambda c: (c.verdict.rating_label.scale_id, c.verdict.rating_label.order))
    for claim in rated:
        label = claim.verdict.rating_label
        labels.setdefault(label.name, label.colour)
        when = claim.article.published_at or claim.created_at
        months.setdefault(when.strftime("%Y-%m"), Counter())[label.name] += 1
    rows = [
        MonthRatings(
            month=month,
            counts=[(name, colour, months[month][name]) for name, colour in labels.items()],
            total=sum(months[month].values()),
        )
        for month in sorted(months)
    ]
    return list(labels), rows


def speaker_repeated_groups(*, speaker_id: int, limit: int = 10) -> QuerySet[ClaimGroup]:
    """The claim groups of the speaker's claims with most appearances (all speakers' claims
    in the group count: the claim repeated most, whoever repeats it)."""
    return (
        # By subquery, not a join: a filter on the claims before annotate() would count only
        # the speaker's own claims.
        ClaimGroup.objects.filter(
            pk__in=Claim.objects.filter(speaker_id=speaker_id, group__isnull=False).values(
                "group_id"
            )
        )
        .annotate(
            size=Count("claims", distinct=True),
            by_speaker=Count("claims", filter=Q(claims__speaker_id=speaker_id), distinct=True),
        )
        .filter(size__gt=1)
        .select_related("representative")
        .order_by("-size", "-by_speaker", "pk")[:limit]
    )


# Claim-history reasons that say a claim came to a speaker: an automatic link
# (claims.services.speakers) or a reviewer's move (claims.services.speaker_review).
_LINK_REASONS = (
    Q(history_change_reason__startswith="linked claim ")
    | Q(history_change_reason="speaker corrected")
    | Q(history_change_reason__startswith="merged speaker ")
    | Q(history_change_reason__startswith="split from speaker ")
)


@dataclass(frozen=True)
class HistoryEntry:
    date: object
    user: object  # None: the system (extraction and linking)
    speaker_row: object | None  # a historical speaker row, or None for a claim's link
    claim_id: int | None
    reason: str


def speaker_history(*, speaker_id: int, limit: int) -> list[HistoryEntry]:
    """The speaker's history, newest first: its own changes and every claim linked or moved to
    it, automatic or by a reviewer (two queries)."""
    own = Speaker.history.filter(id=speaker_id).select_related("history_user")
    links = (
        Claim.history.filter(_LINK_REASONS, speaker_id=speaker_id)
        .select_related("history_user")
        .only("id", "history_date", "history_user", "history_change_reason")
    )
    entries = [
        HistoryEntry(h.history_date, h.history_user, h, None, h.history_change_reason or "")
        for h in own.order_by("-history_date")[:limit]
    ] + [
        HistoryEntry(h.history_date, h.history_user, None, h.id, h.history_change_reason or "")
        for h in links.order_by("-history_date")[:limit]
    ]
    entries.sort(key=lambda e: e.date, reverse=True)
    return entries[:limit]
