"""Celery tasks: thin, take ids, call one service, retry only transient errors.

acks_late / reject_on_worker_lost come from settings (CELERY_TASK_*), so a killed worker's task
is delivered again; every service called here is idempotent. Services import these tasks to
enqueue them (`claims.dispatch.enqueue_on_commit`); the tasks import their services inside the
task body, so neither module imports the other at load time.

Time limits are set per queue (settings.CLAIMTRACKER_TIME_LIMITS, docs/deployment.md) and read
by the worker that runs a task: `PipelineTask` leaves them out of the message, which would
otherwise carry the sending process's values.
"""

from __future__ import annotations

import contextlib

from celery import Task, shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from claims import dispatch

# A database that is briefly away (failover, restart, a dropped connection) is retried with
# backoff (2, 4, 8 ... 30 s, jittered) for about five minutes; Celery's Django fixup closes the
# broken connection between tries.
DB_ERRORS = (OperationalError, InterfaceError)
DB_RETRY = {
    "autoretry_for": DB_ERRORS,
    "retry_backoff": 2,
    "retry_backoff_max": 30,
    "retry_jitter": True,
    "max_retries": 12,
}
# Retries wait at most this long (Retry-After is capped at 600 s): the ledger keeps the sweep
# away from a task that is only waiting for its retry.
RETRY_HOLD_SECONDS = 750


def _limits(queue: str) -> dict[str, int]:
    soft, hard = settings.CLAIMTRACKER_TIME_LIMITS[queue]
    return {"soft_time_limit": soft, "time_limit": hard}


class PipelineTask(Task):
    """Lets the worker decide time limits; with `ledger=True` (the article pipeline, which the
    stale-work sweep covers) keeps the dispatch ledger of claims.dispatch."""

    ledger = False

    def apply_async(self, args=None, kwargs=None, **options):
        options.setdefault("time_limit", None)
        options.setdefault("soft_time_limit", None)
        return super().apply_async(args, kwargs, **options)

    def before_start(self, task_id, args, kwargs):
        if self.ledger:
            dispatch.ledger_running(self, args)

    def on_success(self, retval, task_id, args, kwargs):
        if self.ledger:
            dispatch.ledger_done(self, args)

    def on_retry(self, exc, task_id, args, kwargs, einfo):
        if self.ledger:
            dispatch.ledger_retrying(self, args, RETRY_HOLD_SECONDS)

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        if self.ledger:
            dispatch.ledger_failed(self, args)


@shared_task(
    bind=True,
    base=PipelineTask,
    ledger=True,
    max_retries=settings.CLAIMTRACKER_FETCH_MAX_RETRIES,
    **_limits("fetch"),
)
def article_fetch_task(self, article_id: int) -> None:
    from claims.services import ingestion

    try:
        ingestion.article_fetch(
            article_id=article_id, final_attempt=self.request.retries >= self.max_retries
        )
    except ingestion.TransientFetchError as exc:
        delay = ingestion.retry_delay(attempt=self.request.retries, retry_after=exc.retry_after)
        raise self.retry(exc=exc, countdown=delay) from exc
    except DB_ERRORS as exc:
        # Its own budget: the fetch retries above count network trouble only.
        raise self.retry(
            exc=exc, countdown=min(2 * 2**self.request.retries, 30), max_retries=12
        ) from exc


@shared_task(base=PipelineTask, ledger=True, **DB_RETRY, **_limits("nlp"))
def article_extract_claims_task(article_id: int) -> None:
    from claims.services.claim_extraction import article_extract_claims

    article_extract_claims(article_id=article_id)


@shared_task(base=PipelineTask, ledger=True, **DB_RETRY, **_limits("nlp"))
def claim_match_article_task(article_id: int) -> None:
    from claims.services.pipeline import article_match

    article_match(article_id=article_id)


@shared_task(base=PipelineTask, **DB_RETRY, **_limits("nlp"))
def claim_embed_task(claim_id: int) -> None:
    from claims.services.matching import claim_embed_checked

    claim_embed_checked(claim_id=claim_id)


@shared_task(base=PipelineTask, **DB_RETRY, **_limits("fetch"))
def feed_poll_task(feed_id: int) -> None:
    from claims.services.feeds import feed_poll

    feed_poll(feed_id=feed_id)


@shared_task(base=PipelineTask, **_limits("default"))
def feeds_poll_due_task() -> None:
    from claims.services.feeds import feeds_poll_due

    feeds_poll_due()


@shared_task(base=PipelineTask, **_limits("default"))
def articles_requeue_stale_task() -> None:
    from claims.services.pipeline import articles_requeue_stale

    articles_requeue_stale()


@shared_task(base=PipelineTask, **DB_RETRY, **_limits("fetch"))
def evidence_fetch_task(evidence_id: int) -> None:
    from claims.services.evidence import evidence_fetch

    evidence_fetch(evidence_id=evidence_id)


@shared_task(base=PipelineTask, **DB_RETRY, **_limits("default"))
def webhooks_emit_task(verdict_id: int, event: str) -> None:
    from claims.services.webhooks import webhooks_emit

    webhooks_emit(verdict_id=verdict_id, event=event)


@shared_task(bind=True, base=PipelineTask, max_retries=None, soft_time_limit=30, time_limit=45)
def webhook_deliver_task(self, delivery_id: int) -> None:
    from claims.services import webhooks

    try:
        webhooks.webhook_deliver(delivery_id=delivery_id)
    except webhooks.WebhookRetryLater as exc:
        if self.request.is_eager:
            return  # quick start: the beat sweep retries, no sleeping inside a web request
        raise self.retry(countdown=exc.countdown) from exc


@shared_task(base=PipelineTask, **_limits("default"))
def webhooks_retry_due_task() -> None:
    from claims.services.webhooks import webhooks_retry_due

    webhooks_retry_due()


@shared_task(bind=True, base=PipelineTask, max_retries=6, soft_time_limit=60, time_limit=90)
def notification_email_task(self, notification_id: int) -> None:
    from claims.services import notifications

    try:
        notifications.notification_email_deliver(notification_id=notification_id)
    except notifications.EmailRetryLater as exc:
        if self.request.is_eager:
            return  # quick start: the beat sweep sends it again, no sleeping inside a request
        raise self.retry(countdown=min(30 * 2**self.request.retries, 1800)) from exc
    except DB_ERRORS as exc:
        raise self.retry(countdown=min(2 * 2**self.request.retries, 30)) from exc


@shared_task(base=PipelineTask, **_limits("default"))
def notification_emails_retry_due_task() -> None:
    from claims.services.notifications import notification_emails_retry_due

    notification_emails_retry_due()


@shared_task(base=PipelineTask, **DB_RETRY, **_limits("nlp"))
def article_alerts_task(article_id: int) -> None:
    from claims.services.alerts import article_alerts_evaluate

    article_alerts_evaluate(article_id=article_id)


@shared_task(base=PipelineTask, **_limits("default"))
def alerts_requeue_stale_task() -> None:
    from claims.services.alerts import alerts_requeue_stale

    alerts_requeue_stale()


@shared_task(base=PipelineTask, **_limits("default"))
def notifications_digest_task() -> None:
    from claims.services.digest import digests_send

    digests_send()


@shared_task(base=PipelineTask, **_limits("default"))
def vector_index_update_task() -> None:
    """Beat: add what was embedded since to the shared vector index (one writer per machine's
    index directory: a run that finds another writer at work returns at once)."""
    from claims.services.matching import vector_index_update

    vector_index_update()


@shared_task(base=PipelineTask, **_limits("default"))
def factcheck_index_update_task() -> None:
    """Beat: the same for the known fact-checks' shared index (its own directory and lock)."""
    from claims.services.factchecks.index import factcheck_index_update

    factcheck_index_update()


@shared_task(base=PipelineTask, **DB_RETRY, **_limits("fetch"))
def factcheck_source_poll_task(source_id: int) -> None:
    from claims.services.factchecks.sources import FactCheckSourceError, factcheck_source_poll

    # A source that cannot be read is recorded on it (last_error); the next poll tries again.
    with contextlib.suppress(FactCheckSourceError):
        factcheck_source_poll(source_id=source_id)


@shared_task(base=PipelineTask, **_limits("default"))
def factcheck_sources_poll_due_task() -> None:
    from claims.services.factchecks.sources import factcheck_sources_poll_due

    factcheck_sources_poll_due()


@shared_task(base=PipelineTask, **DB_RETRY, **_limits("nlp"))
def factchecks_match_claims_task(claim_ids: list[int]) -> None:
    from claims.services.factchecks.matching import claims_match_factchecks

    claims_match_factchecks(claim_ids=claim_ids)
