"""Feed polling against a local server: conditional GET, new entries only, failures backed off."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from claims.models import Article, Feed
from claims.services.feeds import feed_poll, feeds_due, feeds_poll_due
from tests.factories import FeedFactory, OutletFactory
from tests.ingest.server import LocalServer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def local_fetching(settings):
    settings.CLAIMTRACKER_FETCH = {
        **settings.CLAIMTRACKER_FETCH,
        "ALLOWED_PRIVATE_NETWORKS": ("127.0.0.1/32",),
        "TIMEOUT": 3.0,
    }
    settings.CELERY_TASK_ALWAYS_EAGER = False  # articles stay queued: we test the feed stage


@pytest.fixture
def server():
    with LocalServer() as srv:
        yield srv


def rss(*links: str) -> bytes:
    items = "".join(
        f"<item><title>T {i}</title><link>{u}</link></item>" for i, u in enumerate(links)
    )
    return f'<rss version="2.0"><channel><title>F</title>{items}</channel></rss>'.encode()


def test_new_entries_become_queued_articles_once(server):
    server.add(
        "/feed",
        body=rss("https://a.example/1", "https://a.example/2?utm_medium=rss"),
        content_type="application/rss+xml",
        etag='"e1"',
        last_modified="Wed, 01 Jan 2025 00:00:00 GMT",
    )
    feed = FeedFactory(url=server.url("/feed"))

    assert feed_poll(feed_id=feed.pk) == 2
    assert feed_poll(feed_id=feed.pk) == 0

    articles = Article.objects.filter(feed=feed)
    assert articles.count() == 2
    assert set(articles.values_list("status", flat=True)) == {Article.Status.QUEUED}
    assert {a.outlet_id for a in articles} == {feed.outlet_id}
    second = server.seen("/feed")[1]
    assert second.headers["if-none-match"] == '"e1"'
    assert second.headers["if-modified-since"] == "Wed, 01 Jan 2025 00:00:00 GMT"
    feed.refresh_from_db()
    assert feed.etag == '"e1"' and feed.last_polled_at and feed.next_poll_at > timezone.now()


def test_broken_feed_records_the_error_and_backs_off(server):
    server.add("/notafeed", body=b"<html><body>hello</body></html>")
    feed = FeedFactory(url=server.url("/notafeed"), poll_interval=timedelta(minutes=10))

    assert feed_poll(feed_id=feed.pk) == 0

    feed.refresh_from_db()
    assert feed.last_error
    assert feed.consecutive_failures == 1
    assert feed.next_poll_at - feed.last_polled_at == timedelta(minutes=20)


def test_only_active_due_feeds_are_polled():
    due = FeedFactory()
    FeedFactory(active=False)
    FeedFactory(outlet=OutletFactory(active=False))
    FeedFactory(next_poll_at=timezone.now() + timedelta(hours=1))

    assert list(feeds_due()) == [due]
    assert feeds_poll_due() == 1
    due.refresh_from_db()
    assert due.next_poll_at > timezone.now()
    assert list(feeds_due()) == []
    assert Feed.objects.count() == 4
