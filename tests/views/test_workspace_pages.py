"""Workspace pages through the client: queue filters, claim page, conflicts, escaping, login."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from claims.models import Claim, SavedFilter, Verdict
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    ClaimNoteFactory,
    EvidenceSourceFactory,
    KnownSourceDomainFactory,
    OutletFactory,
    UserFactory,
    VerdictFactory,
)

pytestmark = pytest.mark.django_db


def queue_ids(response):
    return [c.pk for c in response.context["rows"]]


def test_queue_ranks_by_score_then_recency(client, reviewer):
    low = ClaimFactory(score=0.3)
    high_old = ClaimFactory(score=0.9)
    high_new = ClaimFactory(score=0.9)
    Claim.objects.filter(pk=high_old.pk).update(created_at=timezone.now() - timedelta(days=3))
    client.force_login(reviewer)
    assert queue_ids(client.get(reverse("claims:queue"))) == [high_new.pk, high_old.pk, low.pk]


def test_queue_filters_live_in_the_url(client, reviewer, second_reviewer):
    zeit, taz = OutletFactory(name="ZEIT"), OutletFactory(name="taz")
    de = ClaimFactory(
        article=ArticleFactory(outlet=zeit),
        language="de",
        score=0.9,
        claim_type="quantity",
        claimant="Olaf Scholz",
    )
    en = ClaimFactory(
        article=ArticleFactory(outlet=taz),
        language="en",
        score=0.5,
        claim_type="prediction",
        claimant="Joe Biden",
        assignee=second_reviewer,
    )
    dismissed = ClaimFactory(status="dismissed", dismiss_reason="opinion")
    old = ClaimFactory(article=ArticleFactory(published_at=timezone.now() - timedelta(days=40)))
    client.force_login(reviewer)
    url = reverse("claims:queue")
    assert set(queue_ids(client.get(url))) == {de.pk, en.pk, old.pk}  # open work by default
    assert queue_ids(client.get(url, {"language": "en"})) == [en.pk]
    assert queue_ids(client.get(url, {"outlet": zeit.pk})) == [de.pk]
    assert queue_ids(client.get(url, {"claimant": "biden"})) == [en.pk]
    assert queue_ids(client.get(url, {"claim_type": "quantity", "min_score": "85"})) == [de.pk]
    assert queue_ids(client.get(url, {"assignee": second_reviewer.pk})) == [en.pk]
    assert de.pk in queue_ids(client.get(url, {"assignee": "none"}))
    assert queue_ids(client.get(url, {"status": "dismissed"})) == [dismissed.pk]
    since = (timezone.now() - timedelta(days=7)).date().isoformat()
    assert old.pk not in queue_ids(client.get(url, {"date_from": since}))
    until = (timezone.now() - timedelta(days=30)).date().isoformat()
    assert queue_ids(client.get(url, {"date_to": until})) == [old.pk]
    # Bad values are reported, not a 500.
    response = client.get(url, {"min_score": "lots", "date_from": "yesterday"})
    assert response.status_code == 200


def test_queue_search_fallback_on_sqlite(client, reviewer):
    hit = ClaimFactory(text="Die Inflation lag 2023 bei 5,9 Prozent.")
    ClaimFactory(text="Nordkorea hat keine Atomwaffen getestet.")
    client.force_login(reviewer)
    assert queue_ids(client.get(reverse("claims:queue"), {"q": "inflation prozent"})) == [hit.pk]


def test_queue_htmx_answers_with_the_results_partial(client, reviewer):
    ClaimFactory()
    client.force_login(reviewer)
    response = client.get(
        reverse("claims:queue"),
        {"language": "de"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="queue-results",
    )
    body = response.content.decode()
    assert "<html" not in body and 'id="bulk-form"' in body


def test_saved_filter_through_the_page(client, reviewer):
    client.force_login(reviewer)
    response = client.post(
        reverse("claims:saved_filter_create"),
        {"name": "Englisch", "query": "language=en&sort=newest"},
    )
    assert response.status_code == 303
    assert SavedFilter.objects.get(user=reviewer).query == "language=en&sort=newest"
    page = client.get(reverse("claims:queue")).content.decode()
    assert "?language=en&amp;sort=newest" in page


def test_bulk_dismiss_through_the_page(client, reviewer):
    claims = ClaimFactory.create_batch(3)
    client.force_login(reviewer)
    response = client.post(
        reverse("claims:queue_bulk"),
        {
            "action": "dismiss",
            "reason": "not_checkable",
            "ids": [c.pk for c in claims[:2]],
        },
        follow=True,
    )
    assert "2 claims updated." in response.content.decode()
    assert Claim.objects.filter(status="dismissed").count() == 2


def test_untrusted_text_is_escaped(client, reviewer):
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    article = ArticleFactory(title=evil, text=f"Start. {evil} End.")
    claim = ClaimFactory(
        article=article, text=evil, start=7, end=7 + len(evil), claimant=evil, context_before=evil
    )
    ClaimNoteFactory(claim=claim, text=evil)
    verdict = VerdictFactory(
        claim=claim, status=Verdict.Status.IN_REVIEW, summary=evil, explanation=f"**ok** {evil}"
    )
    EvidenceSourceFactory(verdict=verdict, title=evil, quote=evil)
    client.force_login(reviewer)
    for url in (reverse("claims:queue"), reverse("claims:claim", args=[claim.pk])):
        body = client.get(url).content.decode()
        assert "<script>alert" not in body
        assert "<img src=x" not in body
        assert "&lt;script&gt;" in body
    body = client.get(reverse("claims:claim", args=[claim.pk])).content.decode()
    assert "<strong>ok</strong>" in body  # Markdown rendered, HTML in it removed


def test_claim_page_shows_context_highlight_and_known_sources(client, reviewer, desk):
    KnownSourceDomainFactory(
        domain="evidence.example",
        name="Evidence Weekly",
        reliability="mixed",
        note="Sometimes sloppy with dates.",
    )
    client.force_login(reviewer)
    body = client.get(reverse("claims:claim", args=[desk["in_review"].claim_id])).content.decode()
    assert "Sometimes sloppy with dates." in body
    body = client.get(reverse("claims:claim", args=[desk["new"].pk])).content.decode()
    assert '<mark id="claim-in-article">Nordkorea hat seit' in body
    assert 'class="mention mention-entity" title="place">Nordkorea' in body
    assert 'class="mention mention-number" title="duration: 1 year">einem Jahr' in body
    assert "Keine Einigung beim Nordkorea-Gipfel" in body


def test_claim_page_shows_audit_history(client, reviewer, desk):
    client.force_login(reviewer)
    claim = desk["new"]
    client.post(reverse("claims:claim_dismiss", args=[claim.pk]), {"reason": "duplicate"})
    body = client.get(reverse("claims:claim", args=[claim.pk])).content.decode()
    assert "rita" in body
    assert "<del>new</del> → <ins>dismissed</ins>" in body


def test_verdict_conflict_keeps_the_second_persons_text(client, reviewer, second_reviewer, desk):
    claim, label = desk["new"], desk["label"]
    client.force_login(reviewer)
    client.post(
        reverse("claims:verdict_save", args=[claim.pk]),
        {"version": 0, "rating_label": label.pk, "summary": "first", "action": "save"},
    )
    verdict = Verdict.objects.get(claim=claim)
    loaded = verdict.version
    client.post(
        reverse("claims:verdict_save", args=[claim.pk]),
        {"version": loaded, "rating_label": label.pk, "summary": "rita again", "action": "save"},
    )
    client.force_login(second_reviewer)
    response = client.post(
        reverse("claims:verdict_save", args=[claim.pk]),
        {
            "version": loaded,
            "rating_label": label.pk,
            "summary": "rob's careful text",
            "action": "save",
        },
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "Someone else changed this verdict" in body
    assert "rob&#x27;s careful text" in body  # the form still holds what rob typed
    verdict.refresh_from_db()
    assert verdict.summary == "rita again"


def test_submit_without_evidence_is_refused_with_a_message(client, reviewer, desk):
    claim, label = desk["new"], desk["label"]
    client.force_login(reviewer)
    response = client.post(
        reverse("claims:verdict_save", args=[claim.pk]),
        {"version": 0, "rating_label": label.pk, "summary": "Falsch.", "action": "submit"},
    )
    assert response.status_code == 400  # the form again, the message in it (not a redirect)
    body = response.content.decode()
    assert "Add at least one evidence source" in body
    assert Verdict.objects.get(claim=claim).status == Verdict.Status.DRAFT


def test_note_via_htmx_returns_the_list(client, reviewer, desk):
    client.force_login(reviewer)
    response = client.post(
        reverse("claims:claim_note", args=[desk["new"].pk]),
        {"text": "Asked the ministry."},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "Asked the ministry." in response.content.decode()
    response = client.post(
        reverse("claims:claim_note", args=[desk["new"].pk]), {"text": " "}, HTTP_HX_REQUEST="true"
    )
    # Refused, and answered 200 so that htmx swaps the form in with the error beside the field
    # (htmx drops 4xx answers: the old 400 left the message unseen).
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert desk["new"].notes.count() == 1


def test_archived_copy_is_served_inert(client, reviewer, desk):
    client.force_login(reviewer)
    evidence = desk["in_review"].evidence.first()
    response = client.get(reverse("claims:evidence_archive", args=[evidence.pk]))
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert response["X-Content-Type-Options"] == "nosniff"


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_queue_queries_do_not_grow_with_rows(client, reviewer, second_reviewer):
    client.force_login(reviewer)
    url = reverse("claims:queue")

    def make(n):
        for _ in range(n):
            claim = ClaimFactory(
                assignee=second_reviewer, article=ArticleFactory(outlet=OutletFactory())
            )
            VerdictFactory(claim=claim)

    make(5)
    few = _count_queries(client, url)
    make(45)
    many = _count_queries(client, url)
    assert few == many
    assert many <= 15


def test_claim_page_queries_do_not_grow_with_rows(client, reviewer, desk):
    client.force_login(reviewer)
    verdict = desk["in_review"]
    claim = verdict.claim
    url = reverse("claims:claim", args=[claim.pk])

    def make(n):
        for _ in range(n):
            ClaimNoteFactory(claim=claim, author=UserFactory())
            EvidenceSourceFactory(verdict=verdict, added_by=UserFactory())
            ClaimFactory(group=claim.group)

    from tests.factories import ClaimGroupFactory

    claim.group = ClaimGroupFactory()
    claim.save()
    make(5)
    few = _count_queries(client, url)
    make(45)
    many = _count_queries(client, url)
    assert few == many


def test_german_interface(client, reviewer):
    ClaimFactory()
    client.force_login(reviewer)
    response = client.post(reverse("set_language"), {"language": "de", "next": "/queue/"})
    body = client.get(reverse("claims:queue")).content.decode()
    assert response.status_code == 302
    assert 'lang="de"' in body
    assert "Behauptungen" in body  # the queue heading, translated


def test_queue_count_is_capped(client, reviewer, monkeypatch):
    import claims.selectors.queue as queue_selectors

    monkeypatch.setattr(queue_selectors, "COUNT_CAP", 3)
    ClaimFactory.create_batch(5)
    client.force_login(reviewer)
    body = client.get(reverse("claims:queue")).content.decode()
    assert "more than 3 claims" in body
    assert len(queue_ids(client.get(reverse("claims:queue")))) == 3


def test_matching_panel_and_articles_appear_once_wired(client, reviewer, desk, settings):
    settings.ROOT_URLCONF = "tests.views.urls_wired"
    client.force_login(reviewer)
    body = client.get(reverse("claims:claim", args=[desk["new"].pk])).content.decode()
    assert f'hx-get="/claims/{desk["new"].pk}/matching/"' in body
    assert 'href="/articles/"' in body
    panel = client.get(f"/claims/{desk['new'].pk}/matching/")
    assert panel.status_code == 200
