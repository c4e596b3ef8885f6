"""Who may call what: anonymous, keys with each scope, revoked keys, bad keys, session users."""

from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from claims.models import ApiKey
from claims.services.api_keys import api_key_revoke
from tests.factories import ArticleFactory, ClaimFactory, UserFactory

pytestmark = pytest.mark.django_db

READ, SUBMIT = "claims:read", "articles:submit"


@pytest.fixture
def ids(full_verdict):
    article = ArticleFactory()
    claim = ClaimFactory(article=article)
    return {"verdict": full_verdict.pk, "claim": claim.pk, "article": article.pk}


def endpoints(ids):
    return {
        "verdict-list": ("get", "/api/v1/verdicts/"),
        "verdict-detail": ("get", f"/api/v1/verdicts/{ids['verdict']}/"),
        "verdict-claimreview": ("get", f"/api/v1/verdicts/{ids['verdict']}/claimreview"),
        "claim-list": ("get", "/api/v1/claims/"),
        "claim-detail": ("get", f"/api/v1/claims/{ids['claim']}/"),
        "article-detail": ("get", f"/api/v1/articles/{ids['article']}/"),
        "article-submit": ("post", "/api/v1/articles/"),
        "webhook-list": ("get", "/api/v1/webhooks/"),
    }


# Expected status per (caller, endpoint). Article submission with a text is accepted (202).
MATRIX = {
    "anonymous": {
        "verdict-list": 200, "verdict-detail": 200, "verdict-claimreview": 200,
        "claim-list": 401, "claim-detail": 401, "article-detail": 401,
        "article-submit": 401, "webhook-list": 401,
    },
    "no-scope": {
        "verdict-list": 200, "verdict-detail": 200, "verdict-claimreview": 200,
        "claim-list": 403, "claim-detail": 403, "article-detail": 403,
        "article-submit": 403, "webhook-list": 200,
    },
    READ: {
        "verdict-list": 200, "verdict-detail": 200, "verdict-claimreview": 200,
        "claim-list": 200, "claim-detail": 200, "article-detail": 200,
        "article-submit": 403, "webhook-list": 200,
    },
    SUBMIT: {
        "verdict-list": 200, "verdict-detail": 200, "verdict-claimreview": 200,
        # a submit key reads only the articles it submitted (issue #17)
        "claim-list": 403, "claim-detail": 403, "article-detail": 404,
        "article-submit": 202, "webhook-list": 200,
    },
}  # fmt: skip


def _call(client, method, url):
    if method == "post":
        return client.post(url, {"text": "Die Arbeitslosigkeit stieg 2023 um 5 Prozent."},
                           format="json")  # fmt: skip
    return client.get(url)


@pytest.mark.parametrize("caller", list(MATRIX))
def test_permission_matrix(caller, ids, api_client, key_client):
    if caller == "anonymous":
        client = api_client
    else:
        client = key_client(*([] if caller == "no-scope" else [caller]))
    for name, (method, url) in endpoints(ids).items():
        response = _call(client, method, url)
        assert response.status_code == MATRIX[caller][name], (caller, name, response.content)
        if response.status_code >= 400:
            codes = {"not_authenticated", "permission_denied", "not_found"}
            assert response.json()["error"]["code"] in codes


def test_bearer_scheme_works_and_last_use_is_recorded(key_client, ids):
    client = key_client(READ, scheme="Bearer")
    assert client.api_key.last_used_at is None
    assert client.get("/api/v1/claims/").status_code == 200
    client.api_key.refresh_from_db()
    assert client.api_key.last_used_at is not None


def test_invalid_and_revoked_keys_are_refused(api_client, key_client, ids):
    api_client.credentials(HTTP_AUTHORIZATION="Api-Key ctk_deadbeef_notakey")
    response = api_client.get("/api/v1/verdicts/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"
    assert response["WWW-Authenticate"].startswith("Api-Key")

    client = key_client(READ)
    assert client.get("/api/v1/claims/").status_code == 200
    api_key_revoke(api_key=client.api_key)
    assert client.get("/api/v1/claims/").status_code == 401


def test_keys_are_stored_hashed(make_key):
    created = make_key(READ)
    stored = ApiKey.objects.get(pk=created.api_key.pk)
    assert created.raw_key not in (stored.key_hash, stored.prefix)
    assert created.raw_key.startswith(stored.prefix)
    assert len(stored.key_hash) == 64


def test_claims_read_sees_unpublished_claims(key_client, ids):
    client = key_client(READ)
    data = client.get("/api/v1/claims/?status=new").json()
    assert ids["claim"] in [row["id"] for row in data["results"]]
    assert client.get("/api/v1/claims/?min_score=2").status_code == 400


def test_session_reviewer_may_read_claims_but_anonymous_session_may_not(client, ids):
    reviewer = UserFactory(username="rev", roles=["reviewer"])
    assert client.get("/api/v1/claims/").status_code in (401, 403)
    client.force_login(reviewer)
    assert client.get("/api/v1/claims/").status_code == 200
    # Webhooks belong to keys, not to people.
    assert client.get("/api/v1/webhooks/").status_code == 403


def test_article_submit_202_status_url_and_validation(
    key_client, django_capture_on_commit_callbacks
):
    client = key_client(SUBMIT)
    bad = client.post("/api/v1/articles/", {}, format="json")
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "invalid"
    bad_url = client.post("/api/v1/articles/", {"url": "ftp://x.example/a"}, format="json")
    assert bad_url.status_code == 400

    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            "/api/v1/articles/",
            {"text": "Die Inflation lag 2023 bei 5,9 Prozent, sagte Lindner.", "title": "T"},
            format="json",
        )
    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "queued"
    assert response["Location"] == body["status_url"]
    status = client.get(urlsplit(body["status_url"]).path)
    assert status.status_code == 200
    assert status.json()["id"] == body["id"]


def test_article_status_shows_error_and_claims(key_client):
    failed = ArticleFactory(status="failed", error="The server answered HTTP 404.",
                            error_reason="http_status")  # fmt: skip
    done = ArticleFactory()
    ClaimFactory(article=done, index=1, text="Zweiter Satz.")
    ClaimFactory(article=done, index=0, text="Erster Satz.")
    client = key_client(SUBMIT)
    for article in (failed, done):
        article.submitted_by_keys.add(client.api_key)
    f = client.get(f"/api/v1/articles/{failed.pk}/").json()
    assert (f["status"], f["error_reason"]) == ("failed", "http_status")
    d = client.get(f"/api/v1/articles/{done.pk}/").json()
    assert [c["text"] for c in d["claims"]] == ["Erster Satz.", "Zweiter Satz."]
    assert client.get("/api/v1/articles/999999/").status_code == 404


def test_revoking_a_key_deactivates_its_webhooks(make_key):
    from claims.models import WebhookSubscription

    created = make_key()
    sub = WebhookSubscription.objects.create(
        api_key=created.api_key,
        url="https://hooks.example/x",
        secret="s",
        events=["verdict.published"],
    )
    api_key_revoke(api_key=created.api_key)
    sub.refresh_from_db()
    assert sub.active is False
    assert ApiKey.objects.get(pk=created.api_key.pk).revoked_at <= timezone.now()
