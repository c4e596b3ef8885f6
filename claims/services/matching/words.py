"""Words of a claim for the lexical candidate searches: tokens, and the rarest ones to look up.

Split from index.py: the index writer counts these words, and both lexical retrievers (the
in-memory postings in index.py, PostgreSQL's full text in fts.py) search the rarest; with no
imports from the package, fts.py can import them directly.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

WORD = re.compile(r"\w+", re.UNICODE)


def claim_words(text: str) -> frozenset[str]:
    return frozenset(w for w in WORD.findall(text.casefold()) if len(w) > 1)


def rare_words(text: str, df: Mapping[str, int], budget: int, limit: int = 12) -> list[str]:
    """The claim's rarest known words, while the claims containing them stay within `budget`.

    Both lexical retrievers search these only, so they touch a few hundred claims at most
    however common the claim's other words ("government", "percent") are.
    """
    chosen: list[str] = []
    total = 0
    for count, word in sorted((df.get(w, 0), w) for w in claim_words(text) if df.get(w, 0) > 0):
        if chosen and total + count > budget:
            break
        chosen.append(word)
        total += count
        if len(chosen) >= limit:
            break
    return chosen
