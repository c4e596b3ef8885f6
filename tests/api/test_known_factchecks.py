"""Known fact-checks and matches in the API: `claims:read` scope, shape, filters, schema."""

from __future__ import annotations

import pytest

from claims.models import KnownFactCheckMatch
from tests.factchecks.factories import KnownFactCheckFactory, KnownFactCheckMatchFactory
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db


def test_list_needs_claims_read(key_client, api_client):
    KnownFactCheckFactory()
    assert api_client.get("/api/v1/known-factchecks/").status_code == 401
    assert key_client("articles:submit").get("/api/v1/known-factchecks/").status_code == 403
    response = key_client("claims:read").get("/api/v1/known-factchecks/")
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["publisher"] == "Correctiv" and row["rating"] == "Falsch"
    assert row["date_published"] == "2019-03-01"
    assert "embedding" not in row and "raw" not in row


def test_list_filters_and_detail(key_client):
    de = KnownFactCheckFactory()
    KnownFactCheckFactory(language="en", publisher_name="Full Fact")
    client = key_client("claims:read")
    rows = client.get("/api/v1/known-factchecks/", {"language": "de"}).json()["results"]
    assert [r["id"] for r in rows] == [de.pk]
    rows = client.get("/api/v1/known-factchecks/", {"publisher": "full fact"}).json()["results"]
    assert [r["publisher"] for r in rows] == ["Full Fact"]
    assert client.get(f"/api/v1/known-factchecks/{de.pk}/").json()["url"] == de.url
    assert client.get("/api/v1/known-factchecks/999999/").status_code == 404


def test_claim_matches_best_first_without_rejected(key_client):
    claim = ClaimFactory(article=ArticleFactory())
    best = KnownFactCheckMatchFactory(claim=claim, score=0.95)
    KnownFactCheckMatchFactory(claim=claim, score=0.5, level="suggested")
    KnownFactCheckMatchFactory(
        claim=claim, score=0.99, decision=KnownFactCheckMatch.Decision.REJECTED
    )
    client = key_client("claims:read")
    rows = client.get(f"/api/v1/claims/{claim.pk}/known-factchecks/").json()
    assert [r["score"] for r in rows] == [0.95, 0.5]
    assert rows[0]["id"] == best.pk and rows[0]["level"] == "confirmed"
    assert rows[0]["factcheck"]["publisher"] == "Correctiv"
    assert client.get("/api/v1/claims/999999/known-factchecks/").status_code == 404
    assert (
        key_client("articles:submit")
        .get(f"/api/v1/claims/{claim.pk}/known-factchecks/")
        .status_code
        == 403
    )


def test_schema_documents_the_endpoints(client):
    paths = client.get("/api/schema/?format=json").json()["paths"]
    for path in (
        "/api/v1/known-factchecks/",
        "/api/v1/known-factchecks/{id}/",
        "/api/v1/claims/{id}/known-factchecks/",
    ):
        assert path in paths, path
        assert {"200", "401", "403"} <= set(paths[path]["get"]["responses"])
