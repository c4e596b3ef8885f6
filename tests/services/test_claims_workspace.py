"""Triage, assignment, notes, saved filters and bulk actions, against the real database."""

import pytest

from claims.exceptions import InvalidInputError, PermissionDeniedError
from claims.models import Claim, SavedFilter
from claims.services.claims import (
    claim_assign,
    claim_dismiss,
    claim_select,
    claims_bulk_assign,
    claims_bulk_dismiss,
)
from claims.services.notes import claim_note_add
from claims.services.saved_filters import saved_filter_delete, saved_filter_save
from tests.factories import ClaimFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_select_and_dismiss_with_reason(reviewer):
    claim = ClaimFactory()
    claim_select(actor=reviewer, claim_id=claim.pk)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.SELECTED
    claim_dismiss(actor=reviewer, claim_id=claim.pk, reason=Claim.DismissReason.OPINION)
    claim.refresh_from_db()
    assert (claim.status, claim.dismiss_reason) == ("dismissed", "opinion")
    # Selecting again clears the reason.
    claim_select(actor=reviewer, claim_id=claim.pk)
    claim.refresh_from_db()
    assert (claim.status, claim.dismiss_reason) == ("selected", "")


def test_dismiss_needs_a_known_reason(reviewer):
    claim = ClaimFactory()
    with pytest.raises(InvalidInputError):
        claim_dismiss(actor=reviewer, claim_id=claim.pk, reason="boring")
    claim.refresh_from_db()
    assert claim.status == Claim.Status.NEW


def test_claims_in_review_cannot_be_dismissed(reviewer):
    claim = ClaimFactory(status=Claim.Status.IN_REVIEW)
    with pytest.raises(InvalidInputError):
        claim_dismiss(actor=reviewer, claim_id=claim.pk, reason="opinion")


@pytest.mark.parametrize("who", ["anonymous", "nobody"])
def test_triage_needs_the_reviewer_role(who, nobody):
    from django.contrib.auth.models import AnonymousUser

    actor = AnonymousUser() if who == "anonymous" else nobody
    claim = ClaimFactory()
    with pytest.raises(PermissionDeniedError):
        claim_select(actor=actor, claim_id=claim.pk)
    with pytest.raises(PermissionDeniedError):
        claim_note_add(actor=actor, claim_id=claim.pk, text="x")
    with pytest.raises(PermissionDeniedError):
        claims_bulk_dismiss(actor=actor, claim_ids=[claim.pk], reason="opinion")


def test_assign_to_reviewers_only(reviewer, second_reviewer, nobody):
    claim = ClaimFactory()
    claim_assign(actor=reviewer, claim_id=claim.pk, assignee_id=second_reviewer.pk)
    claim.refresh_from_db()
    assert claim.assignee == second_reviewer
    with pytest.raises(InvalidInputError):
        claim_assign(actor=reviewer, claim_id=claim.pk, assignee_id=nobody.pk)
    claim_assign(actor=reviewer, claim_id=claim.pk, assignee_id=None)
    claim.refresh_from_db()
    assert claim.assignee is None


def test_bulk_dismiss_skips_claims_under_way_and_records_history(reviewer):
    fresh = ClaimFactory.create_batch(3)
    busy = ClaimFactory(status=Claim.Status.IN_REVIEW)
    count = claims_bulk_dismiss(
        actor=reviewer, claim_ids=[c.pk for c in fresh] + [busy.pk], reason="out_of_scope"
    )
    assert count == 3
    assert Claim.objects.filter(status="dismissed", dismiss_reason="out_of_scope").count() == 3
    busy.refresh_from_db()
    assert busy.status == Claim.Status.IN_REVIEW
    # Each dismissal is in the audit history with who did it.
    record = Claim.history.filter(id=fresh[0].pk).latest("history_date")
    assert record.status == "dismissed"


def test_bulk_assign(reviewer, second_reviewer):
    claims = ClaimFactory.create_batch(4)
    count = claims_bulk_assign(
        actor=reviewer, claim_ids=[c.pk for c in claims], assignee_id=second_reviewer.pk
    )
    assert count == 4
    assert Claim.objects.filter(assignee=second_reviewer).count() == 4


def test_bulk_needs_a_selection(reviewer):
    with pytest.raises(InvalidInputError):
        claims_bulk_assign(actor=reviewer, claim_ids=[], assignee_id=None)


def test_notes_are_stripped_and_not_empty(reviewer):
    claim = ClaimFactory()
    note = claim_note_add(actor=reviewer, claim_id=claim.pk, text="  <b>Called</b> the ministry ")
    assert note.text == "<b>Called</b> the ministry"
    assert note.author == reviewer
    with pytest.raises(InvalidInputError):
        claim_note_add(actor=reviewer, claim_id=claim.pk, text="   ")


def test_saved_filters_keep_queue_parameters_only(reviewer, second_reviewer):
    saved = saved_filter_save(
        actor=reviewer, name="German quantities", query="language=de&claim_type=quantity&evil=1"
    )
    assert saved.query == "language=de&claim_type=quantity"
    # Same name replaces.
    saved_filter_save(actor=reviewer, name="German quantities", query="language=de")
    assert SavedFilter.objects.get(user=reviewer).query == "language=de"
    with pytest.raises(PermissionDeniedError):
        saved_filter_delete(actor=second_reviewer, filter_id=saved.pk)
    saved_filter_delete(actor=reviewer, filter_id=saved.pk)
    assert not SavedFilter.objects.exists()


def test_inactive_user_is_refused():
    user = UserFactory(username="gone", roles=["reviewer"], is_active=False)
    with pytest.raises(PermissionDeniedError):
        claim_select(actor=user, claim_id=ClaimFactory().pk)
