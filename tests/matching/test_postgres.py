"""PostgreSQL full-text candidates (the integration run uses PostgreSQL; SQLite skips these)."""

from __future__ import annotations

import pytest
from django.db import connection

from claims.services.matching import (
    FTS_INDEXES_SQL,
    article_claims_match,
    lexical_candidates_postgres,
    matching_index,
    matching_lexeme_counts,
)
from claims.services.matching.fts import parse_lexemes, tsquery_of
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="full-text search runs on PostgreSQL only"
    ),
]


def stored(text: str, language: str = "de", embedded: bool = True):
    claim = ClaimFactory(article=ArticleFactory(language=language), text=text, language=language)
    if embedded:
        claim.embedding = b"\0" * 2048
        claim.save(update_fields=["embedding"])
    return claim


def test_full_text_candidates_are_stemmed_same_language_and_ranked():
    best = stored("Die Sanktionen gegen Nordkorea bleiben in Kraft, sagte Trump.")
    some = stored("Neue Sanktionen wurden beschlossen.")
    english = stored("Nordkorea Sanktionen remain in force", language="en")
    stored("Die Sanktionen gegen Nordkorea bleiben", embedded=False)  # not indexed yet
    query = stored("Alle Sanktion gegen Nordkorea bleibt in Kraft.")

    found = lexical_candidates_postgres(
        text=query.text, language="de", exclude_article_id=query.article_id, limit=10
    )

    assert found[:2] == [str(best.pk), str(some.pk)]  # "Sanktion" ~ "Sanktionen" (stemming)
    assert str(query.pk) not in found and str(english.pk) not in found
    assert len(found) == 2


def test_words_with_tsquery_syntax_are_harmless():
    stored("Trump & Kim: (kein) Abkommen!")
    found = lexical_candidates_postgres(
        text="Trump & Kim | !Abkommen ' :* <->", language="de", exclude_article_id=0, limit=5
    )
    assert len(found) == 1


def test_the_documented_indexes_can_be_created():
    # Whether the planner picks them is checked at 100,000 claims by bench/bench_matching_db.py.
    with connection.cursor() as cursor:
        for statement in FTS_INDEXES_SQL:
            cursor.execute(statement)
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE 'claim_text_%%'")
        assert {row[0] for row in cursor.fetchall()} >= {
            "claim_text_tsv_de",
            "claim_text_tsv_en",
            "claim_text_tsv_other",
        }


def test_matching_on_postgres_uses_the_database_candidates(settings):
    settings.CLAIMTRACKER_MATCHING = {"CONFIRMED": 0.9, "SUGGESTED": 0.5}
    first = ClaimFactory(text="Nordkorea hat seit mehr als einem Jahr keine Atomwaffen getestet.")
    article_claims_match(article_id=first.article_id)
    repeat = ClaimFactory(text="Nordkorea hat seit über einem Jahr keine Atomwaffen mehr getestet.")
    article_claims_match(article_id=repeat.article_id)
    repeat.refresh_from_db()
    first.refresh_from_db()
    assert repeat.group_id is not None and repeat.group_id == first.group_id


def test_only_the_rarest_words_are_searched_when_counts_are_known():
    rare = stored("Pompeo nannte die Sanktionen den Hauptgrund.")
    common = stored("Trump sprach mit Journalisten.")
    query = "Trump zufolge waren die Sanktionen laut Pompeo der Hauptgrund."
    df = {"trump": 5000, "sanktionen": 40, "pompeo": 3, "hauptgrund": 2, "die": 9000}
    found = lexical_candidates_postgres(
        text=query, language="de", exclude_article_id=0, limit=10, df=df, budget=100
    )
    assert found == [str(rare.pk)]
    everything = lexical_candidates_postgres(
        text=query, language="de", exclude_article_id=0, limit=10
    )
    assert set(everything) == {str(rare.pk), str(common.pk)}


def test_the_index_counts_full_text_lexemes_so_the_query_stays_within_its_budget(settings):
    """A rare word can stem to a common lexeme ("presiding" -> "presid", as in "president"):
    the counts are of lexemes, so such a word is left out when it would match too many rows."""
    settings.CLAIMTRACKER_MATCHING = {"LEXICAL_ROW_BUDGET": 3}
    presidents = [
        stored(f"The president visited region {i} on Monday.", language="en") for i in range(4)
    ]
    rare = stored("A zeppelin landed beside the harbour.", language="en")
    matching_index()
    counts = matching_lexeme_counts()
    assert counts["presid"] == 4 and counts["zeppelin"] == 1

    query = stored("The presiding judge saw a zeppelin.", language="en")
    found = lexical_candidates_postgres(
        text=query.text,
        language="en",
        exclude_article_id=query.article_id,
        limit=10,
        df=counts,
        budget=3,
        lexemes=parse_lexemes("'presid':2 'judg':3 'saw':4 'zeppelin':6"),
    )
    assert found == [str(rare.pk)]  # "presid" (4 rows) would pass the budget of 3
    everything = lexical_candidates_postgres(
        text=query.text,
        language="en",
        exclude_article_id=query.article_id,
        limit=10,
        df=counts,
        budget=10,
        lexemes=parse_lexemes("'presid':2 'zeppelin':6"),
    )
    assert set(everything) == {str(rare.pk), *(str(p.pk) for p in presidents)}


def test_lexemes_with_quotes_and_backslashes_survive_the_round_trip():
    text = "O'Brien said \\o/ it's a back\\slash"
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_tsvector('simple', %s)::text", [text])
        lexemes = parse_lexemes(cursor.fetchone()[0])
        assert "o'brien" in lexemes or "o" in lexemes  # however the parser splits it
        for lexeme in lexemes:
            cursor.execute(
                "SELECT to_tsvector('simple', %s) @@ %s::tsquery", [text, tsquery_of([lexeme])]
            )
            assert cursor.fetchone()[0], lexeme


def test_one_statement_for_an_article_finds_what_one_query_per_claim_finds():
    from django.db import connection as conn
    from django.test.utils import CaptureQueriesContext

    from claims.services.matching.fts import FullTextQuery, lexical_candidates_postgres_many

    for text in (
        "Die Sanktionen gegen Nordkorea bleiben in Kraft, sagte Trump.",
        "Neue Sanktionen wurden beschlossen.",
        "Nordkorea testete eine Rakete.",
        "Sanktionen gegen Nordkorea und Iran bleiben, sagte der Sprecher.",
    ):
        stored(text)
    for text in ("Sanctions against North Korea remain in force.", "New sanctions were agreed."):
        stored(text, language="en")
    queries = [
        FullTextQuery("Die Sanktionen gegen Nordkorea bleiben.", "de"),
        FullTextQuery("Sanctions on North Korea", "en"),
        FullTextQuery("", "de"),  # no terms: no branch, no ids
        FullTextQuery("x", "fr", lexemes=parse_lexemes("'nordkorea':1 'sanktion':2")),
        FullTextQuery("x", "de", lexemes=parse_lexemes("'nordkorea':1 'sanktion':2")),
    ]
    with CaptureQueriesContext(conn) as captured:
        together = lexical_candidates_postgres_many(queries, exclude_article_id=0, limit=3)
    assert len(captured) == 1
    one_by_one = [
        lexical_candidates_postgres(
            text=q.text, language=q.language, exclude_article_id=0, limit=3, lexemes=q.lexemes
        )
        for q in queries
    ]
    assert together == one_by_one
    assert len(together[0]) == 3 and len(together[1]) == 2 and together[2] == together[3] == []
    assert len(together[4]) == 3
