"""PostgreSQL full-text search pieces shared by the index (lexeme counts) and the candidate query.

The full-text query ORs a claim's rarest *lexemes* (PostgreSQL's stems) while the claims that
contain them stay within a row budget: ranking recomputes each matched row's tsvector, so the
number of matched rows is the query's cost. Counting raw words instead underestimates it badly
("presiding" is rare, its lexeme "presid" matches every "president"), which made the slowest
queries rank thousands of rows.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping, Sequence

# PostgreSQL text-search configurations per claim language; others use 'simple' (no stemming).
FTS_CONFIGS = {"de": "german", "en": "english"}


# What matching compares: the standalone claim, or the sentence for claims stored without one.
CLAIM_TEXT_SQL = "COALESCE(NULLIF(standalone, ''), text, '')"


def fts_vector_sql(config: str) -> str:
    return f"to_tsvector('{config}'::regconfig, {CLAIM_TEXT_SQL})"


# The claim's lexemes as its language's configuration produces them (the same expressions as the
# partial GIN indexes), as tsvector text: 'lexeme':positions ...
LEXEMES_SQL = (
    "(CASE "
    + " ".join(
        f"WHEN language = '{lang}' THEN {fts_vector_sql(config)}"
        for lang, config in FTS_CONFIGS.items()
    )
    + f" ELSE {fts_vector_sql('simple')} END)::text"
)

# tsvector output quotes each lexeme, doubling quotes and backslashes inside it.
_LEXEME = re.compile(r"'((?:[^'\\]|''|\\.)*)'")


def parse_lexemes(tsvector_text: str | None) -> frozenset[str]:
    if not tsvector_text:
        return frozenset()
    return frozenset(
        sys.intern(re.sub(r"''|\\(.)", lambda m: m.group(1) or "'", raw))
        for raw in _LEXEME.findall(tsvector_text)
    )


def tsquery_of(lexemes: Sequence[str]) -> str:
    """A tsquery text ORing lexemes as they are (no parsing, no stemming again)."""
    quoted = ("'" + lex.replace("\\", "\\\\").replace("'", "''") + "'" for lex in lexemes)
    return " | ".join(quoted)


def rare_lexemes(
    lexemes: frozenset[str], df: Mapping[str, int], budget: int, limit: int = 12
) -> list[str]:
    """The rarest known lexemes while the claims containing them stay within `budget`."""
    chosen: list[str] = []
    total = 0
    for count, lexeme in sorted((df.get(x, 0), x) for x in lexemes if df.get(x, 0) > 0):
        if chosen and total + count > budget:
            break
        chosen.append(lexeme)
        total += count
        if len(chosen) >= limit:
            break
    return chosen
