"""Main text and metadata out of fetched pages, uploaded files and pasted text.

trafilatura finds the article text (without the comment section: readers' comments are not the
outlet's claims), htmldate (run by trafilatura, with our parameters) the publication date,
py3langid the language (claims.ingest.language). Sniffing and decoding bytes live in
claims.ingest.content; everything works on data already in memory (fetching is
claims.ingest.fetch).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

from claims.ingest.content import (
    TEXT_TYPES,
    VAGUE_TYPES,
    ExtractionError,
    check_content_type,
    decode_html,
)
from claims.ingest.furniture import drop_furniture as remove_furniture
from claims.ingest.furniture import restore_standfirst
from claims.ingest.language import detect_language
from claims.ingest.markup import check_markup

__all__ = [
    "ExtractedDocument",
    "ExtractionError",
    "check_content_type",
    "decode_html",
    "detect_language",
    "extract_content",
    "extract_html",
    "extract_text",
]

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_LOOKS_LIKE_HTML = re.compile(
    r"<\s*(!doctype\s+html|html|head|body|article|main|p|div|h[1-6]|title|section|span|br|table)\b",
    re.IGNORECASE,
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

MIN_TEXT_CHARS = 80  # below this a "main text" is a teaser, a login form or an error page


@dataclass(frozen=True)
class ExtractedDocument:
    title: str
    authors: tuple[str, ...]
    published_at: datetime | None  # aware, UTC
    language: str | None  # ISO 639-1 code, e.g. "de", "en"
    text: str
    canonical_url: str | None
    site_name: str | None
    description: str | None


# -- helpers ------------------------------------------------------------------------------------


def _clean_text(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    lines = [" ".join(line.split()) for line in text.split("\n")]
    cleaned = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", cleaned).strip()


def _parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    for parse in (datetime.fromisoformat, lambda v: datetime.strptime(v, "%Y-%m-%dT%H:%M:%S%z")):
        try:
            parsed = parse(value)
        except ValueError:
            continue
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)  # a bare date or local time: best effort
        return parsed.astimezone(UTC)
    return None


def _absolute_http_url(value: str | None, base: str | None) -> str | None:
    if not value:
        return None
    value = value.strip()
    full = urljoin(base, value) if base else value
    parts = urlsplit(full)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return full


def _split_authors(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    seen: dict[str, None] = {}
    for name in re.split(r";|\s+(?:and|und)\s+", value):
        name = " ".join(name.split()).strip(" ,")
        if name and len(name) <= 100 and "://" not in name:
            seen.setdefault(name, None)
    return tuple(seen)


def _parse(html: str):
    """The page as an lxml tree, or None when lxml cannot read it."""
    import lxml.html
    from lxml.etree import ParserError

    try:
        return lxml.html.document_fromstring(html)
    except (ParserError, ValueError):
        return None


def _page_metadata(tree, url: str | None) -> tuple[str | None, str | None, str | None]:
    """(canonical URL, lang attribute, <title>) straight from the markup."""
    if tree is None:
        return None, None, None
    canonical = None
    for xpath in ('//link[@rel="canonical"]/@href', '//meta[@property="og:url"]/@content'):
        values = tree.xpath(xpath)
        if values:
            canonical = _absolute_http_url(str(values[0]), url)
            if canonical:
                break
    langs = tree.xpath("/html/@lang")
    lang = str(langs[0]).split("-")[0].strip().lower() or None if langs else None
    titles = tree.xpath("//title/text()")
    title = " ".join(str(titles[0]).split()) if titles else None
    return canonical, lang, title


# -- extraction ---------------------------------------------------------------------------------


def extract_html(
    content: bytes | str,
    *,
    url: str | None = None,
    declared_charset: str | None = None,
    min_text_chars: int = MIN_TEXT_CHARS,
    drop_furniture: bool = True,
    restore_lead: bool = True,
) -> ExtractedDocument:
    """The article in an HTML page: main text without comments and page furniture, plus metadata.

    ``drop_furniture=False`` keeps the lines the page's markup marks as furniture (captions,
    bylines, related links ...: ``claims.ingest.furniture``), as trafilatura returns them;
    ``restore_lead=False`` leaves out the article's teaser-classed standfirst, which trafilatura
    deletes by its class and which is otherwise put back as the first paragraph.

    Raises ExtractionError (``empty``, ``binary``, ``not_html``, ``malformed``,
    ``no_main_text``).
    """
    import trafilatura

    if isinstance(content, bytes):
        check_content_type("text/html", content)
        html = decode_html(content, declared_charset)
    else:
        html = content
    html = _XML_DECLARATION.sub("", html.replace("\x00", ""), count=1)
    if not html.strip():
        raise ExtractionError("empty", "The page is empty.")
    if not _LOOKS_LIKE_HTML.search(html[:100_000]):
        raise ExtractionError("not_html", "The content is not an HTML page.")
    check_markup(html)

    document = trafilatura.bare_extraction(
        html,
        url=url,
        include_comments=False,  # trafilatura's default keeps readers' comments
        with_metadata=True,
        deduplicate=False,
        # trafilatura runs htmldate for its metadata anyway; ask it for what we need.
        date_extraction_params={
            "original_date": True,  # the publication date, not the last update
            "extensive_search": False,  # no guessing from dates in the body text
            "outputformat": "%Y-%m-%dT%H:%M:%S%z",  # keep the time and zone when known
            "max_date": datetime.now(UTC).strftime("%Y-%m-%d"),
        },
    )
    text = _clean_text(document.text or "") if document is not None else ""
    if len(text) < min_text_chars:
        raise ExtractionError(
            "no_main_text",
            "No article text was found on the page (it may be an index, login or error page, "
            "or need JavaScript).",
        )

    tree = _parse(html)
    if tree is not None and restore_lead:
        # The article's own "Teaser" (standfirst), which trafilatura deletes by its class.
        text = restore_standfirst(tree, text, title=document.title or "")
    if tree is not None and drop_furniture:
        # Captions, bylines, related-article boxes ... that trafilatura kept, recognised by the
        # page's own markup (claims.ingest.furniture), never by the words of one site.
        text = remove_furniture(tree, text, min_chars=min_text_chars)
    canonical, lang_attribute, page_title = _page_metadata(tree, url)
    published = _parse_date(document.date)
    title = " ".join((document.title or page_title or "").split())
    return ExtractedDocument(
        title=title,
        authors=_split_authors(document.author),
        published_at=published,
        language=detect_language(text) or lang_attribute,
        text=text,
        canonical_url=canonical,
        site_name=document.sitename or None,
        description=document.description or None,
    )


def extract_text(
    text: str, *, title: str | None = None, url: str | None = None
) -> ExtractedDocument:
    """A document from pasted text or a .txt file; the title defaults to the first line."""
    cleaned = _clean_text(text)
    if not cleaned:
        raise ExtractionError("empty", "The text is empty.")
    if title is None or not title.strip():
        first_line = cleaned.split("\n", 1)[0]
        title = first_line if len(first_line) <= 200 else first_line[:197].rstrip() + "…"
    return ExtractedDocument(
        title=" ".join(title.split()),
        authors=(),
        published_at=None,
        language=detect_language(cleaned),
        text=cleaned,
        canonical_url=_absolute_http_url(url, None),
        site_name=None,
        description=None,
    )


def extract_content(
    content: bytes,
    *,
    content_type: str = "",
    url: str | None = None,
    declared_charset: str | None = None,
) -> ExtractedDocument:
    """Dispatch fetched or uploaded bytes: check the type, then HTML or plain-text extraction."""
    check_content_type(content_type, content)
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type in TEXT_TYPES:
        return extract_text(decode_html(content, declared_charset), url=url)
    if media_type in VAGUE_TYPES and media_type not in ("text/xml", "application/xml"):
        decoded = decode_html(content, declared_charset)
        if not _LOOKS_LIKE_HTML.search(decoded[:100_000]):
            return extract_text(decoded, url=url)
    return extract_html(content, url=url, declared_charset=declared_charset)
