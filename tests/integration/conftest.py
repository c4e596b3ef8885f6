"""PostgreSQL + Redis + a real `celery worker` process, started and stopped here.

Run by bin/test with DATABASE_URL (PostgreSQL) and CELERY_BROKER_URL (Redis) set and
CLAIMTRACKER_INTEGRATION=1. Under CI=true an unreachable service fails the run; locally, without
CLAIMTRACKER_INTEGRATION, these tests are skipped.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
REQUIRED = os.environ.get("CI") == "true" or os.environ.get("CLAIMTRACKER_INTEGRATION") == "1"


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.integration)
            item.add_marker(pytest.mark.django_db(transaction=True))
            if not REQUIRED:
                item.add_marker(pytest.mark.skip(reason="set CLAIMTRACKER_INTEGRATION=1 (CI does)"))


@pytest.fixture(scope="session")
def services_ready(django_db_setup, django_db_blocker):
    """Fail (never skip) when PostgreSQL or Redis is not what we were told to use."""
    import redis

    from claimtracker.celery import app

    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            pytest.fail(
                f"integration tests need PostgreSQL; DATABASE_URL gives {connection.vendor}"
            )
        connection.ensure_connection()
        db_name = connection.settings_dict["NAME"]
    broker = app.conf.broker_url or ""
    if not broker.startswith("redis://"):
        pytest.fail(f"integration tests need a Redis broker; CELERY_BROKER_URL is {broker!r}")
    try:
        redis.Redis.from_url(broker, socket_connect_timeout=3).ping()
    except redis.RedisError as exc:
        pytest.fail(f"Redis at {broker} is unreachable: {exc}")
    return {"db_name": db_name, "broker": broker}


class WorkerProcess:
    """A `celery worker` subprocess on the test database and the test broker."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env = env
        self.log = log
        self.proc: subprocess.Popen | None = None

    def start(self, *, timeout: float = 60) -> None:
        # Ready = the worker logged "ready." (it consumes now). Not a control ping: this
        # process's Celery app publishes on its own broker, and a test may give the worker
        # a private one.
        offset = self.log.stat().st_size if self.log.exists() else 0
        out = self.log.open("ab")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "claimtracker",
                "worker",
                "-Q",
                "fetch,nlp,default",
                "--concurrency",
                "1",
                "--pool",
                "prefork",
                "-n",
                f"itest-{os.getpid()}-{time.monotonic_ns()}@%h",
                "--without-gossip",
                "--without-mingle",
                "-l",
                "INFO",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"celery worker exited with {self.proc.returncode}:\n{self.tail()}")
            with self.log.open("rb") as log:
                log.seek(offset)
                if b" ready." in log.read():
                    return
            time.sleep(0.2)
        pytest.fail(f"celery worker did not answer within {timeout}s:\n{self.tail()}")

    def children(self) -> list[int]:
        out = subprocess.run(["pgrep", "-P", str(self.proc.pid)], capture_output=True, text=True)
        return [int(p) for p in out.stdout.split()]

    def kill(self) -> None:
        """SIGKILL the whole worker: no warm shutdown, no chance to re-queue anything itself."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()

    def tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


@pytest.fixture(scope="session")
def worker_env(services_ready, tmp_path_factory) -> dict[str, str]:
    from django.conf import settings

    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "claimtracker.settings.test",
        "DATABASE_URL": f"{url}/{services_ready['db_name']}",
        "CELERY_BROKER_URL": services_ready["broker"],
        # Short enough that a killed worker's message comes back within the test.
        "CELERY_VISIBILITY_TIMEOUT": "20",
        "CELERY_UNACKED_RESTORE_INTERVAL": "1",
        "CELERY_UNACKED_RESTORE_THROTTLE": "1",
        "CELERY_TASK_SOFT_TIME_LIMIT": "15",
        "CELERY_TASK_TIME_LIMIT": "18",
        # A killed worker's work is sent again by the sweep once its lease runs out.
        "CLAIMTRACKER_LEASE_SECONDS": "6",
        "CLAIMTRACKER_TEST_ALLOWED_PRIVATE_NETWORKS": "127.0.0.1/32",
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        # The workers' shared vector index (one directory, as on one machine).
        "CLAIMTRACKER_VECTOR_INDEX_DIR": str(tmp_path_factory.mktemp("vector-index")),
    }


class Workers:
    """At most one worker at a time, so a test knows which process holds its message."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env, self.log = env, log
        self.current: WorkerProcess | None = None

    def running(self) -> WorkerProcess:
        if self.current is None or self.current.proc.poll() is not None:
            self.current = WorkerProcess(self.env, self.log)
            self.current.start()
        return self.current

    def kill(self) -> None:
        if self.current is not None:
            self.current.kill()
            self.current = None

    def stop(self) -> None:
        if self.current is not None:
            self.current.stop()
            self.current = None


@pytest.fixture(scope="session")
def workers(worker_env, tmp_path_factory):
    manager = Workers(worker_env, tmp_path_factory.mktemp("celery") / "worker.log")
    yield manager
    manager.stop()


@pytest.fixture
def celery_worker_process(workers) -> WorkerProcess:
    return workers.running()


@pytest.fixture(autouse=True)
def _purge_queues(services_ready):
    """Each test starts with empty queues (a previous test's leftovers would confuse it)."""
    import redis

    client = redis.Redis.from_url(services_ready["broker"])
    for pattern in ("fetch*", "nlp*", "default*", "unacked*", "claimtracker:pending:*"):
        keys = list(client.scan_iter(pattern))
        if keys:
            client.delete(*keys)
    yield


@pytest.fixture(autouse=True)
def _worker_idle_before_flush(transactional_db, workers, services_ready):
    """After each test, wait for the shared worker to finish what the test left it.

    The flush after a transactional test TRUNCATEs every table; a follow-up task the worker is
    still running (matching, embedding, a webhook of the test's article) holds locks on them, and
    the two deadlock (seen on a loaded machine). Asking this fixture for `transactional_db`
    makes its teardown run before the flush.
    """
    yield
    current = workers.current
    if current is None or current.proc is None or current.proc.poll() is not None:
        return
    import redis

    from claimtracker.celery import app

    client = redis.Redis.from_url(services_ready["broker"])

    def idle() -> bool:
        for pattern in ("fetch*", "nlp*", "default*"):
            if any(
                client.llen(key) for key in client.scan_iter(pattern) if client.type(key) == b"list"
            ):
                return False
        if client.hlen("unacked"):
            return False
        # A fresh connection each time: a test may have restarted Redis under the pooled one.
        with app.connection() as conn:
            try:
                replies = app.control.inspect(timeout=2.0, limit=1, connection=conn).active()
            except (OSError, redis.RedisError):
                return False
        return all(not tasks for tasks in (replies or {}).values())

    try:
        wait_for(idle, timeout=60, interval=0.5)
    except AssertionError:
        # Still busy after a minute: stop it rather than flush under its feet.
        workers.stop()


def wait_for(predicate: Callable[[], object], *, timeout: float = 90, interval: float = 0.3):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s")


@pytest.fixture
def private_broker(tmp_path):
    """A broker of the test's own (tests/integration/private_broker.py) that it may kill."""
    import shutil

    from tests.integration.private_broker import PrivateRedis

    if shutil.which("redis-server") is None:
        pytest.fail("the broker restart tests need redis-server on PATH")
    broker = PrivateRedis(tmp_path)
    broker.start()
    yield broker
    broker.kill()
