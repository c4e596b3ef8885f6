"""Issue #14, "Nobody is told anything": assigned, sent back, awaiting review (inbox + email)."""

import pytest

from claims.models import Notification
from claims.services.claims import claim_assign, claims_bulk_assign
from claims.services.verdicts import (
    verdict_correct,
    verdict_publish,
    verdict_send_back,
    verdict_submit,
)
from tests.factories import ClaimFactory, UserFactory
from tests.services.test_verdicts_workflow import draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def label(rating_scale):
    return rating_scale.labels.get(name="False")


def test_reviewer_is_told_of_an_assignment(
    smtp_server, editor, reviewer, django_capture_on_commit_callbacks
):
    claim = ClaimFactory()
    with django_capture_on_commit_callbacks(execute=True):
        claim_assign(actor=editor, claim_id=claim.pk, assignee_id=reviewer.pk)
        claim_assign(actor=editor, claim_id=claim.pk, assignee_id=reviewer.pk)  # no change
    (note,) = Notification.objects.filter(recipient=reviewer)
    assert note.kind == "assigned" and note.url == f"/claims/{claim.pk}/"
    assert "eddie assigned a claim to you" in note.title
    assert len(smtp_server.to(reviewer.email)) == 1


def test_taking_a_claim_yourself_tells_nobody(reviewer):
    claim = ClaimFactory()
    claim_assign(actor=reviewer, claim_id=claim.pk, assignee_id=reviewer.pk)
    assert not Notification.objects.exists()


def test_bulk_assignment_is_one_notice(editor, reviewer):
    claims = [ClaimFactory(), ClaimFactory()]
    claims_bulk_assign(actor=editor, claim_ids=[c.pk for c in claims], assignee_id=reviewer.pk)
    (note,) = Notification.objects.filter(recipient=reviewer)
    assert "2 claims" in note.title


def test_editors_are_told_a_verdict_waits_and_the_author_when_sent_back(
    smtp_server, reviewer, editor, label, django_capture_on_commit_callbacks
):
    other_editor = UserFactory(username="erin", roles=["editor"])
    verdict = draft(reviewer, label)
    with django_capture_on_commit_callbacks(execute=True):
        verdict = verdict_submit(actor=reviewer, verdict_id=verdict.pk, version=verdict.version)
    waiting = Notification.objects.filter(kind="review_waiting")
    assert set(waiting.values_list("recipient__username", flat=True)) == {"eddie", "erin"}
    assert len(smtp_server.to(other_editor.email)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        verdict_send_back(
            actor=editor, verdict_id=verdict.pk, version=verdict.version, comment="Add a source."
        )
    (back,) = Notification.objects.filter(kind="sent_back")
    assert back.recipient == reviewer and "Add a source." in back.body
    mails = smtp_server.to(reviewer.email)
    assert len(mails) == 1 and "Add a source." in mails[0].get_content()


def test_the_author_is_told_of_publication_and_both_of_a_correction(
    smtp_server, reviewer, editor, label, django_capture_on_commit_callbacks
):
    verdict = draft(reviewer, label)
    verdict = verdict_submit(actor=reviewer, verdict_id=verdict.pk, version=verdict.version)
    with django_capture_on_commit_callbacks(execute=True):
        verdict = verdict_publish(actor=editor, verdict_id=verdict.pk, version=verdict.version)
    (published,) = Notification.objects.filter(kind="published")
    assert published.recipient == reviewer and "eddie published your verdict" in published.title
    assert len(smtp_server.to(reviewer.email)) == 1

    other_editor = UserFactory(username="erin", roles=["editor"])
    with django_capture_on_commit_callbacks(execute=True):
        verdict_correct(
            actor=other_editor,
            verdict_id=verdict.pk,
            version=verdict.version,
            note="Date of the last test corrected.",
            rating_label_id=label.pk,
            summary="Falsch: Nordkorea testete zuletzt 2019 Raketen.",
            explanation="",
        )
    corrected = Notification.objects.filter(kind="corrected")
    assert set(corrected.values_list("recipient__username", flat=True)) == {"rita", "eddie"}
    assert all("Date of the last test corrected." in n.body for n in corrected)
    assert not Notification.objects.filter(kind="corrected", recipient=other_editor).exists()


def test_an_editor_publishing_is_not_told_of_their_own_act(editor, label):
    author = UserFactory(username="ed2", roles=["editor"])
    verdict = draft(author, label)
    verdict = verdict_submit(actor=author, verdict_id=verdict.pk, version=verdict.version)
    verdict_publish(actor=editor, verdict_id=verdict.pk, version=verdict.version)
    assert not Notification.objects.filter(kind="published", recipient=editor).exists()
    assert Notification.objects.filter(kind="published", recipient=author).count() == 1
