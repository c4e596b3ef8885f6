"""Words of a claim for the lexical candidate searches: tokens, and the rarest ones to look up.

Split from index.py: the index writer counts these words, and both lexical retrievers (the
in-memory postings in index.py, PostgreSQL's full text in fts.py) search the rarest; with no
imports from the package, fts.py can import them directly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

WORD = re.compile(r"\w+", re.UNICODE)


def claim_words(text: str) -> frozenset[str]:
    return frozenset(w for w in WORD.findall(text.casefold()) if len(w) > 1)


def rarest_within_budget(
    words: Iterable[str], df: Mapping[str, int], budget: int, limit: int = 12
) -> list[str]:
    """The rarest known of `words`, while the claims containing them stay within `budget`.

    Both lexical retrievers search these only, so they touch a few hundred claims at most
    however common the claim's other words ("government", "percent") are. The rarest word is
    always kept, even past the budget: a claim whose words are all common still gets candidates.
    """
    chosen: list[str] = []
    total = 0
    for count, word in sorted((df.get(w, 0), w) for w in words if df.get(w, 0) > 0):
        if chosen and total + count > budget:
            break
        chosen.append(word)
        total += count
        if len(chosen) >= limit:
            break
    return chosen


def rare_words(text: str, df: Mapping[str, int], budget: int, limit: int = 12) -> list[str]:
    """The claim's rarest known words (its own tokenisation) within `budget`."""
    return rarest_within_budget(claim_words(text), df, budget, limit)
