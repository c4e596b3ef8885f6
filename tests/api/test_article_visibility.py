"""An articles:submit key reads only the articles it submitted (issue #17, security 5)."""

from __future__ import annotations

import pytest

from claims.ingest.urls import url_hash
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db


def test_a_submit_key_reads_only_what_it_submitted(key_client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # the articles stay queued
    other = ClaimFactory(text="Someone else's claim in review.").article
    partner, rival = key_client("articles:submit"), key_client("articles:submit")
    mine = partner.post("/api/v1/articles/", {"url": "https://news.example/a"}, format="json")
    assert mine.status_code == 202

    assert partner.get(f"/api/v1/articles/{mine.json()['id']}/").status_code == 200
    assert partner.get(f"/api/v1/articles/{other.pk}/").status_code == 404
    assert rival.get(f"/api/v1/articles/{mine.json()['id']}/").status_code == 404


def test_submitting_a_known_url_lets_the_key_read_that_article(key_client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    url = "https://news.example/known"
    known = ArticleFactory(url=url, url_hash=url_hash(url))
    partner = key_client("articles:submit")

    answer = partner.post("/api/v1/articles/", {"url": known.url}, format="json")

    assert answer.json()["id"] == known.pk
    assert partner.get(f"/api/v1/articles/{known.pk}/").status_code == 200


def test_a_claims_read_key_reads_every_article(key_client):
    article = ArticleFactory()
    assert key_client("claims:read").get(f"/api/v1/articles/{article.pk}/").status_code == 200
