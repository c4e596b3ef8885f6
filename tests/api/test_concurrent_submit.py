"""Two people submitting the same URL at the same moment get the same article (PostgreSQL).

Real concurrency needs a database that runs two transactions at once; SQLite skips these.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections, transaction

from claims.models import Article
from claims.services.ingestion import article_submit

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions"),
]


def _together(calls: int, work):
    """Run `work(i)` in `calls` threads released at the same instant; results in order."""
    barrier = threading.Barrier(calls)

    def run(i):
        try:
            barrier.wait(timeout=10)
            return work(i)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(calls) as pool:
        return list(pool.map(run, range(calls)))


def test_concurrent_submissions_of_one_url_get_one_article():
    for n in range(15):
        url = f"https://news.example/race-{n}?utm_source=x"

        def submit(i, url=url):
            with transaction.atomic():
                return article_submit(source=Article.Source.URL, url=url).pk

        ids = _together(2, submit)

        assert ids[0] == ids[1]
    assert Article.objects.count() == 15


def test_concurrent_api_submissions_answer_with_one_article(key_client):
    clients = [key_client("articles:submit"), key_client("articles:submit")]
    for n in range(6):
        url = f"https://news.example/api-race-{n}"

        def post(i, url=url):
            response = clients[i].post("/api/v1/articles/", {"url": url}, format="json")
            return response.status_code, response.json().get("id")

        answers = _together(2, post)

        assert [status for status, _ in answers] == [202, 202], answers
        assert answers[0][1] == answers[1][1]
