"""The article pipeline's routing: which task an article needs next, sending it, and the sweep
that sends it again when its message was lost.

    queued / fetching -> article_fetch_task
    extracting        -> article_extract_claims_task
    done, not matched -> claim_match_article_task (when matching is on)
    failed / matched  -> nothing

The stages themselves (ingestion.py, matching) move an article from one state to the next and
then call `article_enqueue_next`; the sweep uses the same mapping, so a lost message of any stage
is recovered the same way.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from claims.dispatch import enqueue_on_commit, ledger_unsent
from claims.models import Article
from claims.tasks import (
    article_alerts_task,
    article_extract_claims_task,
    article_fetch_task,
    claim_match_article_task,
)

logger = logging.getLogger(__name__)

Status = Article.Status

# A just-committed article gets its message from the committing process; the sweep leaves it
# alone this long so the two do not race.
SWEEP_GRACE = timedelta(seconds=10)
# Without a ledger (no Redis broker) the sweep cannot tell lost from waiting work: only work
# this old is sent again.
UNTRACKED_AGE = timedelta(minutes=15)


def _matching_enabled() -> bool:
    return bool(settings.CLAIMTRACKER_MATCHING_ENABLED)


def article_next_task(*, status: str, matched: bool = True):
    """The task an article in `status` needs next (None: it is finished)."""
    if status in (Status.QUEUED, Status.FETCHING):
        return article_fetch_task
    if status == Status.EXTRACTING:
        return article_extract_claims_task
    if status == Status.DONE and not matched and _matching_enabled():
        return claim_match_article_task
    return None


def article_enqueue_next(*, article: Article) -> None:
    """Send the article's next task after the current transaction commits."""
    task = article_next_task(status=article.status, matched=article.matched_at is not None)
    if task is not None:
        enqueue_on_commit(task, article.pk)
    elif article.status == Status.DONE and not _matching_enabled():
        enqueue_on_commit(article_alerts_task, article.pk)  # no matching: alerts come next


def _pending() -> Q:
    pending = Q(status__in=(Status.QUEUED, Status.FETCHING, Status.EXTRACTING))
    if _matching_enabled():
        pending |= Q(status=Status.DONE, matched_at__isnull=True)
    return pending


def articles_requeue_stale(*, now=None) -> int:
    """Send again the next task of every pending article whose message is gone.

    Gone = no entry in the dispatch ledger, or an expired lease (claims.dispatch): a broker that
    restarted without persistence, a send that failed while the broker was down, a worker that
    was killed. Work waiting in a backlog has a live entry and is not sent twice. Safe with
    duplicates anyway: every stage checks the article's status under a row lock.
    """
    now = now or timezone.now()
    rows = Article.objects.filter(_pending(), updated_at__lt=now - SWEEP_GRACE).values_list(
        "pk", "status", "matched_at", "updated_at"
    )
    by_task: dict = {}
    for pk, status, matched_at, updated_at in rows.iterator():
        task = article_next_task(status=status, matched=matched_at is not None)
        if task is not None:
            by_task.setdefault(task, []).append((pk, updated_at))
    count = 0
    for task, items in by_task.items():
        unsent = ledger_unsent(task, [pk for pk, _ in items])
        if unsent is None:
            unsent = [pk for pk, updated in items if updated < now - UNTRACKED_AGE]
        for pk in unsent:
            enqueue_on_commit(task, pk)
        count += len(unsent)
    if count:
        logger.info("requeued %s articles whose message was lost", count)
    return count


def fail_article(article_id: int, *, reason: str, message: str, raw: dict | None = None) -> None:
    """End the article as failed with a readable `message` (shown to users and partners) and a
    stable `reason` code."""
    Article.objects.filter(pk=article_id).update(
        status=Status.FAILED,
        error_reason=reason[:64],
        error=message,
        processed_at=timezone.now(),
        updated_at=timezone.now(),
        **(raw or {}),
    )
    logger.info("article %s failed: %s (%s)", article_id, message, reason)


def article_match(*, article_id: int) -> None:
    """Match the article's claims, then mark it matched (the sweep's sign that it is finished)."""
    from claims.services.factchecks.matching import article_factchecks_match
    from claims.services.matching import article_claims_match

    article_claims_match(article_id=article_id)
    # Other fact-checkers' published verdicts ("checked elsewhere"); nothing when none are known.
    article_factchecks_match(article_id=article_id)
    Article.objects.filter(pk=article_id, status=Status.DONE, matched_at__isnull=True).update(
        matched_at=timezone.now()
    )
    # Alerts after the claims are stored and matched; a separate task, so a slow or failing
    # alert evaluation never holds up or fails the pipeline (it is idempotent: dedupe keys).
    enqueue_on_commit(article_alerts_task, article_id)
