"""PostgreSQL full-text candidates (the integration run uses PostgreSQL; SQLite skips these)."""

from __future__ import annotations

import pytest
from django.db import connection

from claims.services.matching import (
    FTS_INDEXES_SQL,
    article_claims_match,
    lexical_candidates_postgres,
)
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
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE 'claim_text_fts_%%'")
        assert {row[0] for row in cursor.fetchall()} == {
            "claim_text_fts_de",
            "claim_text_fts_en",
            "claim_text_fts_other",
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
