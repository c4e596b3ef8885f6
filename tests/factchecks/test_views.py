"""The "checked elsewhere" panel, its actions, evidence suggestions and the queue badge."""

from __future__ import annotations

import pytest
from django.urls import reverse

from claims.models import EvidenceSource, KnownFactCheckMatch, Verdict
from tests.factchecks.factories import KnownFactCheckMatchFactory
from tests.factories import (
    ClaimFactory,
    EvidenceSourceFactory,
    KnownSourceDomainFactory,
    PublishedVerdictFactory,
)
from tests.matching.factories import grouped

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def panel(client, claim):
    return client.get(reverse("factchecks:panel", args=[claim.pk]), **HTMX)


def test_panel_shows_checked_by_with_date_rating_link_and_reason(client, reviewer):
    match = KnownFactCheckMatchFactory()
    client.force_login(reviewer)
    html = panel(client, match.claim).content.decode()
    assert "checked by Correctiv, " in html
    assert "2019-03-01" in html and "Falsch" in html
    assert match.factcheck.url in html
    assert "0.90 similar, 1.00 same words" in html


def test_confirm_reject_and_cite(client, reviewer):
    match = KnownFactCheckMatchFactory()
    other = KnownFactCheckMatchFactory(claim=match.claim, score=0.4, level="suggested")
    client.force_login(reviewer)
    url = reverse("factchecks:reject", args=[match.claim_id, other.pk])
    assert client.post(url, **HTMX).status_code == 200
    other.refresh_from_db()
    assert other.decision == KnownFactCheckMatch.Decision.REJECTED
    assert other.decided_by == reviewer
    assert other.factcheck.url not in panel(client, match.claim).content.decode()

    # Citing needs a confirmed match.
    cite = reverse("factchecks:cite", args=[match.claim_id, match.pk])
    assert "Confirm the match" in client.post(cite, **HTMX).content.decode()
    assert not EvidenceSource.objects.exists()

    client.post(reverse("factchecks:confirm", args=[match.claim_id, match.pk]), **HTMX)
    match.refresh_from_db()
    assert match.decision == KnownFactCheckMatch.Decision.ACCEPTED
    client.post(cite, **HTMX)
    client.post(cite, **HTMX)  # one click; twice is harmless
    evidence = EvidenceSource.objects.get()
    assert evidence.url == match.factcheck.url
    assert evidence.publisher == "Correctiv"
    assert "Falsch" in evidence.quote
    # Citing drafts; it never publishes anything.
    assert evidence.verdict.status == Verdict.Status.DRAFT


def test_match_of_another_claim_is_404(client, reviewer):
    match = KnownFactCheckMatchFactory()
    other_claim = ClaimFactory()
    client.force_login(reviewer)
    url = reverse("factchecks:confirm", args=[other_claim.pk, match.pk])
    assert client.post(url, **HTMX).status_code == 404


def test_anonymous_and_without_role_cannot_act(client, django_user_model):
    match = KnownFactCheckMatchFactory()
    url = reverse("factchecks:confirm", args=[match.claim_id, match.pk])
    assert client.post(url).status_code == 302  # to the login page
    client.force_login(django_user_model.objects.create_user("nobody", password="x"))
    assert client.post(url).status_code == 403
    match.refresh_from_db()
    assert match.decision == KnownFactCheckMatch.Decision.PENDING


def test_evidence_suggestions_ranked_with_reasons(client, reviewer):
    earlier = ClaimFactory(text="Nordkorea testet keine Atomwaffen mehr.")
    claim = ClaimFactory(text="Nordkorea hat keine Atomwaffen mehr getestet.")
    grouped(earlier, claim)
    verdict = PublishedVerdictFactory(claim=earlier, slug="nordkorea")
    KnownSourceDomainFactory(domain="iaea.org", reliability="high")
    KnownSourceDomainFactory(domain="blog.example", reliability="low")
    EvidenceSourceFactory(verdict=verdict, url="https://www.iaea.org/report", title="IAEA report")
    EvidenceSourceFactory(verdict=verdict, url="https://blog.example/x", title="A blog")
    KnownFactCheckMatchFactory(claim=claim)
    client.force_login(reviewer)
    html = panel(client, claim).content.decode()
    kinds = [part.split('"')[0] for part in html.split('data-kind="')[1:]]
    assert kinds == ["own_verdict", "known_factcheck", "trusted_source"]
    assert "Our verdict on the same claim" in html
    assert "Trusted domain iaea.org" in html
    assert "blog.example" not in html
    assert "/verdicts/nordkorea/" in html


def test_queue_shows_checked_elsewhere(client, reviewer):
    match = KnownFactCheckMatchFactory(claim=ClaimFactory(checkworthy=True))
    client.force_login(reviewer)
    html = client.get(reverse("claims:queue")).content.decode()
    assert 'data-testid="queue-checked-elsewhere"' in html
    assert "checked by Correctiv, 2019-03-01" in html
    assert match.factcheck.url in html


def test_claim_page_loads_the_panel(client, reviewer):
    match = KnownFactCheckMatchFactory()
    client.force_login(reviewer)
    html = client.get(reverse("claims:claim", args=[match.claim_id])).content.decode()
    assert reverse("factchecks:panel", args=[match.claim_id]) in html
