"""The claims API: `standalone_needs_context` and `standalone_unresolved` on every claim shape,
a filter on the flag, every other field and who may call what unchanged."""

from __future__ import annotations

import pytest

from tests.factories import ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db

READ = "claims:read"
FIELDS_BEFORE = {
    "id", "api_url", "text", "standalone", "claimant", "claimant_role", "claimant_span",
    "claim_type", "reported", "language", "score", "checkworthy", "status", "entities",
    "numbers", "start", "end", "context_before", "context_after", "article", "outlet", "group",
    "speaker", "created_at", "updated_at",
}  # fmt: skip


@pytest.fixture
def claims():
    article = ArticleFactory(language="en")
    needs = ClaimFactory(
        article=article,
        language="en",
        text="Last year, it emitted more than 44 million metric tons.",
        standalone_needs_context=True,
        standalone_unresolved=["it", "Last year"],
    )
    alone = ClaimFactory(
        article=article,
        language="en",
        text="Amazon emitted more than 44 million metric tons in 2018.",
        standalone_needs_context=False,
    )
    unknown = ClaimFactory(article=article, language="en", text="Not assessed yet.")
    return needs, alone, unknown


def test_list_and_detail_carry_the_flag_and_keep_every_field(key_client, claims):
    needs, alone, unknown = claims
    client = key_client(READ)
    rows = {r["id"]: r for r in client.get("/api/v1/claims/").json()["results"]}
    for row in rows.values():
        assert set(row) >= FIELDS_BEFORE
        assert set(row) - FIELDS_BEFORE == {"standalone_needs_context", "standalone_unresolved"}
    assert rows[needs.pk]["standalone_needs_context"] is True
    assert rows[needs.pk]["standalone_unresolved"] == ["it", "Last year"]
    assert rows[alone.pk]["standalone_needs_context"] is False
    assert rows[alone.pk]["standalone_unresolved"] == []
    assert rows[unknown.pk]["standalone_needs_context"] is None  # not assessed yet
    detail = client.get(f"/api/v1/claims/{needs.pk}/").json()
    assert detail["standalone_unresolved"] == ["it", "Last year"]


def test_article_claims_carry_the_flag(key_client, claims):
    needs = claims[0]
    article = key_client(READ).get(f"/api/v1/articles/{needs.article_id}/").json()
    row = next(c for c in article["claims"] if c["id"] == needs.pk)
    assert row["standalone_needs_context"] is True
    assert row["standalone_unresolved"] == ["it", "Last year"]


def test_filter_on_the_flag(key_client, claims):
    needs, alone, _unknown = claims
    client = key_client(READ)

    def ids(query: str) -> set[int]:
        response = client.get(f"/api/v1/claims/?{query}")
        assert response.status_code == 200
        return {r["id"] for r in response.json()["results"]}

    assert ids("standalone_needs_context=true") == {needs.pk}
    assert ids("standalone_needs_context=false") == {alone.pk}
    assert client.get("/api/v1/claims/?standalone_needs_context=maybe").status_code == 400


def test_the_schema_documents_the_fields_and_the_filter(client):
    schema = client.get("/api/schema/?format=json").json()
    claim = schema["components"]["schemas"]["Claim"]["properties"]
    assert claim["standalone_needs_context"]["type"] == "boolean"
    assert claim["standalone_needs_context"].get("nullable") is True
    assert claim["standalone_unresolved"]["items"]["type"] == "string"
    params = {p["name"] for p in schema["paths"]["/api/v1/claims/"]["get"]["parameters"]}
    assert "standalone_needs_context" in params


def test_permissions_are_unchanged(api_client, key_client, claims):
    url = "/api/v1/claims/?standalone_needs_context=true"
    assert api_client.get(url).status_code == 401
    assert key_client().get(url).status_code == 403
    assert key_client("articles:submit").get(url).status_code == 403
    assert key_client(READ).get(url).status_code == 200
