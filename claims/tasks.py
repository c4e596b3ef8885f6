"""Celery tasks: thin, take ids, call one service, retry only transient errors.

acks_late / reject_on_worker_lost / time limits come from settings (CELERY_TASK_*), so a killed
worker's task is delivered again; every service called here is idempotent.
"""

from celery import shared_task
from django.conf import settings
from django.db import OperationalError

from claims.services import feeds, ingestion, webhooks


@shared_task(
    bind=True,
    max_retries=settings.CLAIMTRACKER_FETCH_MAX_RETRIES,
    soft_time_limit=120,
    time_limit=150,
)
def article_fetch_task(self, article_id: int) -> None:
    try:
        ingestion.article_fetch(
            article_id=article_id, final_attempt=self.request.retries >= self.max_retries
        )
    except ingestion.TransientFetchError as exc:
        delay = ingestion.retry_delay(attempt=self.request.retries, retry_after=exc.retry_after)
        raise self.retry(exc=exc, countdown=delay) from exc


@shared_task
def article_extract_claims_task(article_id: int) -> None:
    ingestion.article_extract_claims(article_id=article_id)


@shared_task(soft_time_limit=120, time_limit=150)
def feed_poll_task(feed_id: int) -> None:
    feeds.feed_poll(feed_id=feed_id)


@shared_task
def feeds_poll_due_task() -> None:
    feeds.feeds_poll_due()


@shared_task
def articles_requeue_stale_task() -> None:
    ingestion.articles_requeue_stale()


@shared_task(
    autoretry_for=(OperationalError,), retry_backoff=5, retry_backoff_max=300, max_retries=5
)
def claim_match_article_task(article_id: int) -> None:
    from claims.services.matching import article_claims_match

    article_claims_match(article_id=article_id)


@shared_task(soft_time_limit=120, time_limit=150)
def evidence_fetch_task(evidence_id: int) -> None:
    from claims.services.evidence import evidence_fetch

    evidence_fetch(evidence_id=evidence_id)


@shared_task(bind=True, max_retries=None, soft_time_limit=30, time_limit=45)
def webhook_deliver_task(self, delivery_id: int) -> None:
    try:
        webhooks.webhook_deliver(delivery_id=delivery_id)
    except webhooks.WebhookRetryLater as exc:
        if self.request.is_eager:
            return  # quick start: the beat sweep retries, no sleeping inside a web request
        raise self.retry(countdown=exc.countdown) from exc


@shared_task
def webhooks_retry_due_task() -> None:
    webhooks.webhooks_retry_due()
