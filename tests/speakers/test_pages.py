"""The desk's speaker pages and forms: list, record (claims, verdicts, ratings by month, claims
repeated most, history), corrections through CSRF-protected forms, role checks."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from django.test import Client

from claims.models import Claim, ClaimGroup, Speaker
from tests.factories import ArticleFactory, ClaimFactory, PublishedVerdictFactory, VerdictFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(rating_scale):
    speaker = Speaker.objects.create(
        name="Olaf Scholz", role="Bundeskanzler", wikidata_qid="Q61053"
    )
    false = rating_scale.labels.get(name="False")
    true = rating_scale.labels.get(name="True")
    march = ArticleFactory(published_at=datetime(2024, 3, 5, tzinfo=UTC))
    may = ArticleFactory(published_at=datetime(2024, 5, 9, tzinfo=UTC))
    group = ClaimGroup.objects.create()
    c1 = ClaimFactory(article=march, speaker=speaker, standalone="Die Renten steigen.", group=group)
    c2 = ClaimFactory(article=may, speaker=speaker, standalone="Die Inflation sinkt.")
    c3 = ClaimFactory(article=may, speaker=speaker, standalone="Noch ein Entwurf.")
    ClaimFactory(article=may, standalone="Die Renten steigen, sagt auch X.", group=group)
    group.representative = c1
    group.save()
    PublishedVerdictFactory(claim=c1, rating_label=false)
    PublishedVerdictFactory(claim=c2, rating_label=true)
    VerdictFactory(claim=c3, rating_label=false)  # a draft
    return speaker


def test_speaker_page_shows_claims_verdicts_ratings_and_repeats(client, reviewer, record):
    client.force_login(reviewer)
    html = client.get(f"/speakers/{record.pk}/").content.decode()

    for text in ("Die Renten steigen.", "Die Inflation sinkt.", "Noch ein Entwurf.", "Q61053"):
        assert text in html
    ratings = re.search(r'data-testid="ratings-by-month">(.*?)</table>', html, re.S).group(1)
    assert "2024-03" in ratings and "2024-05" in ratings
    assert "<meter" in ratings
    groups = re.search(r'data-testid="repeated-groups">(.*?)</ol>', html, re.S).group(1)
    assert "Die Renten steigen." in groups and "2 appearances" in groups


def test_speaker_list_searches_names_and_aliases(client, reviewer, record):
    record.aliases.create(alias="der Bundeskanzler")
    Speaker.objects.create(name="Friedrich Merz")
    client.force_login(reviewer)

    html = client.get("/speakers/?q=bundeskanzler").content.decode()

    assert "Olaf Scholz" in html and "Friedrich Merz" not in html


def test_merge_split_edit_and_correct_through_the_forms_with_csrf(reviewer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reviewer)
    target = Speaker.objects.create(name="Olaf Scholz")
    source = Speaker.objects.create(name="Scholz", status=Speaker.Status.PROPOSED)
    claim = ClaimFactory(speaker=source)
    page = client.get(f"/speakers/{source.pk}/")
    token = page.cookies["csrftoken"].value

    assert client.post(f"/speakers/{source.pk}/merge/", {"into": target.pk}).status_code == 403
    response = client.post(
        f"/speakers/{source.pk}/merge/", {"into": target.pk, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 303 and response["Location"] == f"/speakers/{target.pk}/"
    claim.refresh_from_db()
    assert claim.speaker == target

    response = client.post(
        f"/speakers/{target.pk}/split/",
        {"claims": [claim.pk], "name": "Olaf Scholz (Hamburg)", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 303
    claim.refresh_from_db()
    assert claim.speaker.name == "Olaf Scholz (Hamburg)"

    client.post(
        f"/speakers/{target.pk}/edit/",
        {
            "name": "Olaf Scholz",
            "kind": "person",
            "role": "Bundeskanzler",
            "organisation": "SPD",
            "wikidata_qid": "Q61053",
            "csrfmiddlewaretoken": token,
        },
    )
    target.refresh_from_db()
    assert (target.role, target.organisation, target.wikidata_qid) == (
        "Bundeskanzler",
        "SPD",
        "Q61053",
    )

    client.post(
        f"/claims/{claim.pk}/speaker/", {"speaker": target.pk, "csrfmiddlewaretoken": token}
    )
    claim.refresh_from_db()
    assert claim.speaker == target
    html = client.get(f"/claims/{claim.pk}/").content.decode()
    assert f'href="/speakers/{target.pk}/"' in html

    client.post(
        f"/speakers/{target.pk}/aliases/",
        {"alias": "der Bundeskanzler", "valid_from": "2021-12-08", "csrfmiddlewaretoken": token},
    )
    assert target.aliases.filter(alias="der Bundeskanzler").exists()
    history = client.get(f"/speakers/{target.pk}/").content.decode()
    assert "rita" in history and "edited" in history


def test_a_bad_qid_is_refused_with_a_message(client, reviewer, record):
    client.force_login(reviewer)
    response = client.post(
        f"/speakers/{record.pk}/edit/",
        {"name": "Olaf Scholz", "kind": "person", "wikidata_qid": "scholz"},
        follow=True,
    )
    assert "Q567" in response.content.decode()
    record.refresh_from_db()
    assert record.wikidata_qid == "Q61053"


def test_roles_are_checked(client, nobody, record):
    assert client.get(f"/speakers/{record.pk}/").status_code == 302  # to the login page
    client.force_login(nobody)
    assert client.get("/speakers/").status_code == 403
    other = Speaker.objects.create(name="X Y")
    assert client.post(f"/speakers/{other.pk}/merge/", {"into": record.pk}).status_code == 403
    assert Speaker.objects.filter(pk=other.pk).exists()


def test_editors_work_on_speakers_too(client, editor, record):
    client.force_login(editor)
    assert client.get(f"/speakers/{record.pk}/").status_code == 200
    proposed = Speaker.objects.create(name="A B", status=Speaker.Status.PROPOSED)
    client.post(f"/speakers/{proposed.pk}/confirm/")
    proposed.refresh_from_db()
    assert proposed.status == Speaker.Status.CONFIRMED
    assert Claim.objects.filter(speaker=record).count() == 3


def test_the_speaker_page_costs_the_same_whatever_the_record(
    client, reviewer, record, rating_scale
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(reviewer)
    url = f"/speakers/{record.pk}/"

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    false = rating_scale.labels.get(name="False")
    for n in range(10):
        group = ClaimGroup.objects.create()
        claim = ClaimFactory(speaker=record, group=group, standalone=f"Behauptung {n}")
        ClaimFactory(group=group)
        group.representative = claim
        group.save()
        PublishedVerdictFactory(claim=claim, rating_label=false)
        record.aliases.create(alias=f"Alias {n}")
    assert count() == small
