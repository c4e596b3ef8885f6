"""Admin pages for rating scales, verdicts and known source domains."""

import pytest
from django.urls import reverse

from claims.models import KnownSourceDomain
from tests.factories import EvidenceSourceFactory, PublishedVerdictFactory, VerdictFactory

pytestmark = pytest.mark.django_db


def test_rating_scale_admin_shows_labels_with_colour_and_mapping(client, admin_user, rating_scale):
    client.force_login(admin_user)
    body = client.get(reverse("admin:claims_ratingscale_change", args=[rating_scale.pk]))
    text = body.content.decode()
    assert body.status_code == 200
    assert "ClaimReview mapping" in text and "Missing context" in text
    assert 'type="color"' in text and 'value="#b42318"' in text  # the colour, as a picker
    assert "1.00" in text  # True's normalised value


def test_verdicts_are_not_added_or_republished_in_the_admin(client, admin_user):
    verdict = PublishedVerdictFactory()
    client.force_login(admin_user)
    assert client.get(reverse("admin:claims_verdict_add")).status_code == 403
    page = client.get(reverse("admin:claims_verdict_change", args=[verdict.pk]))
    assert page.status_code == 200
    assert 'name="status"' not in page.content.decode()


def test_published_verdicts_are_read_only_in_the_admin(client, admin_user):
    verdict = PublishedVerdictFactory(summary="Stimmt so.")
    EvidenceSourceFactory(verdict=verdict)
    client.force_login(admin_user)
    url = reverse("admin:claims_verdict_change", args=[verdict.pk])
    page = client.get(url).content.decode()
    assert 'name="summary"' not in page and "Stimmt so." in page  # shown, not editable
    assert "evidence.example" in page  # evidence is shown, but cannot be edited or added
    assert 'name="evidence-0-url"' not in page and "evidence-__prefix__" not in page
    client.post(url, {"summary": "Silently changed."})
    verdict.refresh_from_db()
    assert verdict.summary == "Stimmt so."
    assert client.post(reverse("admin:claims_verdict_delete", args=[verdict.pk])).status_code == 403
    assert type(verdict).objects.filter(pk=verdict.pk).exists()


def test_draft_verdicts_stay_editable_in_the_admin(client, admin_user):
    verdict = VerdictFactory(summary="Entwurf.")
    client.force_login(admin_user)
    EvidenceSourceFactory(verdict=verdict)
    page = client.get(reverse("admin:claims_verdict_change", args=[verdict.pk])).content.decode()
    assert 'name="summary"' in page and 'name="evidence-0-url"' in page


def test_known_source_domain_is_stored_bare(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:claims_knownsourcedomain_add"),
        {
            "domain": "https://www.Destatis.de/DE/Presse",
            "name": "Destatis",
            "reliability": "high",
            "note": "Federal statistics office.",
        },
    )
    assert response.status_code == 302
    assert KnownSourceDomain.objects.get().domain == "destatis.de"
