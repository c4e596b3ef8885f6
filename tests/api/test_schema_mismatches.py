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


@pytest.mark.parametrize("path", ["/api/v1/verdicts/", "/api/v1/claims/"])
def test_a_cursor_we_did_not_issue_is_a_400(key_client, path):
    # The one schema-valid value the contract test leaves out (tests/api/test_schemathesis.py).
    response = key_client("claims:read").get(path, {"cursor": "internal_error"})
    assert response.status_code == 400
    assert "cursor" in response.json()["error"]["details"]


@pytest.mark.parametrize(
    "body",
    [
        {"url": "https://news.example/a", "titel": "typo"},  # unknown fields are refused
        {"text": "Ein Satz. " * 5, "extra": None},
        {"url": "https://news.example/a", "text": "   "},  # a text says something
    ],
)
def test_a_body_the_schema_forbids_is_a_400(key_client, body):
    response = key_client("articles:submit").post("/api/v1/articles/", body, format="json")
    assert response.status_code == 400, response.content


def test_the_api_takes_json_bodies_only(key_client):
    client = key_client("articles:submit")
    # A form cannot keep the contract ("" is "absent", 123 is "123"): 415, as documented.
    assert client.post("/api/v1/articles/", {"url": "https://news.example/f"}).status_code == 415
    schema = client.get("/api/schema/?format=json").json()
    body = schema["paths"]["/api/v1/articles/"]["post"]["requestBody"]["content"]
    assert list(body) == ["application/json"]
    assert schema["paths"]["/api/v1/articles/"]["post"]["requestBody"]["required"] is True
    assert client.post("/api/v1/articles/").status_code == 400
    submit = schema["components"]["schemas"]["ArticleSubmit"]
    assert submit["additionalProperties"] is False
    assert submit["anyOf"] == [{"required": ["url"]}, {"required": ["text"]}]


@pytest.mark.parametrize(
    "url",
    [
        "HTTP://0.AA",
        "https://a-b.c.d.example:65535/x?y=1#z",
        "http://" + "a" * 63 + ".example/",
    ],
)
def test_every_url_the_schema_allows_is_accepted(key_client, url):
    import re

    from claims.api.schema import HTTP_URL_PATTERN

    assert re.match(HTTP_URL_PATTERN, url)
    response = key_client("articles:submit").post("/api/v1/articles/", {"url": url}, format="json")
    assert response.status_code == 202, response.content


@pytest.mark.parametrize(("param", "path"), [("min_score", "/api/v1/claims/"),
                                              ("rating_min", "/api/v1/verdicts/")])  # fmt: skip
def test_score_filters_document_their_range(client, param, path):
    schema = client.get("/api/schema/?format=json").json()
    [p] = [p for p in schema["paths"][path]["get"]["parameters"] if p["name"] == param]
    assert (p["schema"]["minimum"], p["schema"]["maximum"]) == (0, 1)


def test_a_url_that_grows_past_the_column_is_a_reason_not_a_crash():
    from claims.exceptions import InvalidInputError
    from claims.services.ingestion import article_submit

    url = "https://news.example/?q=" + "+" * 1000  # 1,024 characters; "+" becomes "%20"
    with pytest.raises(InvalidInputError, match="too long"):
        article_submit(source="api", url=url)


@pytest.mark.parametrize(("value", "count"), [("0617-06-23T23:18:36.2205Z", 0), ("9999-12-31", 1)])
def test_far_dates_are_valid_bounds(key_client, value, count):
    PublishedVerdictFactory()
    client = key_client("claims:read")
    response = client.get("/api/v1/verdicts/", {"published_until": value})
    assert response.status_code == 200, response.content
    assert len(response.json()["results"]) == count


def _query_parameters(schema: dict) -> list[tuple[str, dict]]:
    return [
        (path, parameter)
        for path, operations in schema["paths"].items()
        for operation in operations.values()
        if isinstance(operation, dict)
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "query"
    ]


def test_every_free_string_parameter_forbids_nul(client):
    from claims.api.schema import NO_NUL_PATTERN

    schema = client.get("/api/schema/?format=json").json()
    free = [
        (path, p["name"])
        for path, p in _query_parameters(schema)
        if p["schema"].get("type") == "string" and not {"enum", "format"} & p["schema"].keys()
    ]
    assert ("/api/v1/verdicts/", "rating") in free and ("/api/v1/speakers/", "q") in free
    for path, parameter in _query_parameters(schema):
        if (path, parameter["name"]) in free:
            assert parameter["schema"]["pattern"] == NO_NUL_PATTERN, (path, parameter["name"])


@pytest.mark.parametrize(
    ("path", "param"),
    [
        ("/api/v1/verdicts/", "rating"),
        ("/api/v1/verdicts/", "claimant"),
        ("/api/v1/verdicts/", "q"),
        ("/api/v1/claims/", "outlet"),
        ("/api/v1/claims/", "q"),
        ("/api/v1/speakers/", "q"),
        ("/api/v1/verdicts/", "cursor"),
    ],
)
def test_a_nul_in_a_string_parameter_is_a_400(key_client, path, param):
    response = key_client("claims:read").get(path, {param: "Fa\x00lse"})
    assert response.status_code == 400, response.content
    assert param in response.json()["error"]["details"]


def test_the_largest_body_the_schema_allows_fits_the_upload_limit(key_client, settings):
    # Worst case for bytes per character: JSON escapes (astral characters as surrogate pairs,
    # 12 bytes each) and a URL of characters that JSON escapes (`"`, `\`).
    import json

    from claims.api.schema import MAX_TEXT_LENGTH, MAX_TITLE_LENGTH, MAX_URL_LENGTH

    prefix = "https://news.example/"
    body = {
        "url": prefix + '"\\' * ((MAX_URL_LENGTH - len(prefix)) // 2),
        "text": "\U0001f600" * MAX_TEXT_LENGTH,
        "title": "\U0001f600" * MAX_TITLE_LENGTH,
    }
    raw = json.dumps(body)  # ensure_ascii: every non-ASCII character escaped
    assert len(raw) <= settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = key_client("articles:submit").post(
        "/api/v1/articles/", raw, content_type="application/json"
    )
    assert response.status_code == 202, response.content[:300]


def test_a_text_past_its_limit_is_a_400_and_past_the_upload_limit_a_413(key_client, client):
    from claims.api.schema import MAX_TEXT_LENGTH

    api = key_client("articles:submit")
    schema = client.get("/api/schema/?format=json").json()
    assert schema["components"]["schemas"]["ArticleSubmit"]["properties"]["text"]["maxLength"] == (
        MAX_TEXT_LENGTH
    )
    response = api.post("/api/v1/articles/", {"text": "a" * (MAX_TEXT_LENGTH + 1)}, format="json")
    assert response.status_code == 400
    assert "text" in response.json()["error"]["details"]
    response = api.post("/api/v1/articles/", {"text": "a" * 3_000_000}, format="json")
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"


def test_every_request_body_documents_413_and_415(client):
    schema = client.get("/api/schema/?format=json").json()
    bodies = [
        (path, method, operation)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if isinstance(operation, dict) and "requestBody" in operation
    ]
    assert bodies
    for path, method, operation in bodies:
        assert {"413", "415"} <= operation["responses"].keys(), (method, path)


def test_date_filters_are_plain_date_times(client):
    # published_since/until were `nullable: true` (from the nullable column): a query string
    # has no null, and the server refuses an empty value (test_an_empty_date_filter_is_a_400).
    schema = client.get("/api/schema/?format=json").json()
    dates = [
        (path, p["name"], p["schema"])
        for path, p in _query_parameters(schema)
        if p["name"].endswith(("_since", "_until"))
    ]
    assert len(dates) == 4
    for path, name, parameter_schema in dates:
        assert parameter_schema == {"type": "string", "format": "date-time"}, (path, name)


@pytest.mark.parametrize("param", ["claim_type", "status"])
def test_an_empty_choice_filter_is_a_400(key_client, param):
    # The schema's enum has no "": django-filter took `?claim_type=` for "no filter" (a 200).
    client = key_client("claims:read")
    response = client.get("/api/v1/claims/", {param: "", "checkworthy": "false"})
    assert response.status_code == 400, response.content
    assert param in response.json()["error"]["details"]
    assert client.get("/api/v1/claims/", {param: "unknown"}).status_code == 400
    valid = {"claim_type": "quantity", "status": "new"}[param]
    assert client.get("/api/v1/claims/", {param: valid}).status_code == 200


@pytest.mark.parametrize("offset", ["-17:40", "+23:59", "+10:56"])
def test_any_iso_offset_is_a_valid_date_filter(key_client, offset):
    # Found on PostgreSQL: its timestamptz input takes offsets up to +-15:59 only (a 500).
    from claims.api.filters import DateOrDateTimeField

    parsed = DateOrDateTimeField().clean(f"2944-07-14T19:05:34{offset}")
    assert parsed.utcoffset().total_seconds() == 0
    client = key_client("claims:read")
    for path, param in [("/api/v1/verdicts/", "updated_since"),
                        ("/api/v1/verdicts/", "published_since"),
                        ("/api/v1/claims/", "created_since")]:  # fmt: skip
        response = client.get(path, {param: f"2944-07-14T19:05:34{offset}"})
        assert response.status_code == 200, response.content


@pytest.mark.postgres
def test_any_iso_offset_is_a_valid_date_filter_on_postgresql(key_client):
    PublishedVerdictFactory()
    response = key_client("claims:read").get(
        "/api/v1/verdicts/", {"updated_since": "1999-01-01T00:00:00-17:40", "q": "a"}
    )
    assert response.status_code == 200, response.content


@pytest.mark.parametrize(
    ("position", "status"),
    [("2020-01-01 10:00:00-17:40", 200), ("2020-13-01 10:00:00+00:00", 400)],
)
def test_a_cursor_position_is_read_as_an_instant(key_client, position, status):
    # A cursor is ours, but a crafted one is a 400 or a page, never a 500 (PostgreSQL refused
    # the -17:40 offset; an impossible date raised ValueError).
    from base64 import b64encode
    from urllib.parse import urlencode

    PublishedVerdictFactory()
    cursor = b64encode(urlencode({"p": position}).encode()).decode()
    response = key_client("claims:read").get("/api/v1/verdicts/", {"cursor": cursor})
    assert response.status_code == status, response.content


@pytest.mark.parametrize(
    ("path", "param"),
    [("/api/v1/claims/", "min_score"), ("/api/v1/verdicts/", "rating_min"),
     ("/api/v1/verdicts/", "rating_max")],
)  # fmt: skip
def test_an_empty_number_filter_is_a_400(key_client, path, param):
    # "" is no number: django-filter took `?min_score=` for "no filter" (a 200).
    client = key_client("claims:read")
    response = client.get(path, {param: ""})
    assert response.status_code == 400, response.content
    assert param in response.json()["error"]["details"]
    assert client.get(path, {param: "0.5"}).status_code == 200
