"""One user of the test database at a time in browser tests.

With SQLite in memory, the live server's thread and the test's thread share one database
connection (pytest-django's live server overrides the server's connections with the test's).
A query from the test (``refresh_from_db`` after a key press) while the server answers an htmx
request on that same connection hung both threads for good (seen in CI). The server holds this
lock for each whole request (middleware in the test settings) and the test holds it for each of
its queries (``execute_wrapper``, tests/e2e/conftest.py); re-entrant, so the server's own queries
pass. Outside browser tests only one thread ever takes it.
"""

from __future__ import annotations

import threading

LOCK = threading.RLock()


class SerializeRequestsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with LOCK:
            return self.get_response(request)


def locked_execute(execute, sql, params, many, context):
    with LOCK:
        return execute(sql, params, many, context)
