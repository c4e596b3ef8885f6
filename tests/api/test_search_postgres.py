"""The verdict list's full-text search on PostgreSQL (the SQLite fallback is tested elsewhere).

The search reads the stored vector (claim text + short verdict) that the verdict services write;
rows made by factories get theirs from ``verdict_search_vector_update`` (tests/factories.py), the
upkeep for writers outside the services.
"""

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import connection

from claims.models import Verdict
from claims.services.verdicts import verdict_correct
from tests.factories import ClaimFactory, PublishedVerdictFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def _ids(api_client, q):
    response = api_client.get("/api/v1/verdicts/", {"q": q})
    assert response.status_code == 200, response.json()
    return {r["id"] for r in response.json()["results"]}


def test_websearch_over_claim_text_and_verdict_summary(api_client):
    sanctions = PublishedVerdictFactory(
        claim=ClaimFactory(text="Alle Sanktionen bleiben natürlich in Kraft."),
        summary="Stimmt: die Sanktionen gelten weiter.",
    )
    tests = PublishedVerdictFactory(
        claim=ClaimFactory(text="Nordkorea hat keine Raketen getestet."),
        summary="Falsch: im Mai 2019 gab es Tests.",
    )

    assert _ids(api_client, "Sanktionen") == {sanctions.pk}
    assert _ids(api_client, "Raketen OR Sanktionen") == {sanctions.pk, tests.pk}
    assert _ids(api_client, "Tests -Sanktionen") == {tests.pk}
    assert _ids(api_client, '"in Kraft"') == {sanctions.pk}
    assert _ids(api_client, "Mai 2019") == {tests.pk}  # words of the summary only


@pytest.fixture
def published(publish):
    """A verdict taken through the real services: draft, evidence, submit, publish."""
    verdict = publish(
        "Die Arbeitslosigkeit stieg 1995 um zwölf Prozent.",
        "Falsch: laut Bundesagentur waren es knapp vier Prozent.",
    )
    return Verdict.objects.get(pk=verdict.pk)


def test_search_finds_a_published_verdict_by_claim_and_by_summary(api_client, published):
    assert _ids(api_client, "Arbeitslosigkeit 1995") == {published.pk}
    assert _ids(api_client, "Bundesagentur") == {published.pk}
    assert _ids(api_client, "Bundesagentur Rente") == set()


def test_search_follows_a_correction_at_once(
    api_client, published, editor, django_capture_on_commit_callbacks
):
    assert _ids(api_client, "Bundesagentur") == {published.pk}  # now in the public cache too
    with django_capture_on_commit_callbacks(execute=True):
        verdict_correct(
            actor=editor,
            verdict_id=published.pk,
            version=published.version,
            note="Quelle präzisiert.",
            rating_label_id=published.rating_label_id,
            summary="Falsch: das Statistische Bundesamt meldet 3,9 Prozent.",
            explanation=published.explanation,
        )
    assert _ids(api_client, "Bundesagentur") == set()
    assert _ids(api_client, "Statistische Bundesamt") == {published.pk}
    assert _ids(api_client, "Arbeitslosigkeit") == {published.pk}  # the claim text stays


def test_the_search_uses_the_gin_index(published):
    query = SearchQuery("Arbeitslosigkeit", search_type="websearch", config="simple")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a handful of rows: else a seq scan
    plan = Verdict.objects.filter(search_vector=query).explain()
    assert "verdict_search_vector_idx" in plan, plan
