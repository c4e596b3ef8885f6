"""Safe publishing: the preview shows exactly what will be public, publishing needs the
preview's confirmation and a second person, failed evidence blocks until fixed or removed."""

import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from claims.models import EvidenceSource, Verdict
from claims.services.verdict_checks import may_approve, publication_blockers
from tests.factories import EvidenceSourceFactory

pytestmark = pytest.mark.django_db


def claim_page(client, verdict):
    return client.get(reverse("claims:claim", args=[verdict.claim_id])).content.decode()


def preview_page_url(verdict):
    return reverse("claims:verdict_preview_page", args=[verdict.pk])


def publish(client, verdict, **extra):
    data = {"version": verdict.version, **extra}
    return client.post(reverse("claims:verdict_publish", args=[verdict.pk]), data)


def test_the_author_sees_no_approve_button_but_another_editor_does(client, desk, editor):
    verdict = desk["in_review"]
    author = verdict.author
    author.groups.add(*editor.groups.all())  # the author is an editor too
    author = type(author).objects.get(pk=author.pk)  # fresh permission cache
    assert may_approve(author, verdict) is False
    assert may_approve(editor, verdict) is True
    client.force_login(author)
    html = claim_page(client, verdict)
    assert 'data-testid="preview-publish"' not in html
    assert 'data-testid="author-note"' in html
    assert "another editor must approve" in html
    client.force_login(editor)
    html = claim_page(client, verdict)
    assert 'data-testid="preview-publish"' in html
    assert preview_page_url(verdict) in html


def test_reviewers_may_not_approve(desk, second_reviewer):
    assert may_approve(second_reviewer, desk["in_review"]) is False


def test_get_on_publish_goes_to_the_preview(client, desk, editor):
    verdict = desk["in_review"]
    client.force_login(editor)
    response = client.get(reverse("claims:verdict_publish", args=[verdict.pk]))
    assert response.status_code == 303
    assert response["Location"] == preview_page_url(verdict)
    verdict.refresh_from_db()
    assert verdict.status == Verdict.Status.IN_REVIEW


def test_post_without_confirmation_goes_to_the_preview(client, desk, editor):
    verdict = desk["in_review"]
    client.force_login(editor)
    response = publish(client, verdict)  # the old one-click form
    assert response.status_code == 303
    assert response["Location"] == preview_page_url(verdict)
    verdict.refresh_from_db()
    assert verdict.status == Verdict.Status.IN_REVIEW
    response = publish(client, verdict, confirm="publish")
    assert response.status_code == 303
    assert response["Location"] == reverse("claims:claim", args=[verdict.claim_id])
    verdict.refresh_from_db()
    assert verdict.status == Verdict.Status.PUBLISHED


def test_the_author_confirming_is_refused_on_the_preview_page(client, desk, editor):
    verdict = desk["in_review"]
    author = verdict.author
    author.groups.add(*editor.groups.all())
    client.force_login(author)
    response = publish(client, verdict, confirm="publish")
    assert response["Location"] == preview_page_url(verdict)
    page = client.get(response["Location"]).content.decode()
    assert "A second person must approve" in page
    assert 'data-testid="confirm-publish"' not in page
    verdict.refresh_from_db()
    assert verdict.status == Verdict.Status.IN_REVIEW


def test_failed_evidence_is_flagged_and_blocks_publication(client, desk, editor):
    verdict = desk["in_review"]
    failed = EvidenceSourceFactory(
        verdict=verdict,
        url="http://127.0.0.1:9/transcript",
        title="",
        fetch_status=EvidenceSource.FetchStatus.FAILED,
        fetch_error="Connection refused",
    )
    client.force_login(editor)
    html = claim_page(client, verdict)
    assert 'data-testid="fetch-failed"' in html
    assert "blocks publication" in html
    # In review nothing can be removed, but a source that was only down can be fetched again.
    assert reverse("claims:evidence_refetch", args=[failed.pk]) in html
    assert reverse("claims:evidence_delete", args=[failed.pk]) not in html

    blockers = publication_blockers(verdict)
    assert len(blockers) == 1 and "http://127.0.0.1:9/transcript" in blockers[0]
    page = client.get(preview_page_url(verdict)).content.decode()
    assert 'data-testid="blockers"' in page
    assert "Connection refused" in page
    assert 'data-testid="confirm-publish"' not in page

    response = publish(client, verdict, confirm="publish")
    assert response["Location"] == preview_page_url(verdict)
    page = client.get(response["Location"]).content.decode()
    assert "could not be fetched" in page
    verdict.refresh_from_db()
    assert verdict.status == Verdict.Status.IN_REVIEW

    # Fetched again successfully (or removed): nothing blocks any more.
    EvidenceSource.objects.filter(pk=failed.pk).update(
        fetch_status=EvidenceSource.FetchStatus.DONE, fetch_error=""
    )
    assert publication_blockers(verdict) == []
    assert publish(client, verdict, confirm="publish")["Location"].startswith("/claims/")
    verdict.refresh_from_db()
    assert verdict.status == Verdict.Status.PUBLISHED


def test_preview_is_noindex_uncached_and_framed_only_by_us(client, desk, editor):
    client.force_login(editor)
    response = client.get(reverse("claims:verdict_preview", args=[desk["in_review"].pk]))
    assert response.status_code == 200
    assert "noindex" in response["X-Robots-Tag"]
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    page = client.get(preview_page_url(desk["in_review"]))
    assert "noindex" in page["X-Robots-Tag"]
    assert reverse("claims:verdict_preview", args=[desk["in_review"].pk]) in page.content.decode()


def _main(html: str) -> str:
    """The page's <main>, without the publication instant (the preview cannot know the second
    the editor will confirm; the date shown is the same)."""
    main = html[html.index("<main") : html.index("</main>")]
    main = re.sub(r'datetime="[^"]*"', "", main)
    return re.sub(r'"date(Published|Modified)": "[^"]*"', "", main)


def _claimreview(html: str) -> dict:
    body = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    return json.loads(body)


def _without_dates(data: dict) -> dict:
    return {k: v for k, v in data.items() if k not in ("datePublished", "dateModified")}


def test_preview_is_the_public_page_and_its_claimreview(client, desk, editor):
    verdict = desk["in_review"]
    client.force_login(editor)
    preview = client.get(reverse("claims:verdict_preview", args=[verdict.pk])).content.decode()
    preview_page = client.get(preview_page_url(verdict))
    shown_json = json.loads(preview_page.context["claimreview_json"])
    shown_entry = preview_page.context["atom_entry"]

    assert publish(client, verdict, confirm="publish").status_code == 303
    verdict.refresh_from_db()
    assert verdict.status == Verdict.Status.PUBLISHED
    client.logout()
    public = client.get(reverse("public:verdict_detail", args=[verdict.slug])).content.decode()

    assert _main(preview) == _main(public)
    published = _claimreview(public)
    assert _without_dates(_claimreview(preview)) == _without_dates(published)
    assert _without_dates(shown_json) == _without_dates(published)
    assert shown_json["url"].endswith(f"/verdicts/{verdict.slug}/")

    feed = client.get(reverse("public:atom_feed")).content.decode()
    entry = re.search(r"<entry\b[^>]*>.*?</entry>", shown_entry, re.S).group(0)
    stamp = r"<(published|updated)>[^<]*</(published|updated)>"
    assert re.sub(stamp, "", entry) in re.sub(stamp, "", feed)


def test_correction_is_refused_while_failed_evidence_remains(client, desk, editor):
    verdict = desk["published"]
    EvidenceSourceFactory(
        verdict=verdict, fetch_status=EvidenceSource.FetchStatus.FAILED, fetch_error="HTTP 404"
    )
    client.force_login(editor)
    response = client.post(
        reverse("claims:verdict_correct", args=[verdict.pk]),
        {
            "version": verdict.version,
            "note": "Typo fixed.",
            "rating_label": desk["label"].pk,
            "summary": "Fixed summary.",
        },
    )
    assert response.status_code == 400
    assert "could not be fetched" in response.content.decode()
    assert not verdict.corrections.exists()


def test_a_failed_refetch_of_an_archived_source_does_not_block(desk):
    verdict = desk["in_review"]
    EvidenceSourceFactory(
        verdict=verdict,
        fetch_status=EvidenceSource.FetchStatus.FAILED,
        fetch_error="HTTP 503",
        archived_at=timezone.now(),  # fetched and archived before: readers get that copy
    )
    assert publication_blockers(verdict) == []
