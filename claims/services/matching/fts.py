"""PostgreSQL full-text search pieces shared by the index (lexeme counts) and the candidate query.

The full-text query ORs a claim's rarest *lexemes* (PostgreSQL's stems) while the claims that
contain them stay within a row budget: each matched row is ranked, so the number of matched rows
is the query's cost. Counting raw words instead underestimates it badly
("presiding" is rare, its lexeme "presid" matches every "president"), which made the slowest
queries rank thousands of rows.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.db import connection

from .words import WORD, rare_words, rarest_within_budget

# PostgreSQL text-search configurations per claim language; others use 'simple' (no stemming).
FTS_CONFIGS = {"de": "german", "en": "english"}


# What matching compares: the standalone claim, or the sentence for claims stored without one.
CLAIM_TEXT_SQL = "COALESCE(NULLIF(standalone, ''), text, '')"

# The claim's tsvector in its language's configuration, stored by PostgreSQL in a generated column
# (migration 0020_claim_text_tsv, whose expression is `_tsv_expression()`): ranking a matched row
# reads it instead of recomputing `to_tsvector` per row, and the index writer reads lexemes from
# it. Not a model field (PostgreSQL only); only these raw queries name it.
TSV_COLUMN = "text_tsv"


def fts_vector_sql(config: str) -> str:
    """The tsvector expression of one configuration (what 0007's expression indexes held)."""
    return f"to_tsvector('{config}'::regconfig, {CLAIM_TEXT_SQL})"


def _tsv_expression() -> str:
    return (
        "(CASE "
        + " ".join(
            f"WHEN language = '{lang}' THEN {fts_vector_sql(config)}"
            for lang, config in FTS_CONFIGS.items()
        )
        + f" ELSE {fts_vector_sql('simple')} END)"
    )


TSV_SQL = _tsv_expression()

# The claim's lexemes as tsvector text ('lexeme':positions ...): the stored column.
LEXEMES_SQL = f"{TSV_COLUMN}::text"

# Per language, the predicate of the partial GIN index the query of that language uses.
_LANGUAGE_FILTERS = {
    **{lang: f"language = '{lang}'" for lang in FTS_CONFIGS},
    "other": "language NOT IN (" + ", ".join(f"'{lang}'" for lang in FTS_CONFIGS) + ")",
}


def _language_filter(language: str) -> str:
    return _LANGUAGE_FILTERS[language if language in FTS_CONFIGS else "other"]


# The partial GIN indexes the full-text query uses (PostgreSQL only; created by migration 0020
# with the column, tests/test_search_indexes.py checks that they are these statements).
FTS_INDEXES_SQL = [
    f"CREATE INDEX IF NOT EXISTS claim_text_tsv_{name} ON claims_claim "
    f"USING gin ({TSV_COLUMN}) WHERE {where}"
    for name, where in _LANGUAGE_FILTERS.items()
]
FTS_INDEXES_DROP_SQL = [f"DROP INDEX IF EXISTS claim_text_tsv_{name}" for name in _LANGUAGE_FILTERS]

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
    return rarest_within_budget(lexemes, df, budget, limit)


# --- the query ----------------------------------------------------------------------------------


def _tsquery_terms(text: str, df: Mapping[str, int] | None, budget: int) -> str:
    """An OR query for to_tsquery (\\w+ tokens carry no tsquery syntax).

    With word counts: the rarest words (each matched row is ranked, so the row budget bounds the
    query's cost). Without: the first 24.
    """
    if df is not None:
        return " | ".join(rare_words(text, df, budget))
    words: list[str] = []
    for word in WORD.findall(text.casefold()):
        if len(word) > 1 and word not in words:
            words.append(word)
    return " | ".join(words[:24])


@dataclass(frozen=True)
class FullTextQuery:
    """One claim's full-text search: its text and language, and (optionally) its lexemes."""

    text: str
    language: str
    lexemes: frozenset[str] | None = None


def _query_sql(query: FullTextQuery, df, budget: int) -> tuple[str, str] | None:
    """(tsquery text, SQL yielding it as `q`) of one claim, or None when it has no terms."""
    if query.lexemes is not None:
        lexemes = query.lexemes
        chosen = rare_lexemes(lexemes, df, budget) if df is not None else sorted(lexemes)[:24]
        terms, tsquery = tsquery_of(chosen), "(SELECT %s::tsquery AS q)"
    else:
        config = FTS_CONFIGS.get(query.language, "simple")
        terms = _tsquery_terms(query.text, df, budget)
        # config comes from the whitelist above and is inlined (a literal the planner sees).
        # Either way a FROM item yielding one column `q`.
        tsquery = f"to_tsquery('{config}'::regconfig, %s)"
    return (terms, tsquery) if terms else None


def lexical_candidates_postgres_many(
    queries: Sequence[FullTextQuery],
    *,
    exclude_article_id: int,
    limit: int,
    df: Mapping[str, int] | None = None,
    budget: int = 300,
) -> list[list[str]]:
    """Per query, the ids of the claims whose words best match it (PostgreSQL full-text search),
    best first: every claim of an article in one statement (one round trip, one parse).

    Same-language claims only (cross-language repeats are the semantic signal's job); each query
    ORs the claim's words and ranks with ts_rank_cd over the stored tsvector (`TSV_COLUMN`), so
    paraphrases sharing a few rare words rank high. With lexemes and `df` (lexeme counts, see
    `matching_lexeme_counts`) a query ORs the rarest lexemes within `budget` matched rows; with
    `df` alone, the rarest words by word counts; with neither, the first 24 words.

    One `UNION ALL` branch per claim, each with its language as a literal so the planner uses
    that language's partial GIN index; the branch number and the rank come back with each id
    and the order within a branch is restored here (ts_rank_cd descending, then id, as the
    single query ordered them).
    """
    from claims.models import Claim

    branches: list[str] = []
    params: list = []
    for number, query in enumerate(queries):
        built = _query_sql(query, df, budget)
        if built is None:
            continue
        terms, tsquery = built
        branches.append(
            f"(SELECT {number} AS k, id, ts_rank_cd({TSV_COLUMN}, q) AS r "  # noqa: S608
            f"FROM {Claim._meta.db_table}, {tsquery} AS q "
            f"WHERE {_language_filter(query.language)} AND {TSV_COLUMN} @@ q "
            f"AND article_id <> %s AND embedding IS NOT NULL ORDER BY r DESC, id LIMIT %s)"
        )
        params += [terms, exclude_article_id, limit]
    found: list[list[tuple[float, int]]] = [[] for _ in queries]
    if branches:
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(branches), params)
            for number, pk, rank in cursor.fetchall():
                found[number].append((-rank, pk))
    return [[str(pk) for _rank, pk in sorted(rows)] for rows in found]


def lexical_candidates_postgres(
    *,
    text: str,
    language: str,
    exclude_article_id: int,
    limit: int,
    df: Mapping[str, int] | None = None,
    budget: int = 300,
    lexemes: frozenset[str] | None = None,
) -> list[str]:
    """Ids of the claims whose words best match `text`: `lexical_candidates_postgres_many` for
    one claim."""
    return lexical_candidates_postgres_many(
        [FullTextQuery(text, language, lexemes)],
        exclude_article_id=exclude_article_id,
        limit=limit,
        df=df,
        budget=budget,
    )[0]
