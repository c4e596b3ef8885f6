"""The queue shows a repeated claim once, with its appearances, and earlier verdicts."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import ClaimGroup
from tests.factories import ArticleFactory, ClaimFactory, OutletFactory, PublishedVerdictFactory

pytestmark = pytest.mark.django_db


def appearance(text: str, outlet: str, language: str, day: int, **kwargs):
    article = ArticleFactory(
        outlet=OutletFactory(name=outlet),
        language=language,
        published_at=datetime(2024, 3, day, tzinfo=UTC),
    )
    return ClaimFactory(article=article, text=text, language=language, **kwargs)


@pytest.fixture
def repeated():
    first = appearance("Nordkorea testet seit einem Jahr nicht.", "Zeit", "de", 1, score=0.9)
    again = appearance("Nordkorea hat seit einem Jahr nicht getestet.", "Spiegel", "de", 3)
    english = appearance("North Korea has not tested for a year.", "Guardian", "en", 5)
    group = ClaimGroup.objects.create(representative=first)
    for claim in (first, again, english):
        claim.group = group
        claim.save()
    alone = appearance("Die Inflation lag bei 5,9 Prozent.", "Zeit", "de", 2, score=0.5)
    return {"first": first, "again": again, "english": english, "alone": alone, "group": group}


def queue_rows(client, **params) -> str:
    response = client.get(reverse("claims:queue"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_one_row_per_group_with_its_appearances(client, reviewer, repeated):
    client.force_login(reviewer)

    page = queue_rows(client)

    assert page.count('class="queue-row"') == 2
    assert f'data-claim-id="{repeated["first"].pk}"' in page
    assert f'data-claim-id="{repeated["again"].pk}"' not in page
    assert "3 appearances in 3 outlets" in page
    assert "DE/EN" in page

    every = queue_rows(client, rows="every")
    assert every.count('class="queue-row"') == 4


def test_a_repeat_of_a_checked_claim_shows_the_earlier_verdict(client, reviewer, repeated):
    verdict = PublishedVerdictFactory(claim=repeated["first"], group=repeated["group"])
    client.force_login(reviewer)

    page = queue_rows(client, rows="every")

    assert page.count('data-testid="already-checked"') == 2  # the two later appearances
    assert verdict.rating_label.name in page
    assert reverse("public:verdict_detail", args=[verdict.slug]) in page


def test_queue_queries_stay_fixed_with_groups(client, reviewer, repeated):
    client.force_login(reviewer)
    queue_rows(client, rows="every")
    with CaptureQueriesContext(connection) as few:
        queue_rows(client, rows="every")
    for i in range(10):
        grouped = appearance(f"Wiederholung {i}.", f"Outlet {i}", "de", 7)
        grouped.group = repeated["group"]
        grouped.save()
    with CaptureQueriesContext(connection) as many:
        queue_rows(client, rows="every")
    assert len(many) == len(few) <= 15
