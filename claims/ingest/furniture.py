"""Page furniture read from the page's HTML structure, not from the extracted text.

trafilatura keeps the main text of a page, but captions, bylines, "Mehr zum Thema" boxes,
newsletter invitations, share bars and related-article lists inside the article container often
survive as lines of that text. Recognising them from the text alone needs word lists per site and
language, and those did not transfer to unseen sites (model card: boilerplate kept as candidate,
dev 0.12 / 0.00, held out 0.27 / 0.48). The page itself says what they are: a ``<figcaption>``,
an ``<aside>``, a ``<nav>``, a ``role="complementary"`` box, an element whose class or id names it
(``byline``, ``caption``, ``newsletter``, ``related``, ``share``, ``mehr-zum-thema`` ...).

``furniture_lines`` returns the lines of the extracted text whose words occur only inside such
elements. A line that also occurs in the rest of the page (a pull quote repeated in the body, a
caption that repeats a sentence of the article) is article text and stays.
"""

from __future__ import annotations

import copy
import functools
import re
import unicodedata

# Elements that are furniture by their tag or ARIA role. <footer> and <nav> are furniture wherever
# they stand (an article's footer holds tags, author boxes, "Filed under"); <header> is not (an
# article's header holds its headline and lead).
_TAGS = frozenset({"figcaption", "aside", "nav", "footer", "form", "button", "select"})
_ROLES = frozenset({"navigation", "complementary", "contentinfo", "search", "banner"})
# Class and id names that say "furniture" in the page templates of news sites (English, German).
# Matched on whole name parts ("article__byline", "c-image-caption", "newsletterBox"); "teaser"
# is not here on purpose: German sites mark the article's own lead paragraph as its "Teaser".
_NAME_PARTS_TEXT = """
    byline bylines author authors autor autoren caption captions bildunterschrift credit credits
    bildnachweis bildquelle copyright related newsletter newsletters promo promotion promoted
    share sharing sharebar social socials breadcrumb breadcrumbs subscribe subscription paywall
    advert advertisement adverts anzeige sponsored sponsor outbrain taboola recommended
    recommendations cookie cookies consent disclaimer
"""
_NAME_PARTS = frozenset(_NAME_PARTS_TEXT.split())
# Names made of several parts that are furniture only together ("read-more", "mehr-zum-thema").
_NAME_PHRASES = re.compile(
    r"read[-_]?more|more[-_]?(?:stories|articles|news|from|on)|also[-_]?read|"
    r"mehr[-_]?zum[-_]?thema|weitere[-_]?(?:artikel|themen|nachrichten)|lesen[-_]?sie[-_]?auch|"
    r"auch[-_]?interessant|tags?[-_]?list|topic[-_]?list|keywords?[-_]?list|"
    r"author[-_]?(?:bio|info|box|name)|image[-_]?(?:credit|source)",
    re.IGNORECASE,
)
# Containers of the page or the article itself are never furniture, whatever their classes say
# (WordPress puts "author-jane" on <body>).
_NEVER = frozenset({"html", "body", "main", "article"})
_INVISIBLE = ("script", "style", "noscript", "template", "svg")
# A furniture box is small: an element holding more than this share of the page's text is a
# layout container that happens to carry such a class, not furniture.
_MAX_SHARE = 0.3
_CAMEL = re.compile(r"([a-z0-9])([A-Z])")
_PARTS = re.compile(r"[^a-z0-9äöüß]+")


def _normalised(text: str) -> str:
    # trafilatura keeps the page's characters, so only Unicode form and whitespace need folding.
    return " ".join(unicodedata.normalize("NFC", text).split())


@functools.lru_cache(maxsize=4096)  # a page repeats the same few class names many times
def _names_furniture(value: str) -> bool:
    if _NAME_PHRASES.search(value):
        return True
    parts = _PARTS.split(_CAMEL.sub(r"\1 \2", value).lower())
    return any(p in _NAME_PARTS for p in parts)


def _is_furniture(element) -> bool:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in _NEVER:
        return False
    if tag in _TAGS:
        return True
    if (element.get("role") or "").strip().lower() in _ROLES:
        return True
    return _names_furniture(element.get("class") or "") or _names_furniture(element.get("id") or "")


def _furniture_boxes(body, page_chars: int) -> list:
    """The outermost furniture elements small enough to be furniture (a big one is searched
    inside instead), in document order."""
    taken: set = set()
    out = []
    for element in body.iter():
        if not isinstance(element.tag, str) or not _is_furniture(element):
            continue
        if any(ancestor in taken for ancestor in element.iterancestors()):
            continue
        if len(_normalised(element.text_content())) > _MAX_SHARE * page_chars:
            continue
        taken.add(element)
        out.append(element)
    return out


def furniture_lines(html_tree, text: str) -> set[str]:
    """The lines of ``text`` (the page's extracted main text) that are page furniture.

    ``html_tree`` is the page parsed by ``lxml.html``; it is not modified. A line is furniture
    when its words occur inside furniture elements and nowhere else on the page.
    """
    body = html_tree.find(".//body")
    if body is None:
        body = html_tree
    body = copy.deepcopy(body)
    for element in list(body.iter(*_INVISIBLE)):
        element.drop_tree()
    page = _normalised(body.text_content())
    if not page:
        return set()
    boxes = _furniture_boxes(body, len(page))
    if not boxes:
        return set()
    furniture = " \n ".join(_normalised(element.text_content()) for element in boxes)
    for element in boxes:
        element.drop_tree()
    rest = _normalised(body.text_content())
    out = set()
    for line in text.split("\n"):
        key = _normalised(line)
        if key and key in furniture and key not in rest:
            out.add(line)
    return out


def drop_furniture(html_tree, text: str, *, min_chars: int) -> str:
    """``text`` without its furniture lines; unchanged when too little article text would remain
    (a page whose template marks its article as furniture is better read whole)."""
    lines = furniture_lines(html_tree, text)
    if not lines:
        return text
    kept = [line for line in text.split("\n") if line not in lines]
    out = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()
    if len(out) < min_chars or len(out) < 0.5 * len(text):
        return text
    return out


# trafilatura deletes every div/p/section/span whose class or id contains "teaser" (its
# TEASER_DISCARD_XPATH: on index pages those are other articles' teasers). German news templates
# call the article's own standfirst the "Teaser" ("article-teaser", "teaser-text",
# "news-article__teaser"), and that paragraph states the headline claim: a desk reads it first.
_STANDFIRST_CHARS = (60, 700)
_MAX_LINK_SHARE = 0.3  # a teaser that is mostly a link points to another article
# English templates name it the "dek", "standfirst" or "summary" ("articleDek", "p-dek",
# "article-summary"); those are matched as whole name parts, "teaser" anywhere in the name.
_STANDFIRST_PARTS = frozenset({"dek", "standfirst", "summary"})
_FOLLOWING_STANDFIRST = (
    "following::*["
    + " or ".join(
        f"contains(translate(@{attribute}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', "
        f"'abcdefghijklmnopqrstuvwxyz'), '{word}')"
        for attribute in ("class", "id")
        for word in ("teaser", "dek", "standfirst", "summary")
    )
    + "]"
)


def _names_standfirst(element) -> bool:
    names = f"{element.get('class') or ''} {element.get('id') or ''}"
    if "teaser" in names.lower():
        return True
    return any(p in _STANDFIRST_PARTS for p in _PARTS.split(_CAMEL.sub(r"\1 \2", names).lower()))


def standfirst(html_tree) -> str | None:
    """The article's own standfirst, or None.

    The first element after the page's ``<h1>`` whose class or id contains "teaser" or has a
    part "dek", "standfirst" or "summary", if it is 60–700 characters long, under 30 % link
    text and outside furniture.
    """
    headline = html_tree.find(".//h1")
    if headline is None:
        return None
    # XPath (in C, document order) rather than a walk over every element in Python.
    following = (e for e in headline.xpath(_FOLLOWING_STANDFIRST) if _names_standfirst(e))
    element = next(following, None)  # only the first one after the headline can be it
    if element is None:
        return None
    text = _normalised(element.text_content())
    if not _STANDFIRST_CHARS[0] <= len(text) <= _STANDFIRST_CHARS[1]:
        return None
    if sum(len(_normalised(a.text_content())) for a in element.iter("a")) > _MAX_LINK_SHARE * len(
        text
    ):
        return None
    boxes = [a for a in element.iterancestors() if _is_furniture(a)]
    if boxes:
        # (a furniture-named ancestor holding much of the page is a layout container, as above)
        page_chars = len(_normalised(html_tree.text_content()))
        if any(len(_normalised(a.text_content())) <= _MAX_SHARE * page_chars for a in boxes):
            return None
    return text


def restore_standfirst(html_tree, text: str, *, title: str) -> str:
    """``text`` with the article's standfirst as its first paragraph (after the headline line
    when the text opens with it), when trafilatura dropped it."""
    lead = standfirst(html_tree)
    if not lead or lead[:60] in _normalised(text):
        return text
    first, _, rest = text.partition("\n")
    if title and _normalised(first) == _normalised(title):
        return f"{first}\n{lead}\n{rest}" if rest else f"{first}\n{lead}"
    return f"{lead}\n{text}"
