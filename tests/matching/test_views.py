"""The claim page's matching panel and its actions, and the group API, through the client."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient

from claims.models import Claim, ClaimGroup, ClaimMatch
from claims.services.api_keys import api_key_create
from tests.factories import ArticleFactory, ClaimFactory, OutletFactory, PublishedVerdictFactory
from tests.matching.factories import ClaimMatchFactory, grouped

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()
    yield
    cache.clear()


def appearance(outlet: str, day: int, text: str = "Nordkorea testet keine Atomwaffen mehr.", **kw):
    article = ArticleFactory(
        outlet=OutletFactory(name=outlet),
        published_at=datetime(2019, 3, day, 9, tzinfo=UTC),
        url=f"https://{outlet.lower().replace(' ', '')}.example/{day}-{text[:5]}",
    )
    return ClaimFactory(article=article, text=text, **kw)


@pytest.fixture
def checked_group():
    first = appearance("Zeit", 1, status=Claim.Status.PUBLISHED)
    verdict = PublishedVerdictFactory(claim=first, slug="nordkorea-tests")
    group = grouped(first, appearance("Spiegel", 2), appearance("Zeit", 2))
    group.english = appearance(
        "BBC", 3, "North Korea no longer tests nuclear weapons.", language="en"
    )
    group.english.group = group
    group.english.save()
    group.verdict = verdict
    return group


def panel(client, claim):
    return client.get(reverse("matching:panel", args=[claim.pk]), **HTMX)


def test_panel_shows_the_earlier_verdict_appearances_and_counts(client, reviewer, checked_group):
    client.force_login(reviewer)
    repeat = checked_group.english
    response = panel(client, repeat)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="already-checked"' in html and "Already checked" in html
    assert checked_group.verdict.rating_label.name in html
    assert reverse("public:verdict_detail", args=["nordkorea-tests"]) in html
    assert 'data-testid="appearance-count">4<' in html
    assert "DE, EN" in html
    # per day: two on 2 March; per outlet: Zeit twice
    assert 'datetime="2019-03-02"' in html and "Zeit: 2" in html
    assert "first appearance" in html


def test_panel_of_an_ungrouped_claim(client, reviewer):
    client.force_login(reviewer)
    html = panel(client, appearance("Zeit", 5)).content.decode()
    assert 'data-testid="no-group"' in html and "already-checked" not in html


def test_panel_needs_a_desk_role(client, nobody, checked_group):
    assert panel(client, checked_group.english).status_code == 302  # to the login page
    client.force_login(nobody)
    assert panel(client, checked_group.english).status_code == 403


def test_confirm_and_reject_from_the_panel(client, reviewer, checked_group):
    client.force_login(reviewer)
    newcomer = appearance("Taz", 4)
    doubtful = appearance("Bild", 4, "Nordkorea testet wieder Raketen.")
    yes = ClaimMatchFactory(claim=newcomer, group=checked_group)
    no = ClaimMatchFactory(claim=doubtful, group=checked_group, reason="0.71 similar")

    html = panel(client, newcomer).content.decode()
    assert 'data-testid="suggestion"' in html and "same numbers, 0.81 similar" in html
    assert "group already checked" in html

    url = reverse("matching:confirm", args=[newcomer.pk, yes.pk])
    response = client.post(url, **HTMX)
    assert response.status_code == 200
    assert "Already checked" in response.content.decode()
    newcomer.refresh_from_db()
    assert newcomer.group_id == checked_group.pk

    # The group's page lists suggestions into the group; rejecting one from there works too.
    response = client.post(reverse("matching:reject", args=[checked_group.english.pk, no.pk]))
    assert response.status_code == 303
    no.refresh_from_db()
    assert no.decision == ClaimMatch.Decision.REJECTED and no.decided_by == reviewer


def test_a_suggestion_of_another_claim_is_not_reachable_from_this_page(client, reviewer):
    client.force_login(reviewer)
    match = ClaimMatchFactory()
    stranger = appearance("Zeit", 9)
    response = client.post(reverse("matching:confirm", args=[stranger.pk, match.pk]), **HTMX)
    assert response.status_code == 404
    match.refresh_from_db()
    assert match.decision == "pending"


def test_split_from_the_panel(client, reviewer, checked_group):
    client.force_login(reviewer)
    english = checked_group.english
    response = client.post(reverse("matching:split", args=[english.pk]), **HTMX)
    assert response.status_code == 200
    assert 'data-testid="no-group"' in response.content.decode()
    english.refresh_from_db()
    assert english.group_id is None
    again = client.post(reverse("matching:split", args=[english.pk]), **HTMX)
    assert "not in a group" in again.content.decode()


def test_merge_is_for_editors(client, reviewer, editor, checked_group):
    other = grouped(appearance("Welt", 7), appearance("Welt", 8))
    url = reverse("matching:merge", args=[checked_group.english.pk])
    client.force_login(reviewer)
    assert "merge-groups" not in panel(client, checked_group.english).content.decode()
    assert client.post(url, {"group": other.pk}, **HTMX).status_code == 403
    client.force_login(editor)
    response = client.post(url, {"group": other.pk}, **HTMX)
    assert response.status_code == 200
    assert 'data-testid="appearance-count">6<' in response.content.decode()
    assert not ClaimGroup.objects.filter(pk=other.pk).exists()
    bad = client.post(url, {"group": "abc"}, **HTMX)
    assert "Give the number" in bad.content.decode()


# --- API ------------------------------------------------------------------------------------


def group_url(group) -> str:
    return f"/api/v1/groups/{group.pk}/"


def test_api_public_group_with_a_published_verdict(checked_group):
    response = APIClient().get(group_url(checked_group))
    assert response.status_code == 200
    body = response.json()
    assert body["appearance_count"] == 4 and body["outlet_count"] == 3
    assert body["languages"] == ["de", "en"]
    assert body["verdict"]["url"].endswith("/verdicts/nordkorea-tests/")
    assert body["repeat_counts"]["per_day"] == [
        {"date": "2019-03-01", "count": 1},
        {"date": "2019-03-02", "count": 2},
        {"date": "2019-03-03", "count": 1},
    ]
    assert body["repeat_counts"]["per_outlet"][0] == {"outlet": "Zeit", "count": 2}
    first = body["appearances"][0]
    assert first["outlet"] == "Zeit" and first["date"].startswith("2019-03-01")
    assert "text" not in first and "claim" not in first  # desk data stays in the desk


def test_api_unpublished_group_is_desk_only(reviewer, nobody):
    group = grouped(appearance("Zeit", 1), appearance("Taz", 2))
    assert APIClient().get(group_url(group)).status_code == 404
    client = APIClient()
    client.force_login(nobody)
    assert client.get(group_url(group)).status_code == 404
    client.force_login(reviewer)
    body = client.get(group_url(group)).json()
    assert body["verdict"] is None and body["appearance_count"] == 2
    assert {a["claim"] for a in body["appearances"]} == set(
        Claim.objects.filter(group=group).values_list("pk", flat=True)
    )
    key = api_key_create(name="Partner", scopes=["claims:read"])
    keyed = APIClient()
    keyed.credentials(HTTP_AUTHORIZATION=f"Api-Key {key.raw_key}")
    assert keyed.get(group_url(group)).status_code == 200
    assert APIClient().get("/api/v1/groups/999999/").status_code == 404


def test_panel_queries_do_not_grow_with_the_group(client, reviewer, checked_group):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(reviewer)
    ClaimMatchFactory(group=checked_group, claim=appearance("Taz", 6))
    panel(client, checked_group.english)  # warm the session and permission caches
    with CaptureQueriesContext(connection) as small:
        panel(client, checked_group.english)
    for day in range(10, 20):
        extra = appearance(f"Outlet {day}", day)
        extra.group = checked_group
        extra.save()
        ClaimMatchFactory(group=checked_group, claim=appearance("Taz", day))
    with CaptureQueriesContext(connection) as large:
        html = panel(client, checked_group.english).content.decode()
    assert 'data-testid="appearance-count">14<' in html
    assert len(large.captured_queries) == len(small.captured_queries)
