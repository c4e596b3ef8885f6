"""The shared cache of anonymous public answers (claims.api.caching).

Anonymous answers of the verdict list, detail and ClaimReview are served from Django's cache
until the "published verdicts version" changes; the services change it when they publish or
correct, so changes are visible at once. Requests with credentials never touch that cache.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from claims.services.matching import article_claims_match, claims_embed, matching_index_reset
from claims.services.public_cache import VERSION_KEY
from claims.services.verdicts import verdict_correct
from tests.factories import ArticleFactory, ClaimFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/verdicts/"


def _queries(client, url, **headers):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **headers)
    return response, len(ctx.captured_queries)


def _urls(verdict) -> list[str]:
    base = f"/api/v1/verdicts/{verdict.pk}/"
    return [LIST, base, base + "claimreview"]


def test_repeated_anonymous_requests_are_answered_from_the_cache(api_client, publish):
    verdict = publish("Die Erde ist eine Scheibe.", "Falsch: sie ist rund.")
    for url in _urls(verdict):
        first, first_queries = _queries(api_client, url)
        again, again_queries = _queries(api_client, url)
        assert first.status_code == again.status_code == 200
        assert first_queries > 0
        assert again_queries == 0, url  # no database at all: the answer came from the cache
        assert again.content == first.content
        assert again["ETag"] == first["ETag"]
        assert again["Content-Type"] == first["Content-Type"]
        assert again["Cache-Control"] == "public, max-age=60"
        assert "Cookie" in again["Vary"] and "Authorization" in again["Vary"]
        # Conditional requests work on cached answers too.
        assert api_client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_a_publication_is_visible_at_once(api_client, publish):
    first = publish("Die Erde ist eine Scheibe.", "Falsch: sie ist rund.")
    assert [r["id"] for r in api_client.get(LIST).json()["results"]] == [first.pk]
    assert _queries(api_client, LIST)[1] == 0  # cached

    second = publish("Der Mond ist aus Käse.", "Falsch: aus Gestein.")
    ids = [r["id"] for r in api_client.get(LIST).json()["results"]]
    assert ids == [second.pk, first.pk]


def test_a_correction_is_visible_at_once_in_list_detail_and_claimreview(
    api_client, publish, editor, rating_scale, django_capture_on_commit_callbacks
):
    verdict = publish("Die Erde ist eine Scheibe.", "Falsch: sie ist rund.")
    before = {url: api_client.get(url) for url in _urls(verdict)}
    assert all(_queries(api_client, url)[1] == 0 for url in before)  # all three cached

    mostly_true = rating_scale.labels.exclude(pk=verdict.rating_label_id).first()
    with django_capture_on_commit_callbacks(execute=True):
        verdict_correct(
            actor=editor,
            verdict_id=verdict.pk,
            version=verdict.version,
            note="Bewertung korrigiert.",
            rating_label_id=mostly_true.pk,
            summary="Korrigiert: ein Geoid.",
            explanation="Siehe Quellen.",
        )
    listing, detail, claimreview = (api_client.get(url) for url in _urls(verdict))
    assert listing.json()["results"][0]["summary"] == "Korrigiert: ein Geoid."
    assert listing.json()["results"][0]["rating"]["label"] == mostly_true.name
    assert detail.json()["summary"] == "Korrigiert: ein Geoid."
    assert [c["note"] for c in detail.json()["corrections"]] == ["Bewertung korrigiert."]
    assert claimreview.json()["reviewRating"]["alternateName"] == mostly_true.name
    for url, response in zip(_urls(verdict), (listing, detail, claimreview), strict=True):
        assert response["ETag"] != before[url]["ETag"], url


def test_api_key_requests_never_read_or_fill_the_anonymous_cache(api_client, key_client, publish):
    verdict = publish("Die Erde ist eine Scheibe.", "Falsch: sie ist rund.")
    partner = key_client("claims:read")
    for url in _urls(verdict):
        cache.clear()
        keyed, keyed_queries = _queries(partner, url)
        assert keyed.status_code == 200
        assert keyed["Cache-Control"] == "private, no-cache"
        assert keyed_queries > 0
        # The keyed answer was not stored for anonymous clients ...
        anonymous, anonymous_queries = _queries(api_client, url)
        assert anonymous_queries > 0
        assert anonymous["Cache-Control"].startswith("public")
        # ... and a cached anonymous answer is not served to the key (nor to a bad key).
        assert _queries(api_client, url)[1] == 0
        keyed, keyed_queries = _queries(partner, url)
        assert keyed["Cache-Control"] == "private, no-cache" and keyed_queries > 0
        bad = api_client.get(url, HTTP_AUTHORIZATION="Api-Key not-a-key")
        assert bad.status_code == 401


def test_session_users_never_read_or_fill_the_anonymous_cache(client, publish):
    verdict = publish("Die Erde ist eine Scheibe.", "Falsch: sie ist rund.")
    anonymous = client.get(LIST)  # fills the cache
    assert anonymous["Cache-Control"].startswith("public")
    client.force_login(UserFactory(username="lena", roles=["reviewer"]))
    for url in _urls(verdict):
        response, queries = _queries(client, url)
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-cache"
        assert queries > 0


def test_cached_answers_still_count_against_the_anonymous_quota(api_client, publish, settings):
    publish("Die Erde ist eine Scheibe.", "Falsch: sie ist rund.")
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/min", "api_key": "100/min", "user": "100/min"},
    }
    responses = [api_client.get(LIST) for _ in range(4)]  # one miss, then cached answers
    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    error = responses[-1].json()["error"]
    assert error["code"] == "throttled"
    assert error["details"]["retry_after"] > 0
    # Another address has its own quota and gets the cached answer.
    other = api_client.get(LIST, REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200


def test_a_lost_version_key_invalidates_everything(api_client, publish):
    publish("Die Erde ist eine Scheibe.", "Falsch: sie ist rund.")
    api_client.get(LIST)
    assert _queries(api_client, LIST)[1] == 0
    cache.delete(VERSION_KEY)  # eviction or a Redis restart: a new random version
    assert _queries(api_client, LIST)[1] > 0


def test_errors_are_never_cached(api_client):
    first, first_queries = _queries(api_client, "/api/v1/verdicts/999999/")
    again, again_queries = _queries(api_client, "/api/v1/verdicts/999999/")
    assert first.status_code == again.status_code == 404
    assert again_queries == first_queries > 0


def test_the_quota_holds_when_every_request_misses_the_cache(api_client, publish, settings):
    publish("Die Erde ist eine Scheibe.", "Falsch: sie ist rund.")
    settings.CLAIMTRACKER_PUBLIC_CACHE_TIMEOUT = 0  # nothing is stored: always built anew
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/min", "api_key": "100/min", "user": "100/min"},
    }
    responses = [_queries(api_client, LIST) for _ in range(4)]
    assert [r.status_code for r, _ in responses] == [200, 200, 200, 429]
    assert all(queries > 0 for _, queries in responses[:3])
    assert responses[-1][0].json()["error"]["code"] == "throttled"


def test_an_unreachable_cache_degrades_to_the_database(api_client, publish):
    verdict = publish("Die Erde ist eine Scheibe.", "Falsch: sie ist rund.")
    # Nothing listens on port 1: every cache call fails at once with a connection error.
    dead = {"BACKEND": "claimtracker.cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    with override_settings(CACHES={"default": dead}):
        for url in _urls(verdict):
            response, queries = _queries(api_client, url)
            assert response.status_code == 200, url  # no quota and no cache, but an answer
            assert queries > 0


def test_a_repeat_matched_to_a_published_verdict_is_a_new_appearance_at_once(
    api_client, publish, settings, django_capture_on_commit_callbacks
):
    """Matching changes what a published verdict lists as its appearances: not 60 s later."""
    settings.CLAIMTRACKER_MATCHING_ENABLED = True
    settings.CLAIMTRACKER_MATCHING = {}  # the core's own thresholds
    matching_index_reset()
    text = "Nordkorea hat seit mehr als einem Jahr keine Atomwaffen und Raketen mehr getestet."
    verdict = publish(text, "Falsch: es gab Tests.")
    claims_embed(claims=[verdict.claim])
    detail = f"/api/v1/verdicts/{verdict.pk}/"
    assert len(api_client.get(detail).json()["appearances"]) == 1
    assert _queries(api_client, detail)[1] == 0  # cached

    repeat = ClaimFactory(text=text, article=ArticleFactory(url="https://other.example/repeat"))
    claims_embed(claims=[repeat])
    with django_capture_on_commit_callbacks(execute=True):
        article_claims_match(article_id=repeat.article_id)
    repeat.refresh_from_db()
    assert repeat.group_id is not None
    appearances = api_client.get(detail).json()["appearances"]
    assert len(appearances) == 2
    matching_index_reset()
