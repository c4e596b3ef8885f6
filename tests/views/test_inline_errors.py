"""Every workspace form answers an error beside its field, marked for assistive technology, with
the first invalid field focused (``autofocus``), so the browser scrolls the message into view
without any script (issue #14)."""

import re

import pytest
from django.urls import reverse

from claims.models import Verdict

pytestmark = pytest.mark.django_db


def _assert_inline_error(body: str, field_id: str) -> None:
    """The field is invalid, points at its message, the message sits right after it."""
    tag = re.search(rf'<(?:input|select|textarea)[^>]*id="{field_id}"[^>]*>', body)
    assert tag, field_id
    assert 'aria-invalid="true"' in tag.group(0)
    assert "autofocus" in tag.group(0)
    # aria-describedby may also name a hint; the error message is one of the ids it lists.
    described_by = re.search(r'aria-describedby="([^"]+)"', tag.group(0)).group(1).split()
    after = body[tag.end() :]
    assert all(f'id="{i}"' in body for i in described_by), described_by
    assert any(f'id="{i}"' in after[:2000] and i.endswith("error") for i in described_by), (
        "the message follows the field"
    )


def test_incomplete_verdict_is_saved_and_shows_what_is_missing_beside_each_field(
    client, reviewer, desk
):
    claim = desk["new"]
    client.force_login(reviewer)
    response = client.post(
        reverse("claims:verdict_save", args=[claim.pk]),
        {"version": 0, "summary": "", "explanation": "why", "action": "submit"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    _assert_inline_error(body, "id_rating_label")
    assert "Choose a rating to submit." in body
    assert "Write a short verdict to submit." in body
    assert "Add at least one evidence source" in body
    assert body.count("autofocus") == 1
    # No fragment in the form's action: a page opened at a #target skips autofocus.
    assert f'action="{reverse("claims:verdict_save", args=[claim.pk])}"' in body
    verdict = Verdict.objects.get(claim=claim)
    assert verdict.status == Verdict.Status.DRAFT and verdict.explanation == "why"
    # The form carries the saved draft's version: saving again works, no conflict.
    version = re.search(r'name="version" value="(\d+)"', body).group(1)
    assert int(version) == verdict.version
    again = client.post(
        reverse("claims:verdict_save", args=[claim.pk]),
        {"version": version, "summary": "Falsch.", "explanation": "why", "action": "save"},
    )
    assert again.status_code == 303


def test_empty_correction_note_is_shown_beside_the_field(client, editor, desk):
    verdict = desk["published"]
    client.force_login(editor)
    response = client.post(
        reverse("claims:verdict_correct", args=[verdict.pk]),
        {"version": verdict.version, "note": "", "summary": verdict.summary},
    )
    assert response.status_code == 400
    body = response.content.decode()
    _assert_inline_error(body, "id_note")
    assert "This field is required." in body
    assert re.search(r'<details class="correction"\s+open', body)


def test_evidence_and_send_back_and_note_errors_are_inline(client, editor, reviewer, desk):
    client.force_login(reviewer)
    claim = desk["new"]
    body = client.post(
        reverse("claims:evidence_add", args=[claim.pk]), {"url": "not a url", "stance": "x"}
    ).content.decode()
    _assert_inline_error(body, "id_url")
    assert body.count("autofocus") == 1

    response = client.post(reverse("claims:claim_note", args=[claim.pk]), {"text": "  "})
    assert response.status_code == 400
    _assert_inline_error(response.content.decode(), "id_note_text")
    partial = client.post(
        reverse("claims:claim_note", args=[claim.pk]), {"text": ""}, HTTP_HX_REQUEST="true"
    )
    assert partial.status_code == 200  # swapped in by htmx, with the error and the focus
    _assert_inline_error(partial.content.decode(), "id_note_text")

    client.force_login(editor)
    in_review = desk["in_review"]
    body = client.post(
        reverse("claims:verdict_send_back", args=[in_review.pk]),
        {"version": in_review.version, "comment": ""},
    ).content.decode()
    _assert_inline_error(body, "id_comment")


def test_article_submission_errors_are_inline_and_focused(client, reviewer):
    client.force_login(reviewer)
    response = client.post(reverse("articles:submit"), {"url": "no address"})
    assert response.status_code == 400
    _assert_inline_error(response.content.decode(), "id_url")
    response = client.post(reverse("articles:submit"), {})
    body = response.content.decode()
    # Only a form-wide error: the message box takes the focus.
    assert re.search(r'role="alert"[^>]*tabindex="-1" autofocus', body)


def test_bulk_action_without_claims_shows_the_queue_again_with_the_error_above_the_bar(
    client, reviewer, desk
):
    client.force_login(reviewer)
    next_url = reverse("claims:queue") + "?language=de"
    response = client.post(
        reverse("claims:queue_bulk"),
        {"action": "dismiss", "reason": "out_of_scope", "next": next_url},
    )
    assert response.status_code == 400
    body = response.content.decode()
    # The form-level message sits right before the bulk bar and takes the focus.
    box = re.search(r'<div class="message message-error"[^>]*data-testid="bulk-errors"[^>]*>', body)
    assert box and 'tabindex="-1" autofocus' in box.group(0)
    assert "Select at least one claim." in body
    assert body.index("bulk-errors") < body.index('class="bulk-bar"')
    assert body.count("autofocus") == 1
    # The user's input is kept: the chosen reason and the queue the user came from.
    assert re.search(r'<option value="out_of_scope" selected>', body)
    assert f'name="next" value="{next_url}"' in body
    assert f'data-queue-url="{next_url}"' in body
    assert desk["new"].__class__.objects.filter(status="dismissed").count() == 0


def test_bulk_assign_to_an_unknown_person_is_shown_beside_the_select(client, reviewer, desk):
    client.force_login(reviewer)
    claim = desk["new"]
    response = client.post(
        reverse("claims:queue_bulk"),
        {"action": "assign", "assignee": "someone", "ids": [claim.pk]},
    )
    assert response.status_code == 400
    body = response.content.decode()
    _assert_inline_error(body, "bulk-assignee")
    assert "Choose a person from the list." in body
    # The ticked claim stays ticked.
    assert re.search(rf'<input type="checkbox" name="ids" value="{claim.pk}"[^>]* checked>', body)
    claim.refresh_from_db()
    assert claim.assignee_id is None


def test_bulk_action_still_works(client, reviewer, desk):
    client.force_login(reviewer)
    claim = desk["new"]
    response = client.post(
        reverse("claims:queue_bulk"), {"action": "assign", "assignee": "me", "ids": [claim.pk]}
    )
    assert response.status_code == 303
    claim.refresh_from_db()
    assert claim.assignee == reviewer


def test_saved_filter_without_a_name_shows_the_error_beside_the_field(client, reviewer, desk):
    client.force_login(reviewer)
    response = client.post(
        reverse("claims:saved_filter_create"), {"name": "   ", "query": "language=de&bogus=1"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    _assert_inline_error(body, "saved-filter-name")
    assert "Give the filter a name." in body
    assert body.count("autofocus") == 1
    # The queue shown is the filtered one the user wanted to save.
    assert re.search(r'name="query" value="language=de" id="saved-filter-query"', body)
    assert 'data-queue-url="/queue/?language=de"' in body
    assert re.search(r'<option value="de" selected>', body)  # the filter form shows it too
    # Page links go to the queue, not to the form's address.
    assert 'href="?' not in body

    long_name = "x" * 101
    response = client.post(reverse("claims:saved_filter_create"), {"name": long_name})
    assert response.status_code == 400
    body = response.content.decode()
    _assert_inline_error(body, "saved-filter-name")
    assert f'value="{long_name}"' in body  # the user's input is kept


def test_speaker_page_forms_show_their_errors_inline(client, editor):
    from claims.models import Speaker
    from tests.factories import ClaimFactory

    speaker = Speaker.objects.create(name="Olaf Scholz")
    claim = ClaimFactory(speaker=speaker)
    client.force_login(editor)

    response = client.post(reverse("claims:speaker_edit", args=[speaker.pk]), {"name": ""})
    assert response.status_code == 400
    body = response.content.decode()
    _assert_inline_error(body, "id_name")
    assert body.count("autofocus") == 1

    # Refused by the service: the form's own message box, focused, keeps the input.
    response = client.post(reverse("claims:speaker_merge", args=[speaker.pk]), {"into": speaker.pk})
    assert response.status_code == 400
    body = response.content.decode()
    box = re.search(r'<div class="message message-error"[^>]*role="alert"[^>]*>', body)
    assert box and 'tabindex="-1" autofocus' in box.group(0)
    assert body.index("message-error") > body.index('data-testid="speaker-merge"')
    assert re.search(
        rf'id="merge_into"[^>]*value="{speaker.pk}"|value="{speaker.pk}"[^>]*id="merge_into"', body
    )

    response = client.post(
        reverse("claims:speaker_alias_add", args=[speaker.pk]),
        {"alias": "der Kanzler", "valid_from": "not a date"},
    )
    assert response.status_code == 400
    _assert_inline_error(response.content.decode(), "alias_valid_from")

    response = client.post(reverse("claims:speaker_split", args=[speaker.pk]), {"name": "X"})
    assert response.status_code == 400
    body = response.content.decode()
    assert re.search(r'id="split_claims-error"[^>]*autofocus', body)
    response = client.post(
        reverse("claims:speaker_split", args=[speaker.pk]), {"claims": [claim.pk], "name": ""}
    )
    body = response.content.decode()
    _assert_inline_error(body, "split_name")
    assert re.search(rf'name="claims" value="{claim.pk}"[^>]* checked>', body)


def test_claim_speaker_correction_error_is_beside_the_field(client, editor, desk):
    claim = desk["new"]
    client.force_login(editor)
    response = client.post(reverse("claims:claim_speaker", args=[claim.pk]), {"speaker": "0"})
    assert response.status_code == 400
    body = response.content.decode()
    _assert_inline_error(body, "claim-speaker")
    assert body.count("autofocus") == 1
    response = client.post(reverse("claims:claim_speaker", args=[claim.pk]), {"speaker": "99999"})
    assert response.status_code == 400
    body = response.content.decode()
    _assert_inline_error(body, "claim-speaker")
    assert re.search(
        r'value="99999"[^>]*id="claim-speaker"|id="claim-speaker"[^>]*value="99999"', body
    )


def test_evidence_refused_by_the_desk_is_shown_beside_the_form(client, reviewer, desk):
    """The service refuses (an ftp address): the page does not open at #evidence with the
    message at its top, but beside the form; when the form is gone (the verdict moved on), the
    message is on top of a page opened at its top."""
    client.force_login(reviewer)
    claim = desk["new"]
    response = client.post(
        reverse("claims:evidence_add", args=[claim.pk]),
        {"url": "ftp://example.org/source", "stance": "refutes"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    box = re.search(r'<div class="message message-error"[^>]*role="alert"[^>]*>', body)
    assert box and 'tabindex="-1" autofocus' in box.group(0)
    assert body.index("message-error") > body.index('class="evidence-form"')
    assert 'value="ftp://example.org/source"' in body

    in_review = desk["in_review"].claim
    response = client.post(
        reverse("claims:evidence_add", args=[in_review.pk]),
        {"url": "https://example.org/source", "stance": "refutes"},
    )
    assert response.status_code == 303
    assert response["Location"] == reverse("claims:claim", args=[in_review.pk])


def test_watchlist_topic_error_is_beside_the_field(client, reviewer):
    client.force_login(reviewer)
    response = client.post(reverse("notifications:follow"), {"kind": "topic", "target": "   "})
    assert response.status_code == 400
    body = response.content.decode()
    _assert_inline_error(body, "topic-words")
    assert body.count("autofocus") == 1
    response = client.post(reverse("notifications:follow"), {"kind": "topic", "target": "Rente"})
    assert response.status_code == 303
    assert response["Location"] == reverse("notifications:watchlist")
