"""The one Celery app, configured from Django settings (CELERY_ namespace)."""

import logging
import os

from celery import Celery
from celery.signals import worker_process_init, worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "claimtracker.settings.development")

app = Celery("claimtracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

logger = logging.getLogger("claimtracker.worker")


def _warm_up() -> None:
    """Load the models in the process that runs tasks (CLAIMTRACKER_WORKER_WARMUP), so the first
    article does not wait for them. Only ever in a worker: never at import, never in the web
    process (which loads no model at all)."""
    from django.conf import settings

    if not settings.CLAIMTRACKER_WORKER_WARMUP:
        return
    from claims.nlp.warmup import warm_models
    from claims.services.matching.config import english_signal_enabled

    seconds = warm_models(
        matching=settings.CLAIMTRACKER_MATCHING_ENABLED, english_signal=english_signal_enabled()
    )
    # bin/start waits for this line before it serves the UI.
    logger.warning("claimtracker worker warm: models loaded in %.1f s", seconds)


@worker_process_init.connect
def _warm_pool_process(**kwargs) -> None:
    # A prefork pool's child runs the tasks (CELERY_WORKER_PROC_ALIVE_TIMEOUT leaves it time).
    _warm_up()


@worker_ready.connect
def _warm_single_process(sender=None, **kwargs) -> None:
    # The solo and thread pools run tasks in the worker's own process.
    pool = getattr(sender, "pool", None)
    if pool is not None and "prefork" not in type(pool).__module__:
        _warm_up()
