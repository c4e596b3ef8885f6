"""What kind of bytes we were given, and how to turn them into text.

Sniffing and decoding come before extraction, for fetched pages and uploaded files alike: a PDF
served as text/html is still a PDF, and a page's declared charset is often wrong.
"""

from __future__ import annotations

import codecs
import re

__all__ = [
    "HTML_TYPES",
    "TEXT_TYPES",
    "VAGUE_TYPES",
    "ExtractionError",
    "check_content_type",
    "decode_html",
    "sniff_binary",
]

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_TYPES = frozenset({"text/plain"})
# Servers that do not know better label HTML like this; we sniff the bytes instead.
VAGUE_TYPES = frozenset(
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
# WHATWG: pages labelled latin-1/ascii are decoded as windows-1252 by every browser.
_ENCODING_ALIASES = {"latin_1": "cp1252", "ascii": "cp1252", "iso8859_1": "cp1252"}


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


def sniff_binary(content: bytes) -> str | None:
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
    binary = sniff_binary(content)
    if binary is not None:
        raise ExtractionError("binary", f"The file is {binary}, not an article page.")
    if media_type in HTML_TYPES or media_type in TEXT_TYPES or media_type in VAGUE_TYPES:
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
