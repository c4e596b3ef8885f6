"""Main text and metadata out of fetched pages, uploaded files and pasted text.

trafilatura finds the article text (without the comment section: readers' comments are not the
outlet's claims), htmldate (run by trafilatura, with our parameters) the publication date,
py3langid the language. Everything here works
on bytes/str already in memory; fetching is claims.ingest.fetch.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any
from urllib.parse import urljoin, urlsplit

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

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_TYPES = frozenset({"text/plain"})
# Servers that do not know better label HTML like this; we sniff the bytes instead.
_VAGUE_TYPES = frozenset(
    {
        "",
        "application/octet-stream",
        "binary/octet-stream",
        "text/xml",
        "application/xml",
        "application/x-unknown",
        "unknown/unknown",
    }
)

# (magic prefix, human name) for the binary formats people actually submit by mistake.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"RIFF", "a media file (RIFF)"),
    (b"PK\x03\x04", "a ZIP archive or office document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"OggS", "an Ogg media file"),
    (b"ID3", "an MP3 file"),
    (b"\x00asm", "a WebAssembly module"),
    (b"\x7fELF", "an executable"),
    (b"MZ", "a Windows executable"),
    (b"wOFF", "a web font"),
    (b"wOF2", "a web font"),
)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_.:-]+)""")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_LOOKS_LIKE_HTML = re.compile(
    r"<\s*(!doctype\s+html|html|head|body|article|main|p|div|h[1-6]|title|section|span|br|table)\b",
    re.IGNORECASE,
)
# An element with this many attributes: libxml2 checks attribute names for duplicates in
# quadratic time (50,000 attributes took ~100 s to extract), and no real page comes close.
# Possessive quantifiers keep this scan itself linear.
MAX_ATTRIBUTES = 1000
_TOO_MANY_ATTRIBUTES = re.compile(
    r"<[a-zA-Z][^\s/>]*+(?>(?:\s++[^\s=>]++(?:\s*+=\s*+(?:\"[^\"]*+\"|'[^']*+'|[^\s>]++))?+)"
    + f"{{{MAX_ATTRIBUTES}}})"
)
_LETTER = re.compile(r"[^\W\d_]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# WHATWG: pages labelled latin-1/ascii are decoded as windows-1252 by every browser.
_ENCODING_ALIASES = {"latin_1": "cp1252", "ascii": "cp1252", "iso8859_1": "cp1252"}

MIN_TEXT_CHARS = 80  # below this a "main text" is a teaser, a login form or an error page
_MIN_LANGUAGE_CHARS = 12
_MIN_LANGUAGE_CONFIDENCE = 0.5


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


class ExtractionError(Exception):
    """Content that yields no article. ``reason``: ``empty``, ``binary``,
    ``unsupported_content``, ``not_html``, ``malformed``, ``no_main_text``; ``message`` is
    readable."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(reason, message)  # positional: pickles cleanly
        self.reason = reason
        self.message = message

    def __str__(self) -> str:
        return self.message


# -- content sniffing ---------------------------------------------------------------------------


def _sniff_binary(content: bytes) -> str | None:
    """A name for the binary format of ``content``, or None if it looks like text."""
    head = content[:1024]
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return name
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return None  # UTF-16/32 text has NUL bytes but is text
    if b"\x00" in head:
        return "binary data"
    return None


def check_content_type(content_type: str, content: bytes) -> None:
    """Raise ExtractionError unless ``content`` is HTML or plain text (judged by both the
    declared media type and the bytes themselves: a PDF served as text/html is still a PDF)."""
    media_type = content_type.split(";", 1)[0].strip().lower()
    if not content.strip():
        raise ExtractionError("empty", "The page is empty.")
    binary = _sniff_binary(content)
    if binary is not None:
        raise ExtractionError("binary", f"The file is {binary}, not an article page.")
    if media_type in HTML_TYPES or media_type in TEXT_TYPES or media_type in _VAGUE_TYPES:
        return
    if media_type.startswith(("image/", "audio/", "video/", "font/", "model/")):
        raise ExtractionError("binary", f"The file is {media_type} content, not an article page.")
    raise ExtractionError(
        "unsupported_content",
        f"Content of type {media_type} cannot be processed; send an HTML page or plain text.",
    )


# -- decoding -----------------------------------------------------------------------------------


def _normalise_encoding(name: str | None) -> str | None:
    if not name:
        return None
    try:
        canonical = codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None
    return _ENCODING_ALIASES.get(canonical.replace("-", "_"), canonical)


def _try_decode(content: bytes, encoding: str) -> str | None:
    try:
        return content.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_html(content: bytes, declared_charset: str | None) -> str:
    """Bytes to text, robust to wrong labels.

    Order: byte-order mark; UTF-8 if the bytes are valid UTF-8 (a page whose non-ASCII bytes
    happen to form valid UTF-8 is UTF-8 in practice, whatever its label says, so UTF-8 pages
    labelled latin-1 are decoded right); then the ``<meta>`` charset, then the declared
    (Content-Type header) charset, each only if it decodes without error (so latin-1 bytes
    labelled UTF-8 fall through); then charset_normalizer; last, windows-1252.
    """
    for bom, encoding in _BOMS:
        if content.startswith(bom):
            return content[len(bom) :].decode(encoding, errors="replace")

    head = content[:4096]
    meta_match = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    meta = _normalise_encoding(meta_match.group(1).decode("ascii")) if meta_match else None
    declared = _normalise_encoding(declared_charset)
    labels = [e for e in (meta, declared) if e]

    # UTF-16/32 labels without a BOM: the bytes may also be "valid UTF-8" (NULs), so honour them.
    for label in labels:
        if label.startswith(("utf_16", "utf_32")):
            text = _try_decode(content, label)
            if text is not None:
                return text

    text = _try_decode(content, "utf-8")
    if text is not None:
        return text
    for label in labels:
        if label in ("utf_8", "utf-8"):
            continue  # already failed
        text = _try_decode(content, label)
        if text is not None:
            return text
    guessed = _guess_encoding(content)
    if guessed:
        text = _try_decode(content, guessed)
        if text is not None:
            return text
    return content.decode("cp1252", errors="replace")


def _guess_encoding(content: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(content[:200_000]).best()
    if best is None:
        return None
    # For these bytes several single-byte code pages decode identically; prefer the one
    # browsers use for Western pages rather than charset_normalizer's first pick (often cp1250).
    if "cp1252" in best.could_be_from_charset:
        return "cp1252"
    return best.encoding


# -- language -----------------------------------------------------------------------------------


@cache
def _language_identifier() -> Any:
    # Loaded once per process on first use (about 1 s), never at import time.
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of ``text``, or None when the text is too short or the model unsure."""
    # ~1,000 characters decide the language as well as 10,000 and cost a tenth of the time
    # (the classifier is linear in its input and was a third of extract_html's time).
    sample = " ".join(text[:4000].split())[:1200]
    if len(_LETTER.findall(sample)) < _MIN_LANGUAGE_CHARS:
        return None
    language, confidence = _language_identifier().classify(sample)
    if confidence < _MIN_LANGUAGE_CONFIDENCE or language in ("und", "zxx"):
        return None
    return str(language)


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


def _page_metadata(html: str, url: str | None) -> tuple[str | None, str | None, str | None]:
    """(canonical URL, lang attribute, <title>) straight from the markup."""
    import lxml.html
    from lxml.etree import ParserError

    try:
        tree = lxml.html.document_fromstring(html)
    except (ParserError, ValueError):
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
) -> ExtractedDocument:
    """The article in an HTML page: main text without comments, plus metadata.

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
    if _TOO_MANY_ATTRIBUTES.search(html):
        raise ExtractionError(
            "malformed",
            f"The page's markup is too malformed to process (an element with more than "
            f"{MAX_ATTRIBUTES:,} attributes).",
        )

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

    canonical, lang_attribute, page_title = _page_metadata(html, url)
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
    if media_type in _VAGUE_TYPES and media_type not in ("text/xml", "application/xml"):
        decoded = decode_html(content, declared_charset)
        if not _LOOKS_LIKE_HTML.search(decoded[:100_000]):
            return extract_text(decoded, url=url)
    return extract_html(content, url=url, declared_charset=declared_charset)
