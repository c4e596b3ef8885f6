"""Article reads shared by the command line and the API."""

from __future__ import annotations

from claims.models import Article


def article_with_claims(*, article_id: int) -> Article:
    return Article.objects.select_related("outlet").prefetch_related("claims").get(pk=article_id)


def article_list(*, status: str | None = None):
    """Newest first, with the outlet and a claim count, for the articles page."""
    from django.db.models import Count

    articles = Article.objects.select_related("outlet").annotate(claim_count=Count("claims"))
    if status:
        articles = articles.filter(status=status)
    return articles.defer("text", "raw_page").order_by("-created_at", "-pk")


def article_as_dict(article: Article) -> dict:
    """The article and its claims, best first, as plain JSON-ready data."""
    claims = sorted(article.claims.all(), key=lambda c: (-c.score, c.index))
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
                "entities": c.entities,
                "numbers": c.numbers,
            }
            for c in claims
        ],
    }
