from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone as djtz

from claims.models import Verdict
from claims.services.verdicts import verdict_correct
from tests.factories import ClaimFactory, OutletFactory, PublishedVerdictFactory, VerdictFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/verdicts/"


def test_list_shows_published_verdicts_only(api_client, full_verdict):
    VerdictFactory(status=Verdict.Status.IN_REVIEW)
    VerdictFactory(status=Verdict.Status.DRAFT)
    response = api_client.get(LIST)
    assert response.status_code == 200
    body = response.json()
    assert [row["id"] for row in body["results"]] == [full_verdict.pk]
    row = body["results"][0]
    assert row["claim"]["claimant"] == "Donald Trump"
    assert row["rating"]["label"] == "Falsch"
    assert row["rating"]["normalised"] == 0.0
    assert row["public_url"].endswith("/verdicts/nordkorea-atomtests/")
    assert row["outlet"] == "Der Spiegel"


def test_detail_has_every_field_the_issue_lists(api_client, full_verdict):
    response = api_client.get(f"/api/v1/verdicts/{full_verdict.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert data["claim"] == {
        "text": full_verdict.claim.text,
        "standalone": full_verdict.claim.standalone,
        "claimant": "Donald Trump",
        "claimant_role": "US-Präsident",
        "type": "quantity",
        "language": "de",
        "speaker": None,  # not linked to a speaker (tests/api/test_speaker_field.py)
    }
    assert data["claim"]["standalone"] != data["claim"]["text"]
    assert data["rating"]["value"] == 1
    assert data["rating"]["scale"] == {"name": "Correctiv", "best_rating": 5, "worst_rating": 1}
    assert [a["outlet"] for a in data["appearances"]] == ["Zeit Online", "Der Spiegel"]
    assert data["first_appearance"]["url"] == "https://www.zeit.de/politik/nordkorea"
    assert data["evidence"][0]["publisher"] == "Reuters"
    assert data["evidence"][0]["stance"] == "refutes"
    assert data["corrections"][0]["note"] == "Datum der Tests korrigiert."
    assert data["author"]["name"]
    assert "<script>" not in data["explanation_html"]
    assert "<strong>falsch</strong>" in data["explanation_html"]
    assert data["claimreview_url"].endswith(f"/api/v1/verdicts/{full_verdict.pk}/claimreview")
    assert data["date_modified"] >= data["published_at"]


def test_unpublished_verdict_detail_is_404_json(api_client):
    draft = VerdictFactory(status=Verdict.Status.IN_REVIEW)
    response = api_client.get(f"/api/v1/verdicts/{draft.pk}/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_claimreview_endpoint_is_json_ld(api_client, full_verdict):
    response = api_client.get(
        f"/api/v1/verdicts/{full_verdict.pk}/claimreview", HTTP_ACCEPT="text/html"
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    data = response.json()
    assert data["@type"] == "ClaimReview"
    # The standalone statement, readable without the article; the sentence stays the evidence.
    assert data["claimReviewed"] == full_verdict.claim.standalone
    assert data["reviewRating"]["alternateName"] == "Falsch"
    assert data["itemReviewed"]["firstAppearance"]["url"] == "https://www.zeit.de/politik/nordkorea"
    assert len(data["itemReviewed"]["appearance"]) == 2
    assert data["correction"][0]["text"] == "Datum der Tests korrigiert."


def _published(n, **kwargs):
    base = djtz.now() - timedelta(days=1)
    return [
        PublishedVerdictFactory(published_at=base + timedelta(minutes=i), **kwargs)
        for i in range(n)
    ]


def test_cursor_pagination_walks_every_row_once_with_fixed_queries(api_client, labels):
    verdicts = _published(7, rating_label=labels["true"])
    seen = []
    url = LIST + "?page_size=3"
    query_counts = []
    while url:
        with CaptureQueriesContext(connection) as ctx:
            response = api_client.get(url)
        assert response.status_code == 200
        query_counts.append(len(ctx.captured_queries))
        body = response.json()
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
    assert seen == [v.pk for v in reversed(verdicts)]
    assert len(set(query_counts)) == 1  # the same cost on every page
    assert query_counts[0] <= 2


def test_ordering_by_updated(api_client, labels):
    old, new = _published(2, rating_label=labels["true"])
    Verdict.objects.filter(pk=old.pk).update(updated_at=djtz.now() + timedelta(hours=1))
    ids = [r["id"] for r in api_client.get(LIST + "?ordering=-updated_at").json()["results"]]
    assert ids == [old.pk, new.pk]
    ids = [r["id"] for r in api_client.get(LIST + "?ordering=published_at").json()["results"]]
    assert ids == [old.pk, new.pk]


def test_filters(api_client, labels):
    zeit = OutletFactory(name="Zeit Online")
    en_claim = ClaimFactory(
        language="en", claimant="Mike Pompeo", text="Sanctions stay until denuclearisation.",
        article__outlet=zeit,
    )  # fmt: skip
    en = PublishedVerdictFactory(
        claim=en_claim, rating_label=labels["true"], summary="Correct.",
        published_at=datetime(2024, 1, 10, tzinfo=UTC),
    )  # fmt: skip
    de = PublishedVerdictFactory(
        rating_label=labels["false"], published_at=datetime(2024, 3, 1, tzinfo=UTC)
    )
    ctx = PublishedVerdictFactory(
        rating_label=labels["context"], published_at=datetime(2024, 2, 1, tzinfo=UTC)
    )

    def ids(query):
        response = api_client.get(LIST + query)
        assert response.status_code == 200, response.json()
        return {r["id"] for r in response.json()["results"]}

    assert ids("?language=en") == {en.pk}
    assert ids("?rating=falsch") == {de.pk}
    assert ids("?rating_min=0.5") == {en.pk}
    assert ids("?rating_max=0.5") == {de.pk}
    assert ids("?rating_min=0&rating_max=1") == {en.pk, de.pk}  # non-ordinal excluded
    assert ids("?claimant=pompeo") == {en.pk}
    assert ids("?outlet=zeit online") == {en.pk}
    assert ids("?published_since=2024-02-01") == {de.pk, ctx.pk}
    assert ids("?published_until=2024-02-01") == {en.pk}
    assert ids("?published_since=2024-01-15T00:00:00Z&published_until=2024-02-15") == {ctx.pk}
    assert ids("?q=sanctions") == {en.pk}
    Verdict.objects.filter(pk=ctx.pk).update(updated_at=djtz.now() + timedelta(days=3))
    assert ids(f"?updated_since={(djtz.now() + timedelta(days=2)).date()}") == {ctx.pk}


@pytest.mark.parametrize(
    "query, param",
    [
        ("?published_since=yesterday", "published_since"),
        ("?updated_since=2024-13-45", "updated_since"),
        ("?rating_min=abc", "rating_min"),
        ("?rating_max=7", "rating_max"),
        ("?page_size=0", "page_size"),
        ("?page_size=lots", "page_size"),
        ("?ordering=claimant", "ordering"),
        ("?cursor=not-a-cursor", "cursor"),
        ("?cursor=cD1ub3QtYS1kYXRl", "cursor"),  # p=not-a-date
    ],
)
def test_bad_parameters_are_400_with_the_stable_error_shape(api_client, full_verdict, query, param):
    response = api_client.get(LIST + query)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert param in error["message"]
    assert param in error["details"]


def test_conditional_get_etag_and_last_modified(
    api_client, full_verdict, editor, django_capture_on_commit_callbacks
):
    url = f"/api/v1/verdicts/{full_verdict.pk}/"
    first = api_client.get(url)
    assert first["Cache-Control"].startswith("public")
    etag = first["ETag"]
    assert api_client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert api_client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    listing = api_client.get(LIST)
    assert api_client.get(LIST, HTTP_IF_NONE_MATCH=listing["ETag"]).status_code == 304
    # A correction changes the record, so the old ETag no longer matches (at once, although
    # the answer above is in the shared cache: the correction service invalidates it).
    with django_capture_on_commit_callbacks(execute=True):
        verdict_correct(
            actor=editor,
            verdict_id=full_verdict.pk,
            version=full_verdict.version,
            note="Zweite Korrektur.",
            rating_label_id=full_verdict.rating_label_id,
            summary=full_verdict.summary,
            explanation=full_verdict.explanation,
        )
    assert api_client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200
    assert api_client.get(LIST, HTTP_IF_NONE_MATCH=listing["ETag"]).status_code == 200


def test_anonymous_clients_are_throttled(api_client, full_verdict, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/min", "api_key": "100/min", "user": "100/min"},
    }
    codes = [api_client.get(LIST).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    error = api_client.get(LIST).json()["error"]
    assert error["code"] == "throttled"
    assert error["details"]["retry_after"] > 0


def test_a_forged_forwarded_for_header_does_not_reset_the_quota(api_client, full_verdict, settings):
    # No proxy configured (DJANGO_NUM_PROXIES=0): the client's own address counts, whatever
    # X-Forwarded-For it sends, on cache misses and on cached answers alike.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/min", "api_key": "100/min", "user": "100/min"},
    }
    codes = [
        api_client.get(LIST, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code for n in range(4)
    ]
    assert codes == [200, 200, 200, 429]


def test_behind_one_proxy_each_forwarded_client_has_its_own_quota(
    api_client, full_verdict, settings
):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "NUM_PROXIES": 1,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/min", "api_key": "100/min", "user": "100/min"},
    }
    first = [
        api_client.get(LIST, HTTP_X_FORWARDED_FOR="198.51.100.1").status_code for _ in range(4)
    ]
    assert first == [200, 200, 200, 429]
    assert api_client.get(LIST, HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 200


def test_unknown_api_path_is_json_404(api_client):
    response = api_client.get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
