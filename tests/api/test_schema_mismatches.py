"""Answers match the published schema (issue #17, the schemathesis findings): empty date filters
and non-string texts are refused, evidence URLs are URIs, the groups endpoint documents 429."""

from __future__ import annotations

import pytest

from claims.models import EvidenceSource
from claims.services.evidence import evidence_add
from tests.factories import ClaimFactory, EvidenceSourceFactory, PublishedVerdictFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "param"),
    [("/api/v1/verdicts/", "updated_since"), ("/api/v1/claims/", "created_since")],
)
def test_an_empty_date_filter_is_a_400(key_client, path, param):
    response = key_client("claims:read").get(path, {param: ""})
    assert response.status_code == 400
    assert param in response.content.decode()


@pytest.mark.parametrize("value", ["null", "maybe", ""])
def test_checkworthy_takes_true_or_false_only(key_client, value):
    client = key_client("claims:read")
    assert client.get("/api/v1/claims/", {"checkworthy": value}).status_code == 400
    assert client.get("/api/v1/claims/", {"checkworthy": "true"}).status_code == 200


@pytest.mark.parametrize("body", [{"text": "Ein Satz. " * 5, "title": 123}, {"text": 12345}])
def test_a_number_where_the_schema_says_string_is_a_400(key_client, body):
    response = key_client("articles:submit").post("/api/v1/articles/", body, format="json")
    assert response.status_code == 400


def test_evidence_urls_are_uris(api_client, reviewer):
    stored = evidence_add(
        actor=reviewer, claim_id=ClaimFactory().pk, url="https://bücher.example/straße",
        stance="context", fetch=False,
    )  # fmt: skip
    assert stored.url == "https://xn--bcher-kva.example/stra%C3%9Fe"

    verdict = PublishedVerdictFactory()
    EvidenceSourceFactory(verdict=verdict, url="https://bücher.example/a b")  # stored before
    body = api_client.get(f"/api/v1/verdicts/{verdict.pk}/").json()
    assert [e["url"] for e in body["evidence"]] == ["https://xn--bcher-kva.example/a%20b"]
    assert EvidenceSource.objects.filter(verdict=verdict).count() == 1


def test_the_groups_endpoint_documents_429(client):
    schema = client.get("/api/schema/?format=json").json()
    [path] = [p for p in schema["paths"] if p.startswith("/api/v1/groups/")]
    assert "429" in schema["paths"][path]["get"]["responses"]
