"""A test's own `redis-server` on a free port, and the app's side run against it.

Tests that restart or kill the broker use this instead of the machine's Redis on 6379: other
test runs (other worktrees, a CI run, a developer's quick start) share that one, and a restart
there would break them.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import redis

from tests.integration.conftest import ROOT, wait_for


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivateRedis:
    """`redis-server` on 127.0.0.1:<port>, no RDB, no AOF: a restart starts empty."""

    def __init__(self, workdir: Path) -> None:
        self.port = _free_port()
        self.workdir = workdir
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        # fmt: off
        args = [
            shutil.which("redis-server") or "redis-server",
            "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
            "--appendonly", "no", "--dir", str(self.workdir), "--protected-mode", "no",
        ]
        # fmt: on
        self.proc = subprocess.Popen(
            args,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.5)

        def up() -> bool:
            try:
                return bool(client.ping())
            except redis.RedisError:
                return False

        wait_for(up, timeout=10, interval=0.1)

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()  # SIGKILL: nothing is saved, nothing is handed back
            self.proc.wait(timeout=10)


# The app's side, in its own process so that its Celery producer and dispatch ledger use the
# private broker (this process's Celery app is bound to the shared test broker).
SUBMIT = textwrap.dedent(
    """
    import sys, django
    django.setup()
    from django.db import transaction
    from claims.models import Article
    from claims.services.ingestion import article_submit
    for url in sys.argv[1:]:
        with transaction.atomic():
            print(article_submit(source=Article.Source.URL, url=url).pk)
    """
)


def run_app(script: str, env: dict[str, str], *args: str, timeout: float) -> str:
    out = subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr[-3000:]
    return out.stdout
