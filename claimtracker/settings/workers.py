"""Celery: the broker, acknowledgement and time limits, the queues each task goes to, and the beat
schedule of the sweeps (docs/deployment.md). Imported by base.py."""

from pathlib import Path

from celery.schedules import crontab

from .environment import BASE_DIR, env

# --- Celery ---------------------------------------------------------------------------------
# No broker configured = the embedded quick start: tasks run eagerly in the calling process,
# through the same task code. With Redis configured, real workers do the work.
_BROKER = env("CELERY_BROKER_URL", default=env("REDIS_URL", default=""))
CELERY_TASK_ALWAYS_EAGER = not _BROKER
# Eager tasks never reach a broker; "memory://" keeps kombu from looking for one on localhost.
CELERY_BROKER_URL = _BROKER or "memory://"
if _BROKER.startswith("filesystem://"):
    # The quick start's broker (bin/start): messages are files in a folder, so a worker runs the
    # tasks off the request without any service to install. Not for production (no acks: a
    # killed worker's message is recovered by the stale-work sweep only).
    _BROKER_DIR = Path(
        env("CLAIMTRACKER_BROKER_DIR", default=str(BASE_DIR / ".quickstart" / "broker"))
    )
    CELERY_BROKER_TRANSPORT_OPTIONS_FILESYSTEM = {
        "data_folder_in": str(_BROKER_DIR),
        "data_folder_out": str(_BROKER_DIR),
        "control_folder": str(_BROKER_DIR / "control"),
        "store_processed": False,
    }
# Load the models when a worker starts rather than on its first article (bin/start turns it on).
CLAIMTRACKER_WORKER_WARMUP = env.bool("CLAIMTRACKER_WORKER_WARMUP", default=False)
# A prefork child warming up needs longer than the 4 s Celery gives it to report ready.
CELERY_WORKER_PROC_ALIVE_TIMEOUT = 180.0 if CLAIMTRACKER_WORKER_WARMUP else 4.0
# The quick start keeps a page working when an eager task fails (the error is logged); tests
# turn this on so a failing task fails its test.
CELERY_TASK_EAGER_PROPAGATES = env.bool("CELERY_TASK_EAGER_PROPAGATES", default=False)
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# A task is acknowledged only when it finished, and put back when its worker dies, so a killed
# worker's article is processed again (the default early ack loses it; see docs/deployment.md).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# The backstop for a task without limits of its own; every ClaimTracker task has its queue's
# limits (CLAIMTRACKER_TIME_LIMITS below).
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=360)
# (soft, hard) seconds per queue, read by the worker that runs the task (claims.tasks leaves
# them out of the message, which would carry the sender's). The soft limit ends the article
# failed with a reason; the hard one kills the pool process, and the stale-work sweep retries
# it within the stage's attempt cap. docs/deployment.md lists them.
CLAIMTRACKER_TIME_LIMITS = {
    queue: (
        env.int(f"CLAIMTRACKER_{queue.upper()}_SOFT_TIME_LIMIT", default=soft),
        env.int(f"CLAIMTRACKER_{queue.upper()}_TIME_LIMIT", default=hard),
    )
    for queue, soft, hard in (("fetch", 120, 150), ("nlp", 120, 150), ("default", 60, 90))
}
# Redis re-delivers an unacknowledged message after the visibility timeout: it must exceed the
# longest task and the longest retry countdown (600 s), or a slow task runs twice. A killed
# worker's article does not wait for it: its lease in the dispatch ledger expires first
# (claims/dispatch.py).
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    # kombu sweeps for abandoned messages every interval * throttle seconds (default 10 * 10).
    "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_INTERVAL", default=10),
    "unacked_restore_throttle": env.int("CELERY_UNACKED_RESTORE_THROTTLE", default=10),
}
if _BROKER.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = CELERY_BROKER_TRANSPORT_OPTIONS_FILESYSTEM
# How long a killed worker's article waits before the stale-work sweep sends it again: a
# running task's lease in the dispatch ledger, renewed every quarter of it (claims/dispatch.py).
CLAIMTRACKER_LEASE_SECONDS = env.int("CLAIMTRACKER_LEASE_SECONDS", default=60)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "claims.tasks.article_fetch_task": {"queue": "fetch"},
    "claims.tasks.feed_poll_task": {"queue": "fetch"},
    "claims.tasks.feeds_poll_due_task": {"queue": "fetch"},
    "claims.tasks.evidence_fetch_task": {"queue": "fetch"},
    "claims.tasks.article_extract_claims_task": {"queue": "nlp"},
    "claims.tasks.claim_match_article_task": {"queue": "nlp"},
    "claims.tasks.webhook_deliver_task": {"queue": "fetch"},
    "claims.tasks.webhooks_retry_due_task": {"queue": "fetch"},
    "claims.tasks.webhooks_emit_task": {"queue": "fetch"},
    "claims.tasks.factcheck_source_poll_task": {"queue": "fetch"},
    "claims.tasks.factcheck_sources_poll_due_task": {"queue": "fetch"},
    "claims.tasks.factchecks_match_claims_task": {"queue": "nlp"},
}
CELERY_BEAT_SCHEDULE = {
    "poll-due-feeds": {"task": "claims.tasks.feeds_poll_due_task", "schedule": 60.0},
    # The database is the source of truth for pending work: this sweep sends again, within
    # seconds, what has no live message (claims/dispatch.py).
    "requeue-stale-articles": {
        "task": "claims.tasks.articles_requeue_stale_task",
        "schedule": env.float("CLAIMTRACKER_REQUEUE_INTERVAL", default=15.0),
    },
    "retry-due-webhooks": {"task": "claims.tasks.webhooks_retry_due_task", "schedule": 60.0},
    # Notification emails whose message was lost (broker or worker restart) go out again.
    "retry-due-notification-emails": {
        "task": "claims.tasks.notification_emails_retry_due_task",
        "schedule": 300.0,
    },
    # Alerts of matched articles whose alert task was lost (broker or worker restart).
    "requeue-stale-alerts": {"task": "claims.tasks.alerts_requeue_stale_task", "schedule": 120.0},
    # The daily digest, at CLAIMTRACKER_DIGEST_HOUR (CELERY_TIMEZONE); once a day per user.
    "daily-digest": {
        "task": "claims.tasks.notifications_digest_task",
        "schedule": crontab(minute=0, hour=env.int("CLAIMTRACKER_DIGEST_HOUR", default=7)),
    },
    # Adds newly embedded claims to the shared vector index (docs/matching.md); searches scan
    # the claims embedded since exactly, so the interval trades write volume for scan time.
    "update-vector-index": {
        "task": "claims.tasks.vector_index_update_task",
        "schedule": env.float("CLAIMTRACKER_VECTOR_INDEX_INTERVAL", default=120.0),
    },
    # The known fact-checks' shared index (docs/known-factchecks.md), on the same interval.
    "update-factcheck-index": {
        "task": "claims.tasks.factcheck_index_update_task",
        "schedule": env.float("CLAIMTRACKER_VECTOR_INDEX_INTERVAL", default=120.0),
    },
    # Known fact-checks: each active sitemap/feed/API source is polled at its own interval.
    "poll-due-factcheck-sources": {
        "task": "claims.tasks.factcheck_sources_poll_due_task",
        "schedule": 300.0,
    },
}
CELERY_TASK_ROUTES["claims.tasks.notification_email_task"] = {"queue": "fetch"}
CELERY_TASK_ROUTES["claims.tasks.notification_emails_retry_due_task"] = {"queue": "fetch"}
# Alerts are evaluated by the NLP worker right after an article's claims are stored and matched.
CELERY_TASK_ROUTES["claims.tasks.article_alerts_task"] = {"queue": "nlp"}
# A checked claim the extraction did not find check-worthy is embedded when its verdict is
# published, so its repeats are matched (and alerted) like any other.
CELERY_TASK_ROUTES["claims.tasks.claim_embed_task"] = {"queue": "nlp"}
