"""Other fact-checkers' ClaimReview markup into plain records (pure Python, no Django).

Three inputs:

* an HTML page: every ClaimReview in its JSON-LD (single objects, arrays, ``@graph``, nested as
  ``mainEntity``/``review``/``hasPart``) and microdata, read with extruct;
* the DataCommons feed format: ``{"dataFeedElement": [{"item": [ClaimReview, ...]}, ...]}``
  (also a bare ClaimReview, a list of them, or JSON Lines);
* a sitemap (``urlset`` or ``sitemapindex``) or an RSS/Atom feed: the pages to read.

A ClaimReview that cannot be stored (no claim reviewed, no rating, no http(s) address) is
returned as a `RejectedReview` with its reason; nothing here raises on bad markup.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urljoin, urlsplit

__all__ = [
    "ParsedReview",
    "RejectedReview",
    "SitemapEntry",
    "parse_claimreview",
    "parse_dump",
    "parse_html",
    "parse_sitemap",
]

SNIPPET_LENGTH = 500


@dataclass(frozen=True)
class ParsedReview:
    url: str
    claim_reviewed: str
    rating_label: str
    publisher_name: str = ""
    publisher_url: str = ""
    claimant: str = ""
    rating_value: float | None = None
    best_rating: float | None = None
    worst_rating: float | None = None
    date_published: date | None = None
    date_modified: date | None = None
    language: str = ""
    snippet: str = ""
    raw: dict[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class RejectedReview:
    url: str
    reason: str
    raw: dict[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class SitemapEntry:
    url: str
    lastmod: str  # as published ("" when absent): a changed value means a changed page
    is_sitemap: bool = False  # an entry of a sitemap index


# --- ClaimReview objects -----------------------------------------------------------------------


def _types(item: dict[str, Any]) -> set[str]:
    value = item.get("@type") or item.get("type") or []
    values = value if isinstance(value, list) else [value]
    # "ClaimReview", "schema:ClaimReview", "http://schema.org/ClaimReview"
    return {re.split(r"[/:#]", str(v))[-1] for v in values}


def _walk(node: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """Every dict in a JSON-LD tree (arrays, @graph, nested properties), outermost first."""
    if depth > 12:  # hostile nesting; real pages nest three or four levels
        return
    if isinstance(node, list):
        for child in node:
            yield from _walk(child, depth + 1)
    elif isinstance(node, dict):
        yield node
        for key, child in node.items():
            if key != "@context" and isinstance(child, dict | list):
                yield from _walk(child, depth + 1)


def _text(value: Any) -> str:
    """A property's text: a string, the first of a list, or an object's name (@value)."""
    if isinstance(value, list):
        for v in value:
            text = _text(v)
            if text:
                return text
        return ""
    if isinstance(value, dict):
        return _text(value.get("name") or value.get("@value") or value.get("alternateName"))
    if value is None or isinstance(value, bool):
        return ""
    return " ".join(str(value).split())


def _url(value: Any, base: str | None) -> str:
    if isinstance(value, list):
        value = next((v for v in value if _url(v, base)), "")
    if isinstance(value, dict):
        value = value.get("url") or value.get("@id") or ""
    if not isinstance(value, str) or not value.strip():
        return ""
    url = urljoin(base or "", value.strip()) if base else value.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    return url


def _number(value: Any) -> float | None:
    if isinstance(value, dict):
        value = value.get("@value")
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(str(value).strip().replace(",", "."))
    except ValueError:
        return None
    return number if number == number and abs(number) < 1e9 else None  # no NaN / absurd


def _date(value: Any) -> date | None:
    text = _text(value)
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", text)
    if not match:
        return None
    try:
        return date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def _language(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("alternateName") or value.get("name") or ""
    text = _text(value).lower()
    match = re.match(r"[a-z]{2,3}", text)
    if not match:
        return ""
    return {"german": "de", "deutsch": "de", "english": "en"}.get(text, match.group(0))


def _first_dict(value: Any) -> dict[str, Any]:
    if isinstance(value, list):
        return next((v for v in value if isinstance(v, dict)), {})
    return value if isinstance(value, dict) else {}


def parse_claimreview(
    item: dict[str, Any],
    *,
    page_url: str | None = None,
    page_language: str = "",
    page_snippet: str = "",
) -> ParsedReview | RejectedReview:
    """One ClaimReview object (JSON-LD or extruct's uniform microdata) into a record."""
    url = _url(item.get("url"), page_url) or _url(item.get("@id"), page_url) or (page_url or "")
    if not _url(url, None):
        return RejectedReview(page_url or "", "no http(s) address for the review", item)
    claim = _text(item.get("claimReviewed"))
    reviewed = _first_dict(item.get("itemReviewed"))
    if not claim:
        # Older markup put the claim in itemReviewed (its name or text).
        claim = _text(reviewed.get("text") or reviewed.get("name"))
    if not claim:
        return RejectedReview(url, "no claimReviewed", item)
    rating = _first_dict(item.get("reviewRating"))
    label = _text(rating.get("alternateName")) or _text(rating.get("name"))
    value = _number(rating.get("ratingValue"))
    if not label and value is None:
        return RejectedReview(url, "no reviewRating (neither alternateName nor ratingValue)", item)
    if not label:
        label = _text(rating.get("ratingValue"))
    author = _first_dict(item.get("author")) or _first_dict(item.get("publisher"))
    publisher_name = _text(author) or _text(item.get("author")) or urlsplit(url).hostname or ""
    claimant_node = reviewed.get("author") or reviewed.get("creator")
    return ParsedReview(
        url=url,
        claim_reviewed=claim[:5000],
        rating_label=label[:300],
        publisher_name=publisher_name[:300],
        publisher_url=_url(author.get("url") or author.get("sameAs"), url)[:2048],
        claimant=_text(claimant_node)[:300],
        rating_value=value,
        best_rating=_number(rating.get("bestRating")),
        worst_rating=_number(rating.get("worstRating")),
        date_published=_date(item.get("datePublished")),
        date_modified=_date(item.get("dateModified")),
        language=_language(item.get("inLanguage")) or page_language,
        snippet=(_text(item.get("reviewBody")) or _text(item.get("description")) or page_snippet)[
            :SNIPPET_LENGTH
        ],
        raw=item,
    )


def _claimreviews(tree: Any) -> list[dict[str, Any]]:
    return [node for node in _walk(tree) if "ClaimReview" in _types(node)]


# --- HTML pages --------------------------------------------------------------------------------


def _page_context(html: str) -> tuple[str, str]:
    """The page's language (html lang) and a snippet (its meta description)."""
    lang = re.search(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3})", html[:5000], re.I)
    snippet = ""
    for pattern in (
        r"<meta\b[^>]*?(?:name|property)\s*=\s*[\"'](?:og:)?description[\"'][^>]*?"
        r"content\s*=\s*[\"']([^\"']*)",
        r"<meta\b[^>]*?content\s*=\s*[\"']([^\"']*)[\"'][^>]*?"
        r"(?:name|property)\s*=\s*[\"'](?:og:)?description",
    ):
        found = re.search(pattern, html[:200_000], re.I | re.S)
        if found:
            import html as html_lib

            snippet = " ".join(html_lib.unescape(found.group(1)).split())
            break
    return (lang.group(1).lower() if lang else ""), snippet[:SNIPPET_LENGTH]


def parse_html(html: str, *, url: str | None) -> list[ParsedReview | RejectedReview]:
    """Every ClaimReview of a page (JSON-LD and microdata); [] when it has none.

    A JSON-LD block that is not valid JSON does not hide the page's other blocks: each syntax is
    read on its own, and a broken block becomes a rejected item with the parser's reason.
    """
    import extruct

    found: list[ParsedReview | RejectedReview] = []
    if not html or not html.strip():
        return [RejectedReview(url or "", "empty page")]
    language, snippet = _page_context(html)
    items: list[dict[str, Any]] = []
    for syntax in ("json-ld", "microdata"):
        try:
            data = extruct.extract(html, base_url=url, syntaxes=[syntax], uniform=True)
        except Exception as exc:
            if syntax == "json-ld":
                items.extend(_lenient_jsonld(html, found, url))
            else:
                found.append(RejectedReview(url or "", f"unreadable {syntax}: {exc}"[:300]))
            continue
        items.extend(_claimreviews(data.get(syntax, [])))
    seen: set[str] = set()
    for item in items:
        key = json.dumps(item, sort_keys=True, default=str)
        if key in seen:
            continue
        seen.add(key)
        found.append(
            parse_claimreview(item, page_url=url, page_language=language, page_snippet=snippet)
        )
    return found


_JSONLD_BLOCK = re.compile(
    r"<script\b[^>]*type\s*=\s*[\"']application/ld\+json[\"'][^>]*>(.*?)</script>", re.I | re.S
)


def _lenient_jsonld(
    html: str, found: list[ParsedReview | RejectedReview], url: str | None
) -> list[dict[str, Any]]:
    """Block by block, when one broken block made extruct give up on all of them."""
    items = []
    for block in _JSONLD_BLOCK.findall(html):
        try:
            data = json.loads(block, strict=False)
        except ValueError as exc:
            if "ClaimReview" in block:
                found.append(RejectedReview(url or "", f"invalid JSON-LD: {exc}"[:300]))
            continue
        items.extend(_claimreviews(data))
    return items


# --- dumps ---------------------------------------------------------------------------------------


def parse_dump(content: bytes | str) -> list[ParsedReview | RejectedReview]:
    """The DataCommons ClaimReview feed (or a ClaimReview, a list of them, JSON Lines).

    Raises ValueError when the content is not JSON at all (the source cannot be read).
    """
    if isinstance(content, bytes):
        content = content.decode("utf-8-sig", errors="replace")
    try:
        documents = [json.loads(content)]
    except ValueError as exc:
        # JSON Lines: one review per line; a file with no JSON line at all is not a dump.
        documents = []
        for number, line in enumerate(content.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                documents.append(json.loads(line))
            except ValueError:
                documents.append({"_invalid_line": number})
        if not any(not (isinstance(d, dict) and "_invalid_line" in d) for d in documents):
            raise ValueError(f"not JSON: {exc}") from exc
    out: list[ParsedReview | RejectedReview] = []
    for document in documents:
        if isinstance(document, dict) and "_invalid_line" in document:
            out.append(RejectedReview("", f"line {document['_invalid_line']}: invalid JSON"))
            continue
        for item in _dump_items(document):
            if not isinstance(item, dict):
                out.append(RejectedReview("", "feed item is not an object"))
            elif "ClaimReview" not in _types(item):
                out.append(RejectedReview(_url(item.get("url"), None), "not a ClaimReview", item))
            else:
                out.append(parse_claimreview(item))
    return out


def _dump_items(document: Any) -> Iterator[Any]:
    if isinstance(document, list):
        for element in document:
            yield from _dump_items(element)
        return
    if not isinstance(document, dict):
        yield document
        return
    if "dataFeedElement" in document:
        for element in document.get("dataFeedElement") or []:
            inner = element.get("item") if isinstance(element, dict) else element
            yield from inner if isinstance(inner, list) else [inner]
        return
    if "@graph" in document:
        yield from _dump_items(document["@graph"])
        return
    yield document


# --- sitemaps ----------------------------------------------------------------------------------


def parse_sitemap(content: bytes, *, base_url: str) -> list[SitemapEntry]:
    """Pages of a sitemap (`urlset`), or the sitemaps of a `sitemapindex`.

    Raises ValueError when the content is no sitemap.
    """
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(content, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"not XML: {exc}") from exc
    kind = etree.QName(root).localname
    if kind not in ("urlset", "sitemapindex"):
        raise ValueError(f"not a sitemap (root element {kind})")
    entries = []
    for node in root:
        if not isinstance(node.tag, str):
            continue
        loc = lastmod = ""
        for child in node:
            if not isinstance(child.tag, str):
                continue
            name = etree.QName(child).localname
            if name == "loc":
                loc = (child.text or "").strip()
            elif name == "lastmod":
                lastmod = (child.text or "").strip()
        url = _url(loc, base_url)
        if url:
            entries.append(SitemapEntry(url, lastmod, is_sitemap=kind == "sitemapindex"))
    return entries
