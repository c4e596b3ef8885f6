"""Exit 0 when the integration services (PostgreSQL, Redis) answer on their test URLs."""

import os
import socket
import sys
from urllib.parse import urlsplit


def answers(url: str, default_port: int) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port or default_port), timeout=2):
            return True
    except OSError:
        return False


ok = answers(os.environ["CLAIMTRACKER_TEST_DATABASE_URL"], 5432) and answers(
    os.environ["CLAIMTRACKER_TEST_BROKER_URL"], 6379
)
sys.exit(0 if ok else 1)
