"""Reads of published verdicts for the public API, pages, feeds and exports.

Every function returns a QuerySet with the joins its callers need, so a page of any size costs a
fixed number of queries: lists use `select_related` only (one query); detail views add
prefetches for evidence, corrections and appearances (a handful of queries, never one per row).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db.models import (
    Case,
    ExpressionWrapper,
    F,
    FloatField,
    Max,
    Prefetch,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Greatest

from claims.models import Article, Claim, RatingLabel, Verdict, VerdictCorrection

_LIST_JOINS = ("claim__article__outlet", "claim__speaker", "rating_label__scale")


def normalised_rating_expression() -> Case:
    """(value - worst) / (best - worst) in SQL, NULL for non-ordinal labels or unusable scales."""
    value = Cast(F("rating_label__value"), FloatField())
    worst = Cast(F("rating_label__scale__worst_rating"), FloatField())
    best = Cast(F("rating_label__scale__best_rating"), FloatField())
    return Case(
        When(
            rating_label__value__isnull=False,
            rating_label__scale__best_rating__isnull=False,
            rating_label__scale__worst_rating__isnull=False,
            then=Case(
                When(
                    rating_label__scale__best_rating=F("rating_label__scale__worst_rating"),
                    then=Value(None, output_field=FloatField()),
                ),
                default=ExpressionWrapper(
                    (value - worst) / (best - worst), output_field=FloatField()
                ),
            ),
        ),
        default=Value(None, output_field=FloatField()),
        output_field=FloatField(),
    )


def published_verdicts() -> QuerySet[Verdict]:
    """Published verdicts with what a list row shows (claim, article, outlet, label, scale)."""
    return Verdict.objects.filter(
        status=Verdict.Status.PUBLISHED, published_at__isnull=False
    ).select_related(*_LIST_JOINS)


LIST_ROW_FIELDS = (
    "id", "slug", "summary", "published_at", "updated_at",
    "claim__text", "claim__standalone", "claim__claimant", "claim__claimant_role",
    "claim__claim_type", "claim__language",
    "claim__speaker_id", "claim__speaker__name", "claim__speaker__role",
    "claim__speaker__status",
    "claim__article__outlet__name",
    "rating_label__name", "rating_label__alternate_name", "rating_label__value",
    "rating_label__colour", "rating_label__scale__name", "rating_label__scale__best_rating",
    "rating_label__scale__worst_rating",
)  # fmt: skip


def published_verdict_rows() -> QuerySet:
    """Published verdicts as plain dicts with exactly what a list row shows.

    One query like ``published_verdicts()``, but without building six model instances per row,
    which is most of a list page's cost (bench/results/api.md).
    """
    return Verdict.objects.filter(
        status=Verdict.Status.PUBLISHED, published_at__isnull=False
    ).values(*LIST_ROW_FIELDS)


def _appearance_claims() -> QuerySet[Claim]:
    return Claim.objects.select_related("article__outlet").order_by("article__published_at", "pk")


def _with_details(queryset: QuerySet[Verdict]) -> QuerySet[Verdict]:
    return queryset.prefetch_related(
        "evidence",
        Prefetch("corrections", queryset=VerdictCorrection.objects.order_by("created_at", "pk")),
        Prefetch("group__claims", queryset=_appearance_claims()),
        Prefetch("claim__group__claims", queryset=_appearance_claims()),
    )


def published_verdicts_with_details() -> QuerySet[Verdict]:
    """Published verdicts with evidence, corrections and every appearance of the claim.

    Appearances come from the verdict's group (or the claim's group) when there is one, else
    from the claim's own article; `verdict_appearances` picks the right list.
    """
    return _with_details(published_verdicts())


def verdict_for_preview(verdict_id: int) -> Verdict | None:
    """A verdict in any state, loaded exactly as the public page loads a published one, so the
    editor's preview renders what publishing would make public."""
    return _with_details(Verdict.objects.select_related(*_LIST_JOINS)).filter(pk=verdict_id).first()


def published_verdict_by_slug(slug: str) -> Verdict | None:
    return published_verdicts_with_details().filter(slug=slug).first()


def published_verdict_by_id(verdict_id: int) -> Verdict | None:
    return published_verdicts_with_details().filter(pk=verdict_id).first()


def verdict_appearances(verdict: Verdict) -> list[Article]:
    """Distinct articles in which the claim appeared, earliest first (by publication date)."""
    group = verdict.group if verdict.group_id else verdict.claim.group
    claims: Iterable[Claim] = group.claims.all() if group is not None else [verdict.claim]
    seen: set[int] = set()
    articles: list[Article] = []
    for claim in claims:
        article = claim.article
        if article.pk in seen:
            continue
        seen.add(article.pk)
        articles.append(article)
    if verdict.claim.article_id not in seen:  # the reviewed claim's article always appears
        articles.append(verdict.claim.article)
    # Unknown publication dates sort last; ties keep insertion (id) order.
    far_future = datetime.max.replace(tzinfo=None)
    articles.sort(
        key=lambda a: a.published_at.replace(tzinfo=None) if a.published_at else far_future
    )
    return articles


def verdict_last_modified(verdict: Verdict) -> datetime:
    """When the public record last changed: the verdict itself or its latest correction."""
    corrections = list(verdict.corrections.all())
    latest = max((c.created_at for c in corrections), default=None)
    candidates = [d for d in (verdict.updated_at, verdict.published_at, latest) if d is not None]
    return max(candidates)


def verdicts_corrected_or_published(*, limit: int) -> QuerySet[Verdict]:
    """Newest public changes first (publication or latest correction), for the Atom feed."""
    return (
        published_verdicts()
        .annotate(last_correction_at=Max("corrections__created_at"))
        .annotate(
            changed_at=Greatest("published_at", Coalesce("last_correction_at", "published_at"))
        )
        .prefetch_related(
            Prefetch("corrections", queryset=VerdictCorrection.objects.order_by("created_at"))
        )
        .order_by("-changed_at", "-pk")[:limit]
    )


def rating_labels_in_use() -> QuerySet[RatingLabel]:
    return RatingLabel.objects.select_related("scale").order_by("scale__name", "order")
