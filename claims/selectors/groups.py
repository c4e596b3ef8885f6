"""Reads about claim groups: summaries for the queue, repeat counts, "already checked", suggestions.

Each function costs a fixed number of queries whatever the group sizes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, F, Max, Min, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate

from claims.models import Claim, ClaimGroup, ClaimMatch, Verdict

# When a claim "appeared": its article's publication time, else when we stored it.
SEEN = Coalesce("article__published_at", "created_at")


def claim_group_by_id(*, group_id: int) -> ClaimGroup | None:
    return ClaimGroup.objects.filter(pk=group_id).first()


@dataclass(frozen=True)
class GroupSummary:
    group_id: int
    appearances: int
    outlets: int
    first_seen: datetime | None
    last_seen: datetime | None
    languages: tuple[str, ...]


def claim_group_summary(group_ids: Iterable[int]) -> dict[int, GroupSummary]:
    """Per group: appearances, distinct outlets, first/last seen, languages (2 queries).

    For the queue's one-row-per-group display; groups without claims are left out.
    """
    ids = sorted({int(i) for i in group_ids if i is not None})
    if not ids:
        return {}
    rows = (
        Claim.objects.filter(group_id__in=ids)
        .values("group_id")
        .annotate(
            n=Count("id"),
            outlets=Count("article__outlet", distinct=True),
            first=Min(SEEN),
            last=Max(SEEN),
        )
        .order_by()
    )
    languages: dict[int, set[str]] = defaultdict(set)
    for group_id, language in (
        Claim.objects.filter(group_id__in=ids)
        .values_list("group_id", "language")
        .distinct()
        .order_by()
    ):
        if language:
            languages[group_id].add(language)
    return {
        row["group_id"]: GroupSummary(
            group_id=row["group_id"],
            appearances=row["n"],
            outlets=row["outlets"],
            first_seen=row["first"],
            last_seen=row["last"],
            languages=tuple(sorted(languages[row["group_id"]])),
        )
        for row in rows
    }


def group_appearances(group: ClaimGroup | int, *, limit: int | None = None) -> QuerySet[Claim]:
    """The group's claims with their articles and outlets, first appearance first."""
    group_id = group if isinstance(group, int) else group.pk
    qs = (
        Claim.objects.filter(group_id=group_id)
        .select_related("article__outlet")
        .defer("embedding", "embedding_en", "article__raw_page", "article__text")
        .annotate(seen=SEEN)
        .order_by("seen", "pk")
    )
    return qs[:limit] if limit else qs


@dataclass(frozen=True)
class RepeatCounts:
    total: int
    per_day: tuple[tuple[date, int], ...]  # oldest first
    per_outlet: tuple[tuple[str, int], ...]  # most appearances first; "" = unknown outlet


def group_repeat_counts(group: ClaimGroup | int) -> RepeatCounts:
    """How often the group's claim appeared, per day and per outlet (2 queries)."""
    group_id = group if isinstance(group, int) else group.pk
    claims = Claim.objects.filter(group_id=group_id)
    per_day = tuple(
        (row["day"], row["n"])
        for row in claims.annotate(day=TruncDate(SEEN))
        .values("day")
        .annotate(n=Count("id"))
        .order_by("day")
    )
    per_outlet = tuple(
        (row["article__outlet__name"] or "", row["n"])
        for row in claims.values("article__outlet__name")
        .annotate(n=Count("id"))
        .order_by("-n", "article__outlet__name")
    )
    return RepeatCounts(sum(n for _, n in per_day), per_day, per_outlet)


def _published_verdicts() -> QuerySet[Verdict]:
    return (
        Verdict.objects.filter(status=Verdict.Status.PUBLISHED, published_at__isnull=False)
        .select_related("rating_label__scale", "claim")
        .defer("claim__embedding")
    )


def group_verdict(group: ClaimGroup | int | None) -> Verdict | None:
    """The published verdict that applies to every appearance of the group (newest if several).

    A verdict belongs to the group when its `group` says so or its claim is in the group (a
    verdict written before its claim was grouped).
    """
    if group is None:
        return None
    group_id = group if isinstance(group, int) else group.pk
    return (
        _published_verdicts()
        .filter(Q(group_id=group_id) | Q(claim__group_id=group_id))
        .order_by("-published_at", "-pk")
        .first()
    )


def group_verdicts(group_ids: Iterable[int]) -> dict[int, Verdict]:
    """`group_verdict` for many groups in one query (the queue, suggestion lists)."""
    ids = {int(i) for i in group_ids if i is not None}
    if not ids:
        return {}
    found: dict[int, Verdict] = {}
    verdicts = (
        _published_verdicts()
        .filter(Q(group_id__in=ids) | Q(claim__group_id__in=ids))
        .order_by("-published_at", "-pk")
    )
    for verdict in verdicts:
        for gid in (verdict.group_id, verdict.claim.group_id):
            if gid in ids and gid not in found:
                found[gid] = verdict
    return found


def already_checked(claim: Claim) -> Verdict | None:
    """The published verdict of the claim's group, or its own published verdict: "checked"."""
    if claim.group_id is not None:
        return group_verdict(claim.group_id)
    return _published_verdicts().filter(claim_id=claim.pk).first()


def claim_pending_matches(claim: Claim) -> list[ClaimMatch]:
    """Suggestions awaiting a reviewer that concern this claim (2 queries).

    Both directions: this claim suggested into another group, and other claims suggested into
    this claim's group. Each match gets `group_verdict` (the group's published verdict or None).
    """
    condition = Q(claim_id=claim.pk)
    if claim.group_id is not None:
        condition |= Q(group_id=claim.group_id)
    matches = list(
        ClaimMatch.objects.filter(condition, decision=ClaimMatch.Decision.PENDING)
        .exclude(claim__group_id=F("group_id"))  # settled by a merge or a move
        .select_related("claim__article__outlet", "group__representative__article__outlet")
        .defer("claim__embedding", "group__representative__embedding")
        .order_by("-score", "pk")
    )
    verdicts = group_verdicts(m.group_id for m in matches) if matches else {}
    for match in matches:
        match.group_verdict = verdicts.get(match.group_id)
    return matches


def claim_suggestion_count(claim_ids: Iterable[int]) -> dict[int, int]:
    """Pending suggestions per claim, for a queue badge (1 query)."""
    ids = {int(i) for i in claim_ids}
    if not ids:
        return {}
    return dict(
        ClaimMatch.objects.filter(claim_id__in=ids, decision=ClaimMatch.Decision.PENDING)
        .values("claim_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("claim_id", "n")
    )
