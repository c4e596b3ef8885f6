"""Reading known fact-checks from their sources: files, pages, sitemaps, feeds, dumps.

Every address is fetched with the SSRF-safe fetcher (`claims.ingest.fetch.safe_fetch`) under the
desk's fetch policy. A source that cannot be read at all raises `FactCheckSourceError`; a page
or item that cannot be used ends as a rejected item with its reason.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from claims.ingest.content import decode_html
from claims.ingest.factchecks import (
    ParsedReview,
    RejectedReview,
    SitemapEntry,
    parse_dump,
    parse_html,
    parse_sitemap,
)
from claims.ingest.feeds import FeedError, parse_feed
from claims.ingest.fetch import FetchError, FetchResult, safe_fetch
from claims.models import FactCheckSource
from claims.services.fetching import fetch_policy

from .store import ImportOutcome, factchecks_store

logger = logging.getLogger(__name__)

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
Review = ParsedReview | RejectedReview


class FactCheckSourceError(Exception):
    """A source that could not be read at all (missing file, fetch failed, not JSON/XML)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _max_pages() -> int:
    return int(getattr(settings, "CLAIMTRACKER_FACTCHECK_MAX_PAGES_PER_POLL", 200))


def _fetch(url: str) -> FetchResult:
    try:
        return safe_fetch(url, policy=fetch_policy())
    except FetchError as exc:
        raise FactCheckSourceError(f"{url}: {exc.message}") from exc


def _page_reviews(url: str) -> list[Review]:
    """The ClaimReviews of one fetched page; a page that fails is one rejected item."""
    try:
        result = safe_fetch(url, policy=fetch_policy())
    except FetchError as exc:
        return [RejectedReview(url, f"fetch failed: {exc.message}"[:300])]
    html = decode_html(result.content, result.charset)
    found = parse_html(html, url=result.url)
    return found or [RejectedReview(url, "no ClaimReview markup on the page")]


def _looks_like_xml(result: FetchResult) -> bool:
    head = result.content[:500].lstrip()
    return "xml" in result.content_type or head.startswith(b"<?xml") or b"<urlset" in head


def _is_json(result: FetchResult) -> bool:
    head = result.content[:50].lstrip()
    return "json" in result.content_type or head[:1] in (b"{", b"[")


def _sitemap_pages(content: bytes, *, base_url: str, depth: int = 0) -> list[SitemapEntry]:
    try:
        entries = parse_sitemap(content, base_url=base_url)
    except ValueError as exc:
        raise FactCheckSourceError(f"{base_url}: {exc}") from exc
    pages: list[SitemapEntry] = []
    for entry in entries:
        if entry.is_sitemap:
            if depth >= 1:  # an index of indexes is not followed further
                continue
            try:
                child = _fetch(entry.url)
                pages.extend(_sitemap_pages(child.content, base_url=child.url, depth=depth + 1))
            except FactCheckSourceError as exc:
                logger.info("sitemap %s skipped: %s", entry.url, exc.message)
        else:
            pages.append(entry)
    return pages


def _new_and_changed(pages: list[SitemapEntry], seen: dict[str, str] | None) -> list[SitemapEntry]:
    if seen is None:
        return pages
    return [p for p in pages if p.url not in seen or (p.lastmod and seen[p.url] != p.lastmod)]


def reviews_from_url(
    url: str, *, seen: dict[str, str] | None = None
) -> tuple[list[Review], list[SitemapEntry]]:
    """A page, a sitemap, a feed or a dump at `url`; returns the reviews and, for a sitemap or
    feed, the pages read (to remember them). With `seen` ({page: lastmod}) only new and changed
    pages are fetched."""
    result = _fetch(url)
    if _is_json(result):
        try:
            return parse_dump(result.content), []
        except ValueError as exc:
            raise FactCheckSourceError(f"{url}: {exc}") from exc
    if _looks_like_xml(result):
        head = result.content[:2000]
        if b"<urlset" in head or b"<sitemapindex" in head:
            pages = _sitemap_pages(result.content, base_url=result.url)
        else:
            pages = _feed_pages(result.content, base_url=result.url)
        return _read_pages(_new_and_changed(pages, seen)), pages
    html = decode_html(result.content, result.charset)
    return parse_html(html, url=result.url), []


def _feed_pages(content: bytes, *, base_url: str) -> list[SitemapEntry]:
    try:
        feed = parse_feed(content, base_url=base_url)
    except FeedError as exc:
        raise FactCheckSourceError(f"{base_url}: {exc}") from exc
    return [
        SitemapEntry(e.url, e.published_at.isoformat() if e.published_at else "")
        for e in feed.entries
    ]


def _read_pages(pages: list[SitemapEntry]) -> list[Review]:
    reviews: list[Review] = []
    for page in pages[: _max_pages()]:
        reviews.extend(_page_reviews(page.url))
    return reviews


def reviews_from_file(path: str, *, url: str | None = None) -> list[Review]:
    """A dump file (JSON) or a saved HTML page (`url`: its address)."""
    file = Path(path)
    if not file.is_file():
        raise FactCheckSourceError(f"No such file: {path}")
    try:
        content = file.read_bytes()
    except OSError as exc:
        raise FactCheckSourceError(f"{path}: {exc}") from exc
    head = content[:200].lstrip()
    if file.suffix.lower() in HTML_SUFFIXES or head[:1] == b"<":
        return parse_html(decode_html(content, None), url=url)
    try:
        return parse_dump(content)
    except ValueError as exc:
        raise FactCheckSourceError(f"{path}: {exc}") from exc


def factchecks_import(
    *, source: str, url: str | None = None, fact_check_source: FactCheckSource | None = None
) -> list[ImportOutcome]:
    """Import one SOURCE of `import_factchecks`: an http(s) URL or a file path."""
    if source.startswith(("http://", "https://")):
        reviews, _pages = reviews_from_url(source)
    else:
        reviews = reviews_from_file(source, url=url)
    return factchecks_store(reviews=reviews, source=fact_check_source)


# --- polling sources ---------------------------------------------------------------------------


def factcheck_source_poll(
    *, source_id: int, api_fetch: Callable[[FactCheckSource], list[Review]] | None = None
) -> list[ImportOutcome]:
    """Read one source: a sitemap or feed (new and changed pages only), a dump, the API."""
    source = FactCheckSource.objects.get(pk=source_id)
    pages: list[SitemapEntry] = []
    try:
        if source.kind in (FactCheckSource.Kind.SITEMAP, FactCheckSource.Kind.FEED):
            reviews, pages = reviews_from_url(source.url, seen=dict(source.seen_pages or {}))
        elif source.kind == FactCheckSource.Kind.DUMP:
            if source.path:
                reviews = reviews_from_file(source.path)
            else:
                reviews, _ = reviews_from_url(source.url)
        else:
            from .google_api import factchecks_api_reviews

            reviews = (api_fetch or factchecks_api_reviews)(source)
    except FactCheckSourceError as exc:
        FactCheckSource.objects.filter(pk=source.pk).update(
            last_polled_at=timezone.now(), last_error=exc.message[:2000]
        )
        raise
    with transaction.atomic():
        outcomes = factchecks_store(reviews=reviews, source=source)
        seen = dict(source.seen_pages or {})
        # Pages beyond this poll's budget stay unseen, so the next poll takes them.
        for page in _new_and_changed(pages, seen)[: _max_pages()] if pages else []:
            seen[page.url] = page.lastmod
        FactCheckSource.objects.filter(pk=source.pk).update(
            last_polled_at=timezone.now(), last_error="", seen_pages=seen
        )
    return outcomes


def factcheck_sources_poll_due(*, now=None) -> list[int]:
    """Queue a poll of every active sitemap, feed or API source whose interval has passed."""
    from claims.dispatch import enqueue_on_commit
    from claims.tasks import factcheck_source_poll_task

    now = now or timezone.now()
    due = []
    for source in FactCheckSource.objects.filter(active=True).exclude(
        kind=FactCheckSource.Kind.DUMP
    ):
        interval = timedelta(minutes=source.poll_interval_minutes)
        if source.last_polled_at is None or source.last_polled_at + interval <= now:
            due.append(source.pk)
            enqueue_on_commit(factcheck_source_poll_task, source.pk)
    return due
