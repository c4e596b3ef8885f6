"""Reviewers' speaker operations: merge, split, corrections, edits; history and roles."""

from __future__ import annotations

from datetime import date

import pytest

from claims.exceptions import InvalidInputError, PermissionDeniedError
from claims.models import Claim, Speaker, SpeakerAlias
from claims.services.speaker_review import (
    claim_speaker_set,
    speaker_alias_add,
    speaker_merge,
    speaker_split,
    speaker_update,
)
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


def test_merge_moves_claims_and_aliases_and_keeps_the_name_as_alias(reviewer):
    target = Speaker.objects.create(name="Olaf Scholz")
    source = Speaker.objects.create(
        name="O. Scholz", role="Bundeskanzler", status=Speaker.Status.PROPOSED
    )
    SpeakerAlias.objects.create(speaker=source, alias="Scholz")
    SpeakerAlias.objects.create(speaker=target, alias="scholz")  # the same alias: kept once
    claims = [ClaimFactory(speaker=source), ClaimFactory(speaker=source)]

    merged = speaker_merge(actor=reviewer, speaker_id=source.pk, into_id=target.pk)

    assert merged == target
    assert not Speaker.objects.filter(pk=source.pk).exists()
    assert {c.speaker_id for c in Claim.objects.filter(pk__in=[c.pk for c in claims])} == {
        target.pk
    }
    assert sorted(target.aliases.values_list("alias", flat=True)) == ["O. Scholz", "scholz"]
    target.refresh_from_db()
    assert target.role == "Bundeskanzler"  # what the target lacked
    # history: the claims' moves and the deleted speaker, with the reviewer
    moved = Claim.history.filter(id=claims[0].pk).latest("history_date")
    assert moved.speaker_id == target.pk and moved.history_user == reviewer
    assert "merged" in moved.history_change_reason
    gone = Speaker.history.filter(id=source.pk).latest("history_date")
    assert gone.history_type == "-" and gone.history_user == reviewer


def test_merge_into_itself_is_refused(reviewer):
    speaker = Speaker.objects.create(name="A B")
    with pytest.raises(InvalidInputError):
        speaker_merge(actor=reviewer, speaker_id=speaker.pk, into_id=speaker.pk)


def test_split_moves_the_chosen_claims_to_a_new_speaker(reviewer):
    speaker = Speaker.objects.create(name="Michael Müller")
    keep = ClaimFactory(speaker=speaker)
    move = ClaimFactory(speaker=speaker)

    new = speaker_split(
        actor=reviewer,
        speaker_id=speaker.pk,
        claim_ids=[move.pk],
        name="Michael Müller",
        role="Regierender Bürgermeister",
    )

    assert list(new.claims.all()) == [Claim.objects.get(pk=move.pk)]
    assert list(speaker.claims.all()) == [Claim.objects.get(pk=keep.pk)]
    assert new.status == Speaker.Status.CONFIRMED
    assert Claim.history.filter(id=move.pk).latest("history_date").history_user == reviewer


def test_split_refuses_claims_of_another_speaker(reviewer):
    speaker = Speaker.objects.create(name="A B")
    foreign = ClaimFactory(speaker=Speaker.objects.create(name="C D"))
    with pytest.raises(InvalidInputError):
        speaker_split(actor=reviewer, speaker_id=speaker.pk, claim_ids=[foreign.pk], name="X")
    assert Speaker.objects.count() == 2


def test_correcting_a_claims_speaker_is_kept_in_history(editor):
    wrong = Speaker.objects.create(name="Wrong One")
    right = Speaker.objects.create(name="Right One")
    claim = ClaimFactory(speaker=wrong)

    claim_speaker_set(actor=editor, claim_id=claim.pk, speaker_id=right.pk)
    claim.refresh_from_db()
    assert claim.speaker == right
    claim_speaker_set(actor=editor, claim_id=claim.pk, speaker_id=None)
    claim.refresh_from_db()
    assert claim.speaker is None
    speakers = [h.speaker_id for h in Claim.history.filter(id=claim.pk).order_by("history_date")]
    assert speakers[-2:] == [right.pk, None]


def test_edit_confirms_and_validates_the_qid(reviewer):
    speaker = Speaker.objects.create(name="olaf scholz", status=Speaker.Status.PROPOSED)

    speaker_update(
        actor=reviewer,
        speaker_id=speaker.pk,
        name="Olaf Scholz",
        kind=Speaker.Kind.PERSON,
        role="Bundeskanzler",
        organisation="SPD",
        wikidata_qid="q61053",
    )
    speaker.refresh_from_db()
    assert (speaker.name, speaker.wikidata_qid, speaker.status) == (
        "Olaf Scholz",
        "Q61053",
        Speaker.Status.CONFIRMED,
    )
    assert speaker.history.latest("history_date").history_user == reviewer

    with pytest.raises(InvalidInputError):
        speaker_update(
            actor=reviewer,
            speaker_id=speaker.pk,
            name="Olaf Scholz",
            kind=Speaker.Kind.PERSON,
            wikidata_qid="https://wikidata.org/Q61053",
        )


def test_alias_span_must_be_ordered(reviewer):
    speaker = Speaker.objects.create(name="Olaf Scholz")
    with pytest.raises(InvalidInputError):
        speaker_alias_add(
            actor=reviewer,
            speaker_id=speaker.pk,
            alias="der Bundeskanzler",
            valid_from=date(2025, 1, 1),
            valid_until=date(2024, 1, 1),
        )
    alias = speaker_alias_add(
        actor=reviewer,
        speaker_id=speaker.pk,
        alias="der Bundeskanzler",
        valid_from=date(2021, 12, 8),
    )
    assert alias.speaker == speaker


def test_only_reviewers_and_editors_change_speakers(nobody):
    speaker = Speaker.objects.create(name="A B")
    other = Speaker.objects.create(name="C D")
    with pytest.raises(PermissionDeniedError):
        speaker_merge(actor=nobody, speaker_id=speaker.pk, into_id=other.pk)
    assert Speaker.objects.count() == 2


def test_admin_lists_speakers_and_merges_through_the_service(client, admin_user):
    oldest = Speaker.objects.create(name="Olaf Scholz")
    newer = Speaker.objects.create(name="Scholz", status=Speaker.Status.PROPOSED)
    claim = ClaimFactory(speaker=newer)
    client.force_login(admin_user)

    assert client.get("/admin/claims/speaker/?q=scholz").status_code == 200
    assert client.get(f"/admin/claims/speaker/{oldest.pk}/change/").status_code == 200
    assert client.get(f"/admin/claims/speaker/{oldest.pk}/history/").status_code == 200
    client.post(
        "/admin/claims/speaker/",
        {"action": "merge_into_oldest", "_selected_action": [oldest.pk, newer.pk]},
        follow=True,
    )

    claim.refresh_from_db()
    assert claim.speaker == oldest
    assert list(oldest.aliases.values_list("alias", flat=True)) == ["Scholz"]
