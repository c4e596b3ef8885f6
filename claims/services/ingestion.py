"""Articles in: submit, fetch, extract the main text, extract claims. Every write of the pipeline.

Stages and their Celery queues:
    article_submit -> article_fetch (fetch queue: page + main text)
                   -> article_extract_claims (nlp queue, claim_extraction.py)
                   -> matching (nlp queue; claims.services.pipeline routes from state to task)
Every stage is idempotent: it looks at the article's status under a row lock and does nothing when
its work is already done, so a task delivered twice (a killed worker, a Redis restart) is harmless.
Every stage ends its article done or failed with a readable reason, whatever goes wrong inside;
a database error is left to the task, which retries it.
"""

from __future__ import annotations

import logging
import random
import zlib
from urllib.parse import urlsplit

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone

from claims.exceptions import InvalidInputError
from claims.ingest.extract import (
    ExtractedDocument,
    ExtractionError,
    extract_content,
    extract_text,
)
from claims.ingest.fetch import FetchError, safe_fetch
from claims.ingest.urls import canonicalize_url, content_hash, url_hash
from claims.models import ApiKey, Article, Claim, Feed, Outlet
from claims.services.fetching import fetch_policy
from claims.services.pipeline import article_enqueue_next, fail_article

logger = logging.getLogger(__name__)

Status = Article.Status
_IN_FLIGHT = (Status.QUEUED, Status.FETCHING)
# Tries per stage (a worker killed or timed out mid-stage, a lost message): past this the article
# fails instead of being sent again forever. Fetch retries of network errors count too.
MAX_FETCH_ATTEMPTS = settings.CLAIMTRACKER_FETCH_MAX_RETRIES + 3
# The details go to the worker's log; users and partners (Article.error is in the API) get a
# reason, not the exception's text.
INTERNAL_ERROR = "An unexpected error stopped the processing; the details are in the worker's log."


class TransientFetchError(Exception):
    """A network error worth retrying (the task retries it with backoff)."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def retry_delay(*, attempt: int, retry_after: float | None = None) -> float:
    """Seconds before the next try: the server's Retry-After if it sent one, else exponential
    backoff (5 s, 10 s, 20 s ...), capped at 10 minutes, with jitter so retries spread out."""
    base = retry_after if retry_after is not None else 5 * 2**attempt
    return min(base, 600) * random.uniform(1.0, 1.25)


def _host_candidates(host: str) -> list[str]:
    """The host and its parent domains, most specific first, with and without "www."
    ("m.zeit.de" -> m.zeit.de, www.m.zeit.de, zeit.de, www.zeit.de); never a bare TLD."""
    labels = host.lower().removeprefix("www.").split(".")
    out: list[str] = []
    for start in range(max(len(labels) - 1, 1)):
        bare = ".".join(labels[start:])
        out += [bare, f"www.{bare}"]
    return out


def _outlet_for(url: str) -> Outlet | None:
    """The known outlet of an address: by its ``domain``, else by its homepage's host; a
    subdomain (m., blog.) belongs to the outlet of its parent domain."""
    host = (urlsplit(url).hostname or "").lower()
    if not host:
        return None
    candidates = _host_candidates(host)
    rank = {name: i for i, name in enumerate(candidates)}
    by_domain = list(Outlet.objects.filter(domain__in=candidates).only("id", "domain", "name"))
    if by_domain:
        return min(by_domain, key=lambda o: (rank[o.domain.lower()], o.pk))
    # Outlets entered with a homepage but no domain (the admin does not require it).
    best: tuple[int, int, Outlet] | None = None
    for outlet in Outlet.objects.filter(domain="").exclude(homepage="").only("id", "homepage"):
        home = (urlsplit(outlet.homepage).hostname or "").lower()
        if home in rank and (best is None or (rank[home], outlet.pk) < best[:2]):
            best = (rank[home], outlet.pk, outlet)
    return best[2] if best else None


def _compress(content: bytes) -> bytes:
    return zlib.compress(content, 6)


def raw_page_bytes(article: Article) -> bytes | None:
    """The stored page as fetched (or uploaded), decompressed."""
    return zlib.decompress(bytes(article.raw_page)) if article.raw_page else None


@transaction.atomic
def article_submit(
    *,
    source: str,
    url: str | None = None,
    text: str | None = None,
    html: bytes | None = None,
    title: str = "",
    submitted_by=None,
    api_key: ApiKey | None = None,
    outlet: Outlet | None = None,
    feed: Feed | None = None,
    enqueue: bool = True,
) -> Article:
    """Register an article and queue it for processing; an already known URL returns its article.

    Give `url` alone to have it fetched, `html` (an uploaded page) or `text` (pasted text) to skip
    fetching; `url` then records where it came from. A known URL whose article failed is queued
    again. `api_key` is the partner key submitting it (recorded: such a key reads only its own).
    """
    if not (url or text or html):
        raise InvalidInputError("Give a URL, an HTML page or a text.")
    if text is not None and not text.strip() and not url:
        raise InvalidInputError("The text is empty.")
    canonical = hashed = None
    if url:
        canonical = _checked_canonical_url(url)
    # A text or page given with a URL is the submitter's copy: it records where it came from but
    # never stands for that address (no URL identity, no outlet), so a later submission of the
    # URL fetches the real page instead of landing on a planted one.
    submitters_copy = text is not None or html is not None
    if canonical and not submitters_copy:
        hashed = url_hash(canonical)
        existing = _known_article(hashed)
        if existing is not None:
            return _resubmitted(existing, url=url, api_key=api_key, enqueue=enqueue)
    article = Article(
        url="" if submitters_copy else canonical or "",
        url_hash=hashed,
        submitted_url=url or "",
        submitted_url_hash=hashed or "",
        source=source,
        title=title[:1000],
        submitted_by=submitted_by,
        # A desk member's copy names its outlet too (they pasted it from there); a partner's
        # copy (API key) does not: its address is only the partner's word.
        outlet=outlet
        or (feed.outlet if feed else None)
        or (_outlet_for(url) if url and not (submitters_copy and api_key) else None),
        feed=feed,
    )
    if html is not None:
        article.raw_page = _compress(html)
        article.raw_size = len(html)
        article.raw_content_type = "text/html"
        article.fetched_at = timezone.now()
    elif text is not None:
        article.text = text
    # Uniqueness is left to the database: a check here races with a concurrent submission of the
    # same URL, which the IntegrityError below resolves.
    article.full_clean(exclude=["url", "submitted_url"], validate_unique=False)
    try:
        with transaction.atomic():
            article.save()
    except IntegrityError:
        # Another request registered the same URL a moment ago: that article is the one.
        existing = _known_article(hashed)
        if existing is None:
            raise
        return _resubmitted(existing, url=url, api_key=api_key, enqueue=enqueue)
    if api_key is not None:
        article.submitted_by_keys.add(api_key)
    if enqueue:
        article_enqueue_next(article=article)
    return article


def _checked_canonical_url(url: str) -> str:
    """The canonical spelling of a submitted URL, or InvalidInputError with a readable reason."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in {"http", "https"}:
        raise InvalidInputError("Only http and https addresses can be ingested.")
    if "@" in parts.netloc:
        raise InvalidInputError("Addresses with a user name or password are not accepted.")
    try:
        canonical = canonicalize_url(url)
    except (ValueError, UnicodeError) as exc:
        raise InvalidInputError(str(exc)) from exc
    if len(canonical) > Article._meta.get_field("url").max_length:
        # Percent-encoding can grow a URL past the column (a database error, not a reason).
        raise InvalidInputError("The address is too long.")
    return canonical


def _known_article(hashed: str) -> Article | None:
    """The article of this (canonical) URL, also when its page named another canonical URL."""
    locked = Article.objects.select_for_update()
    return (
        locked.filter(url_hash=hashed).first()
        or locked.filter(submitted_url_hash=hashed).order_by("pk").first()
    )


def _resubmitted(
    existing: Article, *, url: str | None, api_key: ApiKey | None, enqueue: bool
) -> Article:
    """A known URL returns its article; one that failed is queued again, fetched from this
    submission's spelling (an earlier one may be unfetchable). A partner key submitting it may
    read it from now on."""
    if existing.status == Status.FAILED:
        if url:
            existing.submitted_url = url
            existing.save(update_fields=["submitted_url", "updated_at"])
        _reset_for_processing(existing)
        if enqueue:
            article_enqueue_next(article=existing)
    if api_key is not None:
        existing.submitted_by_keys.add(api_key)
    return existing


def _reset_for_processing(article: Article) -> None:
    article.status = Status.QUEUED
    article.error = article.error_reason = ""
    article.attempts = 0
    article.matched_at = None
    article.save(
        update_fields=["status", "error", "error_reason", "attempts", "matched_at", "updated_at"]
    )


@transaction.atomic
def article_reprocess(*, article: Article, enqueue: bool = True) -> Article:
    """Fetch (when it has a URL and no stored page) and extract again; keeps reviewed claims."""
    article = Article.objects.select_for_update().get(pk=article.pk)
    article.claims.filter(status=Claim.Status.NEW, verdict__isnull=True).delete()
    _reset_for_processing(article)
    if enqueue:
        article_enqueue_next(article=article)
    return article


def _claim(
    article_id: int, *, expected: tuple[str, ...], new_status: str, max_attempts: int
) -> Article | None:
    """Move the article to `new_status` if it is in one of the `expected` states, else None.

    Counts the attempt; an article whose stage was tried `max_attempts` times already (each try
    killed, timed out or lost) fails here rather than being tried forever.
    """
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article_id)
        if article.status not in expected:
            return None
        if article.attempts >= max_attempts:
            fail_article(
                article_id,
                reason="too_many_attempts",
                message=f"Fetching was interrupted {article.attempts} times; giving up.",
            )
            return None
        article.status = new_status
        article.attempts += 1
        article.save(update_fields=["status", "attempts", "updated_at"])
        return article


def article_fetch(*, article_id: int, final_attempt: bool = True, enqueue: bool = True) -> None:
    """Fetch the page if needed and extract its main text and metadata.

    Raises TransientFetchError for network trouble while retries remain; otherwise every problem
    ends the article as failed with a readable reason.
    """
    article = _claim(
        article_id, expected=_IN_FLIGHT, new_status=Status.FETCHING, max_attempts=MAX_FETCH_ATTEMPTS
    )
    if article is None:
        return
    raw = None
    try:
        if article.raw_page is None and not article.text and article.url:
            raw = _fetch_raw(article)
        document = _extract_document(article)
    except FetchError as exc:
        if exc.transient and not final_attempt:
            Article.objects.filter(pk=article_id).update(
                status=Status.QUEUED, error=f"Retrying: {exc.message}", error_reason=exc.reason
            )
            raise TransientFetchError(exc.message, retry_after=exc.retry_after) from exc
        fail_article(article_id, reason=exc.reason, message=exc.message)
        return
    except ExtractionError as exc:
        fail_article(article_id, reason=exc.reason, message=exc.message, raw=raw)
        return
    except DatabaseError:
        raise  # the task retries it; the article keeps its state
    except SoftTimeLimitExceeded:
        fail_article(
            article_id, reason="timeout", message="Reading the page took too long.", raw=raw
        )
        return
    except Exception:  # a parser bug must not kill the worker or lose the article
        logger.exception("article %s: unexpected error while fetching/extracting", article_id)
        fail_article(article_id, reason="internal_error", message=INTERNAL_ERROR, raw=raw)
        return
    article = _store_document(article, document, raw=raw)
    if enqueue:
        article_enqueue_next(article=article)


def _fetch_raw(article: Article) -> dict:
    """Fetch the page onto the article; the fields are stored with its text (or its failure)
    in one commit, since each commit costs a WAL flush on PostgreSQL."""
    result = safe_fetch(article.submitted_url or article.url, policy=fetch_policy())
    content_type = result.content_type
    if result.charset:
        content_type = f"{content_type}; charset={result.charset}"
    raw = {
        "raw_page": _compress(result.content),
        "raw_size": len(result.content),
        "raw_content_type": content_type[:200],
        "fetched_at": timezone.now(),
    }
    for name, value in raw.items():
        setattr(article, name, value)
    return raw


def _extract_document(article: Article) -> ExtractedDocument:
    if article.raw_page is not None:
        _, _, charset = article.raw_content_type.partition("charset=")
        return extract_content(
            raw_page_bytes(article),
            content_type=article.raw_content_type,
            url=article.url or None,
            declared_charset=charset.strip() or None,
        )
    return extract_text(article.text, title=article.title or None, url=article.url or None)


@transaction.atomic
def _store_document(article: Article, document: ExtractedDocument, *, raw: dict | None) -> Article:
    # The stored page is neither read nor, unless this task fetched it, written again: `save()`
    # writes only the fields that were loaded or set.
    article = Article.objects.select_for_update().defer("raw_page", "text").get(pk=article.pk)
    for name, value in (raw or {}).items():
        setattr(article, name, value)
    article.text = document.text
    article.title = (article.title or document.title or "")[:1000]
    article.authors = list(document.authors)
    article.published_at = article.published_at or document.published_at
    article.language = document.language or ""
    article.content_hash = content_hash(document.text)
    article.error = article.error_reason = ""
    _adopt_canonical_url(article, document.canonical_url)
    # Ids only, here and in `_adopt_canonical_url`: a whole row would bring the other article's
    # compressed page and text (up to the 10 MiB fetch cap) to the worker for nothing.
    article.duplicate_of_id = (
        Article.objects.filter(content_hash=article.content_hash, duplicate_of__isnull=True)
        .exclude(pk=article.pk)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    if article.outlet_id is None and article.url:
        article.outlet = _outlet_for(article.url)
    article.status = Status.EXTRACTING
    article.attempts = 0  # the extraction's own tries count from here
    article.save()
    return article


def _adopt_canonical_url(article: Article, canonical_url: str | None) -> None:
    """Use the page's own canonical address when no other article has it already."""
    if not canonical_url or article.url_hash is None:
        return  # only a page fetched from its own address may name its canonical one
    try:
        canonical = canonicalize_url(canonical_url)
    except (ValueError, UnicodeError):  # e.g. a port out of range: the page keeps its address
        return
    hashed = url_hash(canonical)
    if hashed == article.url_hash:
        return
    other = (
        Article.objects.filter(url_hash=hashed)
        .exclude(pk=article.pk)
        .values_list("pk", flat=True)
        .first()
    )
    if other is not None:
        article.duplicate_of_id = other
        return
    article.url, article.url_hash = canonical, hashed


def article_process_sync(*, article_id: int) -> Article:
    """Both stages in this process, no broker needed (`ingest --sync`, the demo)."""
    from claims.services.claim_extraction import article_extract_claims

    article_fetch(article_id=article_id, final_attempt=True, enqueue=False)
    article_extract_claims(article_id=article_id)
    return Article.objects.get(pk=article_id)
