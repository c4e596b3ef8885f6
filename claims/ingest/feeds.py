"""RSS and Atom feeds into entries (links to articles).

feedparser does the parsing. It is only ever given an in-memory stream: handed a ``str`` or
``bytes`` that looks like a URL or a file path, ``feedparser.parse`` would fetch or open it
itself, bypassing the SSRF-safe fetcher.
"""

from __future__ import annotations

import calendar
import io
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

__all__ = ["FeedEntry", "FeedError", "ParsedFeed", "parse_feed"]


@dataclass(frozen=True)
class FeedEntry:
    url: str  # absolute http(s) link to the article, resolved against the feed's base
    title: str
    published_at: datetime | None  # aware, UTC; the entry's published date, else updated
    guid: str  # the entry's id/guid, else its URL: stable key for "seen already"


@dataclass(frozen=True)
class ParsedFeed:
    title: str
    kind: str  # "rss" or "atom"
    entries: tuple[FeedEntry, ...]


class FeedError(Exception):
    """Not a feed we can read. ``reason``: ``empty`` or ``not_a_feed``."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(reason, message)
        self.reason = reason
        self.message = message

    def __str__(self) -> str:
        return self.message


def _to_datetime(struct: time.struct_time | None) -> datetime | None:
    if struct is None:
        return None
    try:
        # feedparser normalises dates to UTC struct_time.
        return datetime.fromtimestamp(calendar.timegm(struct), tz=UTC)
    except (OverflowError, ValueError, OSError):
        return None


def _entry_link(entry: Any, base_url: str) -> str | None:
    candidates: list[str] = []
    for link in entry.get("links", []) or []:
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            candidates.append(link["href"])
    if entry.get("link"):
        candidates.insert(0, entry["link"])
    guid = entry.get("id")
    if guid and entry.get("guidislink"):
        candidates.append(guid)
    for candidate in candidates:
        absolute = urljoin(base_url, candidate.strip())
        parts = urlsplit(absolute)
        if parts.scheme in ("http", "https") and parts.netloc:
            return absolute
    return None


def parse_feed(content: bytes, *, base_url: str) -> ParsedFeed:
    """Parse RSS (0.9x, 1.0, 2.0) or Atom ``content`` fetched from ``base_url``.

    Entries without an http(s) link are skipped (nothing to fetch). Raises FeedError for
    empty content and for anything that is not a feed (an HTML page, JSON, garbage).
    """
    import feedparser

    if not content.strip():
        raise FeedError("empty", "The feed is empty.")
    parsed = feedparser.parse(
        io.BytesIO(content),  # a stream, never a str: see the module docstring
        response_headers={"content-location": base_url},
        sanitize_html=False,  # we only read titles and links, never render feed HTML
    )
    version = parsed.get("version") or ""
    if version.startswith("atom"):
        kind = "atom"
    elif version.startswith("rss"):
        kind = "rss"
    else:
        detail = parsed.get("bozo_exception")
        hint = f" ({detail})" if detail else ""
        raise FeedError(
            "not_a_feed", f"The address does not serve an RSS or Atom feed{hint}."[:300]
        )

    entries: list[FeedEntry] = []
    seen: set[str] = set()
    for entry in parsed.entries:
        url = _entry_link(entry, base_url)
        if url is None:
            continue
        guid = str(entry.get("id") or url).strip()
        if guid in seen:
            continue
        seen.add(guid)
        published = _to_datetime(entry.get("published_parsed")) or _to_datetime(
            entry.get("updated_parsed")
        )
        entries.append(
            FeedEntry(
                url=url,
                title=" ".join(str(entry.get("title", "")).split()),
                published_at=published,
                guid=guid,
            )
        )
    title = " ".join(str(parsed.feed.get("title", "")).split())
    return ParsedFeed(title=title, kind=kind, entries=tuple(entries))
