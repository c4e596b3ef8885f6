import pytest

pytestmark = pytest.mark.django_db


def test_schema_documents_every_endpoint_with_errors(client):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    paths = schema["paths"]
    for path in (
        "/api/v1/verdicts/", "/api/v1/verdicts/{id}/", "/api/v1/verdicts/{id}/claimreview",
        "/api/v1/claims/", "/api/v1/claims/{id}/", "/api/v1/articles/", "/api/v1/articles/{id}/",
        "/api/v1/webhooks/", "/api/v1/webhooks/{id}/", "/api/v1/webhooks/{id}/deliveries/",
    ):  # fmt: skip
        assert path in paths, path
    listing = paths["/api/v1/verdicts/"]["get"]
    names = {p["name"] for p in listing["parameters"]}
    assert {"cursor", "page_size", "ordering", "language", "rating", "rating_min", "rating_max",
            "claimant", "outlet", "published_since", "published_until", "updated_since",
            "q"} <= names  # fmt: skip
    assert {"200", "304", "400", "429"} <= set(listing["responses"])
    assert "ApiKey" in schema["components"]["securitySchemes"]


def test_docs_ui_is_served_from_our_own_static_files(client):
    html = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower() and "unpkg" not in html and "jsdelivr" not in html
    assert "/static/drf_spectacular_sidecar/" in html
