"""The verdict list's full-text search on PostgreSQL (the SQLite fallback is tested elsewhere)."""

import pytest

from tests.factories import ClaimFactory, PublishedVerdictFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_websearch_over_claim_text_and_verdict_summary(api_client):
    sanctions = PublishedVerdictFactory(
        claim=ClaimFactory(text="Alle Sanktionen bleiben natürlich in Kraft."),
        summary="Stimmt: die Sanktionen gelten weiter.",
    )
    tests = PublishedVerdictFactory(
        claim=ClaimFactory(text="Nordkorea hat keine Raketen getestet."),
        summary="Falsch: im Mai 2019 gab es Tests.",
    )

    def ids(q):
        response = api_client.get("/api/v1/verdicts/", {"q": q})
        assert response.status_code == 200, response.json()
        return {r["id"] for r in response.json()["results"]}

    assert ids("Sanktionen") == {sanctions.pk}
    assert ids("Raketen OR Sanktionen") == {sanctions.pk, tests.pk}
    assert ids("Tests -Sanktionen") == {tests.pk}
    assert ids('"in Kraft"') == {sanctions.pk}
