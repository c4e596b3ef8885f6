"""Claim extraction, the pipeline's NLP stage: one claim per unit of the article's text.

Candidates, and the other sentences as context (``candidate`` False), are stored in one
transaction; with matching on, their vectors are computed here in one batch per article (the
matching task then only searches). Whatever goes wrong inside, the article ends done or failed
with a readable reason; a database error is left to the task, which retries it. Each try counts
against MAX_EXTRACT_ATTEMPTS, so a text that always kills or times out its worker is not tried
forever.
"""

from __future__ import annotations

import logging

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import F
from django.utils import timezone

from claims.ingest.budget import TextBudgetError, check_text_budget
from claims.models import Article, Claim
from claims.services.pipeline import article_enqueue_next, fail_article
from claims.services.speakers import article_speakers_link

logger = logging.getLogger(__name__)

Status = Article.Status
MAX_EXTRACT_ATTEMPTS = 3


def _start(article_id: int) -> Article | None:
    """The article if it waits for extraction, with this try counted; None otherwise."""
    with transaction.atomic():
        article = (
            Article.objects.select_for_update()
            .filter(pk=article_id, status=Status.EXTRACTING)
            .only("id", "text", "language", "title", "published_at", "attempts")
            .first()
        )
        if article is None:
            return None
        if article.attempts >= MAX_EXTRACT_ATTEMPTS:
            fail_article(
                article_id,
                reason="too_many_attempts",
                message=f"Finding the claims was interrupted {article.attempts} times; giving up.",
            )
            return None
        Article.objects.filter(pk=article_id).update(attempts=F("attempts") + 1)
        return article


def _claims_of(article: Article) -> tuple[list[Claim], str]:
    from claims.nlp import extract_claims

    extracted = extract_claims(
        article.text,
        lang=article.language or None,
        title=article.title or None,
        published=article.published_at,
    )
    article_id = article.pk
    claims = [
        Claim(
            article_id=article_id,
            index=c.index,
            text=c.text,
            start=c.start,
            end=c.end,
            context_before=c.context_before,
            context_after=c.context_after,
            score=min(max(float(c.score), 0.0), 1.0),
            checkworthy=c.checkworthy,
            claim_type=c.claim_type,
            reported=c.reported,
            claimant=(c.claimant or "")[:200],
            claimant_role=(c.claimant_role or "")[:200],
            claimant_start=c.claimant_span[0] if c.claimant_span else None,
            claimant_end=c.claimant_span[1] if c.claimant_span else None,
            standalone=c.standalone or c.text,
            standalone_needs_context=c.standalone_needs_context,
            standalone_unresolved=list(c.standalone_unresolved),
            candidate=c.candidate,
            segment=c.segment[:16],
            entities=c.to_dict()["entities"],
            numbers=c.to_dict()["numbers"],
            language=c.language,
        )
        for c in extracted
    ]
    if settings.CLAIMTRACKER_MATCHING_ENABLED:
        # Encoded here, outside the transaction and in one batch per article, rather than one
        # claim at a time in the matching task, which then only searches.
        from claims.services.matching import claims_embed_new

        claims_embed_new(claims=claims, sentence_embeddings=[c.embedding for c in extracted])
    return claims, (extracted[0].language if extracted else "")


def article_extract_claims(*, article_id: int) -> None:
    """Run the claim pipeline over the article's text and store one claim per unit."""
    article = _start(article_id)
    if article is None:
        return
    try:
        # Before spaCy: a text outside the budget would stall the worker, and the stale-work
        # sweep would hand it to the next one; it fails for good instead.
        check_text_budget(article.text)
    except TextBudgetError as exc:
        fail_article(article_id, reason=exc.reason, message=exc.message)
        return
    try:
        claims, language = _claims_of(article)
    except DatabaseError:
        raise  # the task retries it; the article stays extracting
    except SoftTimeLimitExceeded:
        fail_article(article_id, reason="timeout", message="Finding the claims took too long.")
        return
    except Exception:
        # The details go to the log; users and partners (Article.error is in the API) get a
        # reason.
        logger.exception("article %s: claim extraction failed", article_id)
        fail_article(
            article_id,
            reason="nlp_error",
            message="The claims of this text could not be extracted.",
        )
        return
    with transaction.atomic():
        article = (
            Article.objects.select_for_update()
            .only("id", "status", "language", "processed_at", "matched_at", "updated_at")
            .get(pk=article_id)
        )
        if article.status != Status.EXTRACTING:
            return
        known = set(article.claims.values_list("index", flat=True))
        Claim.objects.bulk_create([c for c in claims if c.index not in known])
        # In the same transaction: a claim is never visible without its speaker link.
        article_speakers_link(article_id=article_id)
        article.language = article.language or language
        article.status = Status.DONE
        article.processed_at = timezone.now()
        article.matched_at = None
        article.save(
            update_fields=["status", "processed_at", "language", "matched_at", "updated_at"]
        )
        article_enqueue_next(article=article)
