"""Article reads shared by the command line and the API."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from claims.models import ApiKey, Article, Claim, KnownFactCheckMatch


def article_with_claims(*, article_id: int) -> Article:
    return (
        Article.objects.select_related("outlet")
        .prefetch_related(
            Prefetch("claims", queryset=Claim.objects.select_related("speaker")),
            Prefetch(
                "claims__factcheck_matches",
                queryset=KnownFactCheckMatch.objects.exclude(
                    decision=KnownFactCheckMatch.Decision.REJECTED
                )
                .select_related("factcheck")
                .order_by("-score", "pk"),
            ),
        )
        .get(pk=article_id)
    )


def article_progress(*, article_id: int) -> dict | None:
    """What the article page's polled progress partial shows: the status and why it failed."""
    return Article.objects.filter(pk=article_id).values("pk", "status", "error").first()


def known_factchecks_as_list(claim) -> list[dict]:
    """A claim's known fact-check matches (prefetched), best first, as `ingest --json` prints."""
    return [
        {
            "url": m.factcheck.url,
            "publisher": m.factcheck.publisher_name,
            "rating": m.factcheck.rating_label,
            "score": round(m.score, 4),
            "level": m.level,
        }
        for m in claim.factcheck_matches.all()
    ]


def articles_visible_to_key(articles: QuerySet[Article], *, api_key: ApiKey | None):
    """What an API key may read: a key that reads the claim queue sees every article, a key that
    may only submit sees the articles it submitted. Without a key (a signed-in reviewer) the
    permission classes have decided already."""
    if api_key is None or "claims:read" in (api_key.scopes or []):
        return articles
    return articles.filter(submitted_by_keys=api_key)


def article_list(*, status: str | None = None):
    """Newest first, with the outlet and a claim count, for the articles page."""
    from django.db.models import Count, Q

    articles = Article.objects.select_related("outlet").annotate(
        claim_count=Count("claims", filter=Q(claims__candidate=True))
    )
    if status:
        articles = articles.filter(status=status)
    return articles.defer("text", "raw_page").order_by("-created_at", "-pk")


def article_as_dict(article: Article) -> dict:
    """The article and its claims as plain JSON-ready data: the candidates best first, then the
    sentences kept only as context (``candidate`` false), in article order."""
    claims = sorted(
        article.claims.all(),
        key=lambda c: (not c.candidate, -c.score if c.candidate else 0.0, c.index),
    )
    return {
        "id": article.pk,
        "url": article.url or None,
        "status": article.status,
        "error": article.error or None,
        "error_reason": article.error_reason or None,
        "title": article.title,
        "outlet": article.outlet.name if article.outlet else None,
        "language": article.language or None,
        "published_at": article.published_at.isoformat() if article.published_at else None,
        "duplicate_of": article.duplicate_of_id,
        "text": article.text,
        "claims": [
            {
                "id": c.pk,
                "index": c.index,
                "text": c.text,
                "start": c.start,
                "end": c.end,
                "score": c.score,
                "checkworthy": c.checkworthy,
                "type": c.claim_type,
                "reported": c.reported,
                "claimant": c.claimant or None,
                "claimant_role": c.claimant_role or None,
                "claimant_span": (
                    [c.claimant_start, c.claimant_end] if c.claimant_start is not None else None
                ),
                "speaker": (
                    {"id": c.speaker.pk, "name": c.speaker.name, "role": c.speaker.role or None}
                    if c.speaker_id
                    else None
                ),
                "candidate": c.candidate,
                "segment": c.segment or None,
                "standalone": c.claim_text,
                "standalone_needs_context": c.standalone_needs_context,
                "standalone_unresolved": c.standalone_unresolved,
                "entities": c.entities,
                "numbers": c.numbers,
                "known_factchecks": known_factchecks_as_list(c),
            }
            for c in claims
        ],
    }
