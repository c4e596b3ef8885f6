"""One way to enqueue a task: `enqueue_on_commit(task, *ids)`, and the ledger of sent messages.

The database is the source of truth for pending work (an article's status says which task it
needs next); a message is only a wake-up call. The ledger records, in the broker's own Redis,
which pending work has a message on its way, so the stale-work sweep can tell lost work from work
that merely waits:

* a sorted set per task, one member per task's arguments ("42" for article 42);
* score = a "waiting" deadline far ahead while the message sits in a queue (a long backlog is
  not lost work and is never sent twice), then a short lease while a worker runs it, renewed by
  a heartbeat thread in that worker process; removed when the task succeeds.

The ledger shares the broker's fate: a broker restarted without persistence loses the messages
and their ledger entries together, so the sweep sees that work as unsent and sends it again. A
send that failed (broker down) leaves no entry, and a worker that was killed leaves an expired
lease: the sweep covers both within seconds, instead of the 15-minute age rule or the broker's
visibility timeout. With no Redis broker (the eager quick start) the ledger is off.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import threading
import time
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)

LEDGER_PREFIX = "claimtracker:pending:"
# How long a queued message counts as on its way. Past that the sweep sends another (harmless:
# every task is idempotent); it only bounds the cost of a ledger entry that outlived its message.
WAITING_SECONDS = 6 * 3600
# After a failed send, further sends from this process are skipped this long: the sweep sends
# them once the broker is back, and a request never waits for a broker that is down.
BROKER_DOWN_SECONDS = 5.0

_broker_down_until = 0.0


def _eager() -> bool:
    from claimtracker.celery import app

    return bool(app.conf.task_always_eager)


@functools.cache
def _redis(url: str):
    import redis

    # Short timeouts: a broker that does not answer must cost a request about a second at most.
    return redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=2)


def ledger_client():
    """The broker's Redis, or None when there is no Redis broker (eager quick start)."""
    from claimtracker.celery import app

    url = app.conf.broker_url or ""
    if _eager() or not url.startswith(("redis://", "rediss://")):
        return None
    return _redis(url)


def _key(task) -> str:
    return LEDGER_PREFIX + task.name


def _member(args: Iterable[object]) -> str:
    return ":".join(str(a) for a in args)


def _lease_seconds() -> float:
    return float(settings.CLAIMTRACKER_LEASE_SECONDS)


# The leases of the tasks this process is running, renewed every quarter lease by one daemon
# thread, so a killed worker's work is sent again about a lease after it died, not after the
# task's time limit. A pool process killed by its hard time limit takes its thread with it.
_running: dict[tuple[str, str], int] = {}
_running_lock = threading.Lock()
_heartbeat_pid: int | None = None


def _heartbeat() -> None:
    while True:
        time.sleep(_lease_seconds() / 4)
        with _running_lock:
            entries = list(_running)
        client = ledger_client()
        if not entries or client is None:
            continue
        deadline = time.time() + _lease_seconds()
        try:
            pipe = client.pipeline(transaction=False)
            for key, member in entries:
                pipe.zadd(key, {member: deadline}, xx=True)
            pipe.execute()
        except Exception:
            logger.warning("could not renew %s leases", len(entries), exc_info=True)


def _track(task, args: Iterable[object], running: bool) -> None:
    global _heartbeat_pid
    entry = (_key(task), _member(args))
    with _running_lock:
        if running:
            _running[entry] = _running.get(entry, 0) + 1
            if _heartbeat_pid != os.getpid():  # one thread per (forked) process
                _heartbeat_pid = os.getpid()
                threading.Thread(target=_heartbeat, name="ledger-heartbeat", daemon=True).start()
        elif _running.get(entry, 0) > 1:
            _running[entry] -= 1
        else:
            _running.pop(entry, None)


def enqueue_on_commit(task, *args: object) -> None:
    """Send `task(*args)` once the current transaction commits (at once outside one).

    Never raises for a broker problem: a committed action must not become an error because the
    broker hiccupped. The work stays pending in the database and the sweep sends it again.
    """
    if _eager():
        # No broker: the task runs in this process. Not robust, so a bug in it surfaces (tests
        # propagate eager errors).
        transaction.on_commit(lambda: task.apply_async(args=args))
        return
    transaction.on_commit(functools.partial(send, task, *args), robust=True)


def send(task, *args: object) -> bool:
    """Send now, recording the message in the ledger first. False when the broker is down."""
    global _broker_down_until
    if _eager():
        task.apply_async(args=args)
        return True
    if time.monotonic() < _broker_down_until:
        logger.warning("broker down: %s%r not sent now; the sweep will send it", task.name, args)
        return False
    client = ledger_client()
    member = _member(args)
    try:
        if client is not None and getattr(task, "ledger", False):
            client.zadd(_key(task), {member: time.time() + WAITING_SECONDS})
        # No publish retries: kombu's retry policy would hold a request for seconds.
        task.apply_async(args=args, retry=False)
    except Exception:
        _broker_down_until = time.monotonic() + BROKER_DOWN_SECONDS
        logger.warning("could not send %s%r; the sweep will", task.name, args, exc_info=True)
        if client is not None and getattr(task, "ledger", False):
            # If this fails too, the entry expires (WAITING_SECONDS).
            with contextlib.suppress(Exception):
                client.zrem(_key(task), member)
        return False
    return True


def _ledger_write(op: str, task, args: Iterable[object], score: float | None = None) -> None:
    client = ledger_client()
    if client is None or not getattr(task, "ledger", False):
        return
    try:
        if op == "zadd":
            client.zadd(_key(task), {_member(args): score})
        else:
            client.zrem(_key(task), _member(args))
    except Exception:
        # Without the entry the sweep may send the work once more: harmless, never lost.
        logger.warning("ledger %s failed for %s%r", op, task.name, tuple(args), exc_info=True)


def ledger_running(task, args: Iterable[object]) -> None:
    """A worker started the task: its entry becomes a lease, renewed while the task runs."""
    if ledger_client() is None or not getattr(task, "ledger", False):
        return
    _track(task, args, running=True)
    _ledger_write("zadd", task, args, time.time() + _lease_seconds())


def ledger_retrying(task, args: Iterable[object], countdown: float) -> None:
    """The task retries in `countdown` seconds: keep the sweep away until then plus a lease."""
    _track(task, args, running=False)
    _ledger_write("zadd", task, args, time.time() + countdown + _lease_seconds())


def ledger_failed(task, args: Iterable[object]) -> None:
    """The task failed: its lease runs out, then the sweep sends the work again (the stage's
    attempt cap ends an article that always fails)."""
    _track(task, args, running=False)


def ledger_done(task, args: Iterable[object]) -> None:
    _track(task, args, running=False)
    _ledger_write("zrem", task, args)


def ledger_unsent(task, ids: list[int]) -> list[int] | None:
    """Those of `ids` without a live message (absent, or an expired lease); None = no ledger."""
    client = ledger_client()
    if client is None:
        return None
    now = time.time()
    unsent: list[int] = []
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        scores = client.zmscore(_key(task), [str(i) for i in chunk])
        unsent += [
            i for i, score in zip(chunk, scores, strict=True) if score is None or score < now
        ]
    return unsent
