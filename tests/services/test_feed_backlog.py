"""One feed poll queues a bounded number of articles; the rest follow in later polls (issue #17,
security 10)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from claims.models import Article, Feed
from claims.services.feeds import feed_poll
from tests.factories import FeedFactory
from tests.ingest.server import LocalServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def server(settings):
    settings.CLAIMTRACKER_FETCH = {
        **settings.CLAIMTRACKER_FETCH,
        "ALLOWED_PRIVATE_NETWORKS": ("127.0.0.1/32",),
        "TIMEOUT": 3.0,
    }
    settings.CELERY_TASK_ALWAYS_EAGER = False  # articles stay queued: the feed stage only
    with LocalServer() as srv:
        yield srv


def rss(count: int) -> bytes:
    items = "".join(
        f"<item><title>T {i}</title><link>https://a.example/{i}</link></item>" for i in range(count)
    )
    return f'<rss version="2.0"><channel><title>F</title>{items}</channel></rss>'.encode()


def test_a_large_feed_is_spread_over_polls(server, settings):
    settings.CLAIMTRACKER_FEED_MAX_NEW_PER_POLL = 3
    url = server.add("/feed", body=rss(7), content_type="application/rss+xml", etag='"v1"')
    feed = FeedFactory(url=url, poll_interval=timedelta(hours=1))

    assert feed_poll(feed_id=feed.pk) == 3
    feed = Feed.objects.get(pk=feed.pk)
    assert feed.next_poll_at <= timezone.now() + timedelta(minutes=1)
    assert feed.etag == ""  # the next poll fetches the whole feed, not a 304

    assert feed_poll(feed_id=feed.pk) == 3
    assert feed_poll(feed_id=feed.pk) == 1
    feed = Feed.objects.get(pk=feed.pk)
    assert feed.etag == '"v1"'
    assert feed.next_poll_at > timezone.now() + timedelta(minutes=50)
    assert Article.objects.filter(feed=feed).count() == 7
    # the newest entries (first in the feed) came first
    first_three = Article.objects.filter(feed=feed).order_by("pk")[:3]
    assert [a.title for a in first_three] == ["T 0", "T 1", "T 2"]
    assert "if-none-match" not in server.seen("/feed")[1].headers


def test_a_huge_feed_queues_only_the_cap(server):
    url = server.add("/feed", body=rss(1_000), content_type="application/rss+xml")
    feed = FeedFactory(url=url)

    assert feed_poll(feed_id=feed.pk) == 100
    assert Article.objects.count() == 100
