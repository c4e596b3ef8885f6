"""Claims and verdicts in the API carry the linked speaker as `{id, name, role}` or null (the
shape `ingest --json` prints), joined in the page's one query: a speaker on every row costs no
query more than the pins in test_query_counts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from claims.models import Speaker
from tests.api.test_query_counts import QUERIES
from tests.factories import ClaimFactory, PublishedVerdictFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _uncached(settings):
    settings.CLAIMTRACKER_PUBLIC_CACHE_TIMEOUT = 0


@pytest.fixture
def speakers():
    return (
        Speaker.objects.create(name="Olaf Scholz", role="Bundeskanzler"),
        Speaker.objects.create(name="Boris Johnson"),  # no role: null, not ""
    )


@pytest.fixture
def claims_client(key_client):
    client = key_client("claims:read")
    assert client.get(reverse("api:webhook-list")).status_code == 200  # stamps last_used_at
    return client


def test_claims_list_and_detail_carry_the_speaker(
    claims_client, speakers, django_assert_num_queries
):
    scholz, johnson = speakers
    linked = ClaimFactory(speaker=scholz)
    no_role = ClaimFactory(speaker=johnson)
    unlinked = ClaimFactory(speaker=None)
    for i in range(10):  # a speaker per row: still one query for the page
        ClaimFactory(speaker=Speaker.objects.create(name=f"Person {i}", role=f"Rolle {i}"))

    url = reverse("api:claim-list") + "?page_size=200"
    with django_assert_num_queries(QUERIES["claims_list"]):
        rows = claims_client.get(url).json()["results"]
    by_id = {row["id"]: row for row in rows}
    assert by_id[linked.pk]["speaker"] == {
        "id": scholz.pk,
        "name": "Olaf Scholz",
        "role": "Bundeskanzler",
    }
    assert by_id[no_role.pk]["speaker"] == {"id": johnson.pk, "name": "Boris Johnson", "role": None}
    assert by_id[unlinked.pk]["speaker"] is None

    with django_assert_num_queries(QUERIES["claims_retrieve"]):
        detail = claims_client.get(reverse("api:claim-detail", args=[linked.pk])).json()
    assert detail["speaker"] == by_id[linked.pk]["speaker"]
    assert (
        claims_client.get(reverse("api:claim-detail", args=[unlinked.pk])).json()["speaker"] is None
    )


def test_verdicts_list_and_detail_carry_the_claims_speaker(
    api_client, speakers, django_assert_num_queries
):
    scholz, johnson = speakers
    linked = PublishedVerdictFactory(claim=ClaimFactory(speaker=scholz))
    no_role = PublishedVerdictFactory(claim=ClaimFactory(speaker=johnson))
    unlinked = PublishedVerdictFactory(claim=ClaimFactory(speaker=None))
    for i in range(10):
        speaker = Speaker.objects.create(name=f"Person {i}", role=f"Rolle {i}")
        PublishedVerdictFactory(claim=ClaimFactory(speaker=speaker))

    url = reverse("api:verdict-list") + "?page_size=200"
    with django_assert_num_queries(QUERIES["verdicts_list"]):
        rows = api_client.get(url).json()["results"]
    by_id = {row["id"]: row["claim"]["speaker"] for row in rows}
    assert by_id[linked.pk] == {"id": scholz.pk, "name": "Olaf Scholz", "role": "Bundeskanzler"}
    assert by_id[no_role.pk] == {"id": johnson.pk, "name": "Boris Johnson", "role": None}
    assert by_id[unlinked.pk] is None

    with django_assert_num_queries(QUERIES["verdict-detail"]):
        detail = api_client.get(reverse("api:verdict-detail", args=[linked.pk])).json()
    assert detail["claim"]["speaker"] == by_id[linked.pk]
    unlinked_detail = api_client.get(reverse("api:verdict-detail", args=[unlinked.pk])).json()
    assert unlinked_detail["claim"]["speaker"] is None
    assert no_role.claim.speaker_id == johnson.pk


def test_the_speaker_page_lists_verdict_rows_with_the_speaker(api_client, speakers):
    scholz, _ = speakers
    verdict = PublishedVerdictFactory(claim=ClaimFactory(speaker=scholz))
    data = api_client.get(reverse("api:speaker-detail", args=[scholz.pk])).json()
    [row] = data["verdicts"]
    assert row["id"] == verdict.pk
    assert row["claim"]["speaker"]["id"] == scholz.pk
