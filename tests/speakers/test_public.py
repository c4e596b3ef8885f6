"""Speakers in public: the speaker page and the API show published verdicts only; the verdict
page links the speaker; ClaimReview's itemReviewed.author carries name, jobTitle and sameAs."""

from __future__ import annotations

from datetime import UTC, datetime

import extruct
import pytest
from django.core.cache import cache

from claims.models import Speaker
from claims.services.speaker_review import speaker_update
from tests.factories import ArticleFactory, ClaimFactory, PublishedVerdictFactory, VerdictFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    settings.CLAIMTRACKER_PUBLIC_CACHE_TIMEOUT = 60  # cached, as in production
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def scholz(rating_scale):
    speaker = Speaker.objects.create(
        name="Olaf Scholz", role="Bundeskanzler", organisation="SPD", wikidata_qid="Q61053"
    )
    false = rating_scale.labels.get(name="False")
    article = ArticleFactory(published_at=datetime(2024, 3, 5, tzinfo=UTC))
    published = PublishedVerdictFactory(
        claim=ClaimFactory(
            article=article, speaker=speaker, claimant="Scholz", standalone="Öffentlich geprüft."
        ),
        rating_label=false,
    )
    VerdictFactory(
        claim=ClaimFactory(speaker=speaker, standalone="Noch geheim."), rating_label=false
    )
    ClaimFactory(speaker=speaker, standalone="Ohne Urteil.")
    return speaker, published


def test_claimreview_author_is_the_speaker(client, scholz):
    speaker, verdict = scholz
    review = client.get(f"/api/v1/verdicts/{verdict.pk}/claimreview").json()
    assert review["itemReviewed"]["author"] == {
        "@type": "Person",
        "name": "Olaf Scholz",
        "jobTitle": "Bundeskanzler",
        "affiliation": {"@type": "Organization", "name": "SPD"},
        "sameAs": "https://www.wikidata.org/wiki/Q61053",
    }
    html = client.get(f"/verdicts/{verdict.slug}/").content.decode()
    embedded = extruct.extract(html, syntaxes=["json-ld"])["json-ld"][0]
    assert embedded["itemReviewed"]["author"]["sameAs"].endswith("/Q61053")
    assert f'href="/speaker/{speaker.pk}/"' in html


def test_organisations_are_organizations_and_claims_without_speaker_keep_the_claimant(
    client, rating_scale
):
    org = Speaker.objects.create(name="Bundesamt für Statistik", kind=Speaker.Kind.ORGANISATION)
    with_org = PublishedVerdictFactory(claim=ClaimFactory(speaker=org))
    bare = PublishedVerdictFactory(claim=ClaimFactory(claimant="Jane Doe"))
    anonymous = PublishedVerdictFactory(claim=ClaimFactory(claimant="unattributed"))

    def author(v):
        return (
            client.get(f"/api/v1/verdicts/{v.pk}/claimreview").json()["itemReviewed"].get("author")
        )

    assert author(with_org) == {"@type": "Organization", "name": "Bundesamt für Statistik"}
    assert author(bare) == {"@type": "Person", "name": "Jane Doe"}
    assert author(anonymous) is None


def test_public_speaker_page_shows_published_verdicts_only(client, scholz):
    speaker, _ = scholz
    html = client.get(f"/speaker/{speaker.pk}/").content.decode()
    assert "Öffentlich geprüft." in html
    assert "Noch geheim." not in html and "Ohne Urteil." not in html
    assert "2024-03" in html
    assert client.get(f"/speaker/{Speaker.objects.create(name='Nobody').pk}/").status_code == 404


def test_api_lists_speakers_with_published_verdicts_only(client, scholz):
    speaker, _ = scholz
    Speaker.objects.create(name="Unpublished Person")
    rows = client.get("/api/v1/speakers/").json()["results"]
    assert [r["name"] for r in rows] == ["Olaf Scholz"]
    assert rows[0]["verdict_count"] == 1
    assert rows[0]["wikidata_url"] == "https://www.wikidata.org/wiki/Q61053"
    assert client.get("/api/v1/speakers/?q=scholz").json()["results"]
    assert not client.get("/api/v1/speakers/?q=merz").json()["results"]

    detail = client.get(f"/api/v1/speakers/{speaker.pk}/").json()
    assert [v["claim"]["standalone"] for v in detail["verdicts"]] == ["Öffentlich geprüft."]
    assert detail["ratings_by_month"] == [
        {"month": "2024-03", "counts": [{"label": "False", "count": 1}], "total": 1}
    ]
    unpublished = Speaker.objects.get(name="Unpublished Person")
    assert client.get(f"/api/v1/speakers/{unpublished.pk}/").status_code == 404


def test_a_speaker_edit_reaches_cached_public_answers(
    client, scholz, reviewer, django_capture_on_commit_callbacks
):
    speaker, verdict = scholz
    assert client.get(f"/api/v1/speakers/{speaker.pk}/").json()["role"] == "Bundeskanzler"
    with django_capture_on_commit_callbacks(execute=True):
        speaker_update(
            actor=reviewer,
            speaker_id=speaker.pk,
            name="Olaf Scholz",
            kind="person",
            role="Bundeskanzler a. D.",
        )
    assert client.get(f"/api/v1/speakers/{speaker.pk}/").json()["role"] == "Bundeskanzler a. D."
    review = client.get(f"/api/v1/verdicts/{verdict.pk}/claimreview").json()
    assert review["itemReviewed"]["author"]["jobTitle"] == "Bundeskanzler a. D."


def test_the_schema_documents_the_speaker_endpoints(client):
    paths = client.get("/api/schema/?format=json").json()["paths"]
    listing = paths["/api/v1/speakers/"]["get"]
    assert {"q", "cursor", "page_size", "ordering"} <= {p["name"] for p in listing["parameters"]}
    assert {"200", "304", "400", "429"} <= set(listing["responses"])
    assert {"200", "404"} <= set(paths["/api/v1/speakers/{id}/"]["get"]["responses"])


def test_a_proposed_speaker_is_not_public_until_a_reviewer_confirms_it(
    client, rating_scale, reviewer, django_capture_on_commit_callbacks
):
    """The extraction's proposal is a guess: the public page, the public API and ClaimReview
    show the claimant as the article wrote it until a reviewer confirms the speaker."""
    from claims.services.speaker_review import speaker_confirm

    proposed = Speaker.objects.create(
        name="Lars Klingbeil", role="SPD-Chef", status=Speaker.Status.PROPOSED
    )
    verdict = PublishedVerdictFactory(
        claim=ClaimFactory(speaker=proposed, claimant="Lars Klingbeil", claimant_role="SPD-Chef"),
        rating_label=rating_scale.labels.get(name="False"),
    )

    def seen():
        review = client.get(f"/api/v1/verdicts/{verdict.pk}/claimreview").json()
        detail = client.get(f"/api/v1/verdicts/{verdict.pk}/").json()
        (row,) = client.get("/api/v1/verdicts/").json()["results"]
        listed = [s["id"] for s in client.get("/api/v1/speakers/").json()["results"]]
        return {
            "author": review["itemReviewed"]["author"],
            "detail": detail["claim"]["speaker"],
            "row": row["claim"]["speaker"],
            "listed": listed,
            "api_page": client.get(f"/api/v1/speakers/{proposed.pk}/").status_code,
            "page": client.get(f"/speaker/{proposed.pk}/").status_code,
            "html": client.get(f"/verdicts/{verdict.slug}/").content.decode(),
        }

    before = seen()
    assert before["author"] == {"@type": "Person", "name": "Lars Klingbeil"}  # the claimant
    assert before["detail"] is None and before["row"] is None
    assert before["listed"] == [] and before["api_page"] == 404 and before["page"] == 404
    assert 'data-testid="speaker-link"' not in before["html"]
    assert "Lars Klingbeil" in before["html"]  # the claimant, as before speakers existed

    with django_capture_on_commit_callbacks(execute=True):  # cached answers go stale at commit
        speaker_confirm(actor=reviewer, speaker_id=proposed.pk)
    after = seen()
    assert after["author"] == {"@type": "Person", "name": "Lars Klingbeil", "jobTitle": "SPD-Chef"}
    assert after["detail"] == {"id": proposed.pk, "name": "Lars Klingbeil", "role": "SPD-Chef"}
    assert after["row"] == after["detail"]
    assert after["listed"] == [proposed.pk] and after["api_page"] == 200
    assert after["page"] == 200 and f'href="/speaker/{proposed.pk}/"' in after["html"]
