"""Markup that would stall the HTML parsers, refused in linear time before they see it.

libxml2 checks an element's attribute names for duplicates in quadratic time (50,000 attributes
took ~100 s to extract), and trafilatura's handling of tables and lists grows quadratically with
their number (10,000 tables took 85 s, 4,000 lists 10 s). Every page is checked here, articles
and evidence alike; the limits are far above real news pages (the largest of 256 stored German
news pages has 4,084 elements and 241 tables and lists).
"""

from __future__ import annotations

import re

from claims.ingest.content import ExtractionError

MAX_ATTRIBUTES = 1_000  # on one element
MAX_ELEMENTS = 50_000  # ~10 s of extraction for simple elements
MAX_CONTAINERS = 1_500  # tables and lists together; ~2 s

# Browsers (and libxml2) read "/" between attributes as a separator, so `<div/a0/a1>` has two
# attributes. Possessive quantifiers keep this scan itself linear.
_TOO_MANY_ATTRIBUTES = re.compile(
    r"<[a-zA-Z][^\s/>]*+(?>(?:[\s/]++[^\s/=>]++(?:\s*+=\s*+(?:\"[^\"]*+\"|'[^']*+'|[^\s>]++))?+)"
    + f"{{{MAX_ATTRIBUTES}}})"
)
_ELEMENT = re.compile(r"<[a-zA-Z]")
_CONTAINER = re.compile(r"<(?:table|ul|ol|dl)[\s/>]", re.IGNORECASE)


def _more_than(pattern: re.Pattern[str], text: str, limit: int) -> bool:
    # stops at the first match over the limit
    return any(count > limit for count, _ in enumerate(pattern.finditer(text), start=1))


def check_markup(html: str) -> None:
    """Raise ExtractionError("malformed") for markup outside the parsers' budget."""
    if _TOO_MANY_ATTRIBUTES.search(html):
        problem = f"an element with more than {MAX_ATTRIBUTES:,} attributes"
    elif _more_than(_ELEMENT, html, MAX_ELEMENTS):
        problem = f"more than {MAX_ELEMENTS:,} elements"
    elif _more_than(_CONTAINER, html, MAX_CONTAINERS):
        problem = f"more than {MAX_CONTAINERS:,} tables and lists"
    else:
        return
    raise ExtractionError(
        "malformed", f"The page's markup is too large or malformed to process ({problem})."
    )
