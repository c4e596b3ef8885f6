"""Verdicts: draft, optimistic locking, submit, send back, publish, correct."""

import pytest

from claims.exceptions import ConflictError, InvalidInputError, PermissionDeniedError
from claims.models import Claim, Verdict, VerdictCorrection, WebhookSubscription
from claims.services.evidence import evidence_add
from claims.services.verdicts import (
    explanation_html,
    verdict_correct,
    verdict_draft_get_or_create,
    verdict_publish,
    verdict_save,
    verdict_send_back,
    verdict_submit,
)
from tests.factories import ClaimFactory, PublishedVerdictFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def label(rating_scale):
    return rating_scale.labels.get(name="False")


def draft(reviewer, label, *, with_evidence=True, text="Nordkorea hat seit mehr als einem Jahr"):
    claim = ClaimFactory(text=text)
    verdict = verdict_draft_get_or_create(actor=reviewer, claim_id=claim.pk)
    verdict = verdict_save(
        actor=reviewer,
        verdict_id=verdict.pk,
        version=verdict.version,
        rating_label_id=label.pk,
        summary="Falsch: Nordkorea testete 2019 Raketen.",
        explanation="Siehe **Quellen**.",
    )
    if with_evidence:
        evidence_add(
            actor=reviewer,
            claim_id=claim.pk,
            url="https://evidence.example/a",
            stance="refutes",
            quote="…",
        )
    return verdict


def test_draft_selects_a_new_claim(reviewer):
    claim = ClaimFactory()
    verdict = verdict_draft_get_or_create(actor=reviewer, claim_id=claim.pk)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.SELECTED
    assert verdict.status == Verdict.Status.DRAFT
    assert verdict_draft_get_or_create(actor=reviewer, claim_id=claim.pk).pk == verdict.pk


def test_stale_version_is_refused_and_nothing_is_overwritten(reviewer, second_reviewer, label):
    verdict = draft(reviewer, label)
    loaded = verdict.version  # both open the form at this version
    verdict_save(
        actor=reviewer,
        verdict_id=verdict.pk,
        version=loaded,
        rating_label_id=label.pk,
        summary="First editor's text",
        explanation="",
    )
    with pytest.raises(ConflictError):
        verdict_save(
            actor=second_reviewer,
            verdict_id=verdict.pk,
            version=loaded,
            rating_label_id=label.pk,
            summary="Second editor's text",
            explanation="",
        )
    verdict.refresh_from_db()
    assert verdict.summary == "First editor's text"
    assert verdict.version == loaded + 1


def test_submit_needs_rating_and_evidence(reviewer, label):
    verdict = draft(reviewer, label, with_evidence=False)
    with pytest.raises(InvalidInputError, match="evidence"):
        verdict_submit(actor=reviewer, verdict_id=verdict.pk, version=verdict.version)
    verdict = verdict_save(
        actor=reviewer,
        verdict_id=verdict.pk,
        version=verdict.version,
        rating_label_id=None,
        summary="x",
        explanation="",
    )
    evidence_add(
        actor=reviewer, claim_id=verdict.claim_id, url="https://e.example/1", stance="context"
    )
    with pytest.raises(InvalidInputError, match="rating"):
        verdict_submit(actor=reviewer, verdict_id=verdict.pk, version=verdict.version)
    verdict.refresh_from_db()
    assert verdict.status == Verdict.Status.DRAFT


def test_full_workflow_send_back_then_publish(reviewer, editor, label):
    verdict = draft(reviewer, label)
    verdict = verdict_submit(actor=reviewer, verdict_id=verdict.pk, version=verdict.version)
    assert verdict.claim.status == Claim.Status.IN_REVIEW
    with pytest.raises(PermissionDeniedError):
        verdict_publish(actor=reviewer, verdict_id=verdict.pk, version=verdict.version)
    with pytest.raises(InvalidInputError):
        verdict_send_back(actor=editor, verdict_id=verdict.pk, version=verdict.version, comment=" ")
    verdict = verdict_send_back(
        actor=editor,
        verdict_id=verdict.pk,
        version=verdict.version,
        comment="Quote the ministry directly.",
    )
    assert verdict.status == Verdict.Status.CHANGES_REQUESTED
    assert Claim.objects.get(pk=verdict.claim_id).status == Claim.Status.SELECTED
    verdict = verdict_save(
        actor=reviewer,
        verdict_id=verdict.pk,
        version=verdict.version,
        rating_label_id=label.pk,
        summary="Falsch.",
        explanation="Neu.",
    )
    verdict = verdict_submit(actor=reviewer, verdict_id=verdict.pk, version=verdict.version)
    verdict = verdict_publish(actor=editor, verdict_id=verdict.pk, version=verdict.version)
    assert verdict.status == Verdict.Status.PUBLISHED
    assert verdict.published_at is not None
    assert verdict.slug == "nordkorea-hat-seit-mehr-als-einem-jahr"
    assert verdict.editor == editor
    assert Claim.objects.get(pk=verdict.claim_id).status == Claim.Status.PUBLISHED
    # Published verdicts are not edited as drafts any more.
    with pytest.raises(InvalidInputError):
        verdict_save(
            actor=reviewer,
            verdict_id=verdict.pk,
            version=verdict.version,
            rating_label_id=label.pk,
            summary="sneaky",
            explanation="",
        )


def test_author_cannot_approve_own_verdict(editor, label):
    verdict = draft(editor, label)
    verdict = verdict_submit(actor=editor, verdict_id=verdict.pk, version=verdict.version)
    with pytest.raises(PermissionDeniedError):
        verdict_publish(actor=editor, verdict_id=verdict.pk, version=verdict.version)


def test_slugs_are_unique(reviewer, editor, label):
    PublishedVerdictFactory(slug="nordkorea-hat-seit-mehr-als-einem-jahr")
    verdict = draft(reviewer, label)
    verdict = verdict_submit(actor=reviewer, verdict_id=verdict.pk, version=verdict.version)
    verdict = verdict_publish(actor=editor, verdict_id=verdict.pk, version=verdict.version)
    assert verdict.slug == f"nordkorea-hat-seit-mehr-als-einem-jahr-{verdict.pk}"


def test_publish_and_correct_emit_webhooks_after_commit(
    reviewer, editor, label, django_capture_on_commit_callbacks
):
    from claims.models import ApiKey, WebhookDelivery

    key = ApiKey.objects.create(name="Partner", prefix="abc", key_hash="0" * 64)
    WebhookSubscription.objects.create(
        api_key=key,
        url="https://hooks.example/x",
        secret="s" * 32,
        events=["verdict.published", "verdict.corrected"],
    )
    verdict = draft(reviewer, label)
    verdict = verdict_submit(actor=reviewer, verdict_id=verdict.pk, version=verdict.version)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        verdict = verdict_publish(actor=editor, verdict_id=verdict.pk, version=verdict.version)
    # Nothing is emitted inside the transaction; the emit is queued for after commit.
    assert WebhookDelivery.objects.count() == 0
    assert callbacks
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        correction = verdict_correct(
            actor=editor,
            verdict_id=verdict.pk,
            version=verdict.version,
            note="The test was in 2019, not 2018.",
            rating_label_id=label.pk,
            summary="Falsch: Nordkorea testete 2019 Raketen.",
            explanation="Korrigiert.",
        )
    assert callbacks
    assert correction.changes["explanation"] == ["Siehe **Quellen**.", "Korrigiert."]


def test_correction_needs_a_note_and_an_editor(reviewer, editor, label):
    verdict = PublishedVerdictFactory(rating_label=label)
    with pytest.raises(PermissionDeniedError):
        verdict_correct(
            actor=reviewer,
            verdict_id=verdict.pk,
            version=verdict.version,
            note="x",
            rating_label_id=label.pk,
            summary="s",
            explanation="",
        )
    with pytest.raises(InvalidInputError):
        verdict_correct(
            actor=editor,
            verdict_id=verdict.pk,
            version=verdict.version,
            note="  ",
            rating_label_id=label.pk,
            summary="s",
            explanation="",
        )
    assert not VerdictCorrection.objects.exists()


def test_explanation_markdown_is_sanitised():
    html = explanation_html(
        "# Heading\n\n**bold** <script>alert(1)</script> [x](javascript:alert(1)) "
        "<img src=x onerror=alert(1)> [ok](https://example.org)"
    )
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html
    assert "<strong>bold</strong>" in html
    assert "<h3>Heading</h3>" in html
    assert 'href="https://example.org"' in html and "nofollow" in html
