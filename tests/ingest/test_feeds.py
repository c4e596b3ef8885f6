"""Feed parsing on the fixture RSS and Atom feeds, fetched through the local server."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from claims.ingest.feeds import FeedError, parse_feed
from claims.ingest.fetch import safe_fetch
from tests.ingest.conftest import LOCAL_POLICY, page
from tests.ingest.server import LocalServer

RSS_BASE = "https://www.rheinische-tagespost.example/koeln/feed.xml"
ATOM_BASE = "https://news.northern-ledger.example/health/atom.xml"


def test_rss_feed() -> None:
    feed = parse_feed(page("feed.rss"), base_url=RSS_BASE)

    assert feed.kind == "rss"
    assert feed.title == "Rheinische Tagespost – Köln"
    # The entry without a link and the javascript: link are skipped: nothing to fetch.
    assert [e.title for e in feed.entries] == [
        "Stadtrat beschließt Ausbau der Radwege",
        "Parkgebühren steigen ab April",
        "Eintrag ohne Datum",
    ]
    first, second, third = feed.entries
    assert first.guid == "rt-100"
    assert first.url.startswith(
        "https://www.rheinische-tagespost.example/koeln/stadtrat-radwege-ausbau-100.html?"
    )
    assert first.published_at == datetime(2024, 3, 14, 8, 30, tzinfo=UTC)
    assert second.url == "https://www.rheinische-tagespost.example/koeln/parkgebuehren-100.html"
    assert second.guid == second.url
    assert third.published_at is None
    assert third.guid == third.url  # no <guid>: the link is the stable key


def test_atom_feed_resolves_xml_base_and_falls_back_to_updated() -> None:
    feed = parse_feed(page("feed.atom"), base_url=ATOM_BASE)

    assert feed.kind == "atom"
    assert feed.title == "The Northern Ledger: Health"
    first, second = feed.entries
    assert first.url == "https://news.northern-ledger.example/health/waiting-lists-fall-third-month"
    assert first.guid == "tag:northern-ledger.example,2024:health-1001"
    assert first.published_at == datetime(2024, 4, 11, 6, 15, tzinfo=UTC)  # published, not updated
    assert second.published_at == datetime(2024, 4, 10, 11, 0, tzinfo=UTC)  # updated, in UTC


def test_rss_relative_links_resolve_against_the_feed_url() -> None:
    rss = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
    <item><title>A</title><link>artikel/1.html</link></item></channel></rss>"""

    feed = parse_feed(rss, base_url="https://example.org/news/feed.xml")

    assert feed.entries[0].url == "https://example.org/news/artikel/1.html"


def test_rss_1_0_rdf_counts_as_rss() -> None:
    rdf = b"""<?xml version="1.0"?>
    <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
      <channel rdf:about="https://example.org/"><title>RDF</title><link>https://example.org/</link></channel>
      <item rdf:about="https://example.org/a"><title>A</title><link>https://example.org/a</link></item>
    </rdf:RDF>"""

    feed = parse_feed(rdf, base_url="https://example.org/rdf")

    assert feed.kind == "rss"
    assert [e.url for e in feed.entries] == ["https://example.org/a"]


def test_duplicate_guids_are_listed_once() -> None:
    rss = b"""<rss version="2.0"><channel><title>T</title>
    <item><guid>1</guid><link>https://e.org/a</link></item>
    <item><guid>1</guid><link>https://e.org/a</link></item></channel></rss>"""
    assert len(parse_feed(rss, base_url="https://e.org/").entries) == 1


@pytest.mark.parametrize(
    "content",
    [
        page("article_de.html"),
        b'{"version": "https://jsonfeed.org/version/1.1", "items": []}',
        b"just some text",
        b"\x89PNG\r\n\x1a\n\x00\x00",
    ],
)
def test_non_feeds_are_refused(content: bytes) -> None:
    with pytest.raises(FeedError) as info:
        parse_feed(content, base_url="https://example.org/feed")
    assert info.value.reason == "not_a_feed"
    assert "RSS or Atom" in info.value.message


def test_empty_feed_content() -> None:
    with pytest.raises(FeedError) as info:
        parse_feed(b"  ", base_url="https://example.org/feed")
    assert info.value.reason == "empty"


def test_url_or_path_content_is_never_opened_by_feedparser(server: LocalServer) -> None:
    # feedparser.parse("http://...") would fetch the URL itself, bypassing the safe fetcher.
    feed_url = server.add_page("/feeds/trap", "feed.rss")
    for content in (feed_url.encode(), str(__file__).encode(), b"/etc/hostname"):
        with pytest.raises(FeedError):
            parse_feed(content, base_url="https://example.org/feed")
    assert server.seen("/feeds/trap") == []


def test_feed_fetched_with_conditional_get(server: LocalServer) -> None:
    url = server.add_page(
        "/feeds/conditional.atom", "feed.atom", content_type="application/atom+xml", etag='"a1"'
    )

    first = safe_fetch(url, policy=LOCAL_POLICY)
    feed = parse_feed(first.content, base_url=first.url)
    again = safe_fetch(url, policy=LOCAL_POLICY, headers={"If-None-Match": first.headers["etag"]})

    assert feed.kind == "atom" and len(feed.entries) == 2
    assert again.status == 304 and again.content == b""
