"""A reviewer's and an editor's decisions on matching: confirm or reject a suggestion, merge two
claim groups, split a claim out of one (services against the real database, with rights)."""

from __future__ import annotations

import pytest

from claims.exceptions import InvalidInputError, PermissionDeniedError
from claims.models import Claim, ClaimGroup, ClaimMatch
from claims.selectors.groups import already_checked, group_verdict
from claims.services.matching import (
    article_claims_match,
    claim_group_split,
    claim_groups_merge,
    claim_match_confirm,
    claim_match_reject,
)
from tests.factories import ArticleFactory, ClaimFactory, PublishedVerdictFactory
from tests.matching.factories import (
    MISSILES,
    MISSILES_AGAIN,
    SANCTIONS,
    ClaimMatchFactory,
    claim_in_new_article,
    grouped,
)

pytestmark = pytest.mark.django_db


def test_confirming_a_suggestion_moves_the_claim(reviewer):
    target = grouped(claim_in_new_article(MISSILES))
    match = ClaimMatchFactory(group=target, claim=claim_in_new_article(MISSILES_AGAIN))

    claim_match_confirm(actor=reviewer, match_id=match.pk)

    match.refresh_from_db()
    assert match.decision == "accepted" and match.decided_by == reviewer
    assert match.decided_at is not None
    claim = Claim.objects.get(pk=match.claim_id)
    assert claim.group_id == target.pk
    record = claim.history.first()
    assert record.history_user == reviewer
    assert "confirmed match" in record.history_change_reason
    # twice is fine (a double key press)
    claim_match_confirm(actor=reviewer, match_id=match.pk)


def test_confirming_into_a_checked_group_makes_the_claim_already_checked(reviewer):
    checked = claim_in_new_article(MISSILES, status=Claim.Status.PUBLISHED)
    verdict = PublishedVerdictFactory(claim=checked)
    group = grouped(checked)
    repeat = claim_in_new_article(MISSILES_AGAIN)
    assert already_checked(repeat) is None
    match = ClaimMatchFactory(group=group, claim=repeat)
    claim_match_confirm(actor=reviewer, match_id=match.pk)
    repeat.refresh_from_db()
    assert already_checked(repeat) == verdict
    assert group_verdict(group) == verdict


def test_rejecting_a_suggestion_keeps_it_from_coming_back(reviewer, settings):
    settings.CLAIMTRACKER_MATCHING = {"CONFIRMED": 0.9999, "SUGGESTED": 0.05}
    first = claim_in_new_article(MISSILES)
    article_claims_match(article_id=first.article_id)
    repeat = claim_in_new_article(MISSILES_AGAIN)
    article_claims_match(article_id=repeat.article_id)
    match = ClaimMatch.objects.get(claim=repeat)

    claim_match_reject(actor=reviewer, match_id=match.pk)
    settings.CLAIMTRACKER_MATCHING = {"CONFIRMED": 0.5, "SUGGESTED": 0.05}
    article_claims_match(article_id=repeat.article_id)

    match.refresh_from_db()
    repeat.refresh_from_db()
    assert match.decision == "rejected" and match.decided_by == reviewer
    assert repeat.group_id is None
    assert ClaimMatch.objects.count() == 1
    with pytest.raises(InvalidInputError):
        claim_match_confirm(actor=reviewer, match_id=match.pk)


def test_only_people_who_work_claims_decide_suggestions(nobody):
    match = ClaimMatchFactory()
    with pytest.raises(PermissionDeniedError):
        claim_match_confirm(actor=nobody, match_id=match.pk)
    with pytest.raises(PermissionDeniedError):
        claim_match_reject(actor=nobody, match_id=match.pk)
    match.refresh_from_db()
    assert match.decision == "pending"


def test_merge_moves_claims_matches_and_verdicts(editor):
    checked = claim_in_new_article(MISSILES)
    verdict = PublishedVerdictFactory(claim=checked)
    source = grouped(checked, claim_in_new_article(MISSILES))
    verdict.group = source
    verdict.save()
    early = ArticleFactory(published_at=checked.article.published_at.replace(year=2019))
    target = grouped(
        claim_in_new_article(MISSILES_AGAIN), ClaimFactory(article=early, text=MISSILES)
    )
    pending = ClaimMatchFactory(group=source)

    merged = claim_groups_merge(actor=editor, source=source, target=target)

    assert merged.pk == target.pk
    assert not ClaimGroup.objects.filter(pk=source.pk).exists()
    assert Claim.objects.filter(group=target).count() == 4
    assert merged.representative.article_id == early.pk  # earliest publication
    verdict.refresh_from_db()
    assert verdict.group_id == target.pk
    pending.refresh_from_db()
    assert pending.group_id == target.pk
    record = checked.history.first()
    assert record.history_user == editor
    assert record.history_change_reason == f"merged group {source.pk} into group {target.pk}"
    assert ClaimGroup.history.filter(id=source.pk, history_type="-").exists()


def test_merge_needs_an_editor_and_two_groups(reviewer, editor):
    a = grouped(claim_in_new_article(MISSILES))
    b = grouped(claim_in_new_article(SANCTIONS))
    with pytest.raises(PermissionDeniedError):
        claim_groups_merge(actor=reviewer, source=a, target=b)
    with pytest.raises(InvalidInputError):
        claim_groups_merge(actor=editor, source=a, target=a)
    assert ClaimGroup.objects.count() == 2


def test_merge_refuses_two_published_verdicts(editor):
    a_claim = claim_in_new_article(MISSILES)
    b_claim = claim_in_new_article(MISSILES_AGAIN)
    PublishedVerdictFactory(claim=a_claim)
    PublishedVerdictFactory(claim=b_claim)
    a, b = grouped(a_claim), grouped(b_claim)
    with pytest.raises(InvalidInputError, match="published verdict"):
        claim_groups_merge(actor=editor, source=a, target=b)


def test_split_takes_a_claim_out_for_good(reviewer, matching_settings):
    first = claim_in_new_article(MISSILES)
    article_claims_match(article_id=first.article_id)
    repeat = claim_in_new_article(MISSILES_AGAIN)
    article_claims_match(article_id=repeat.article_id)
    repeat.refresh_from_db()
    group_id = repeat.group_id
    assert group_id is not None

    claim_group_split(actor=reviewer, claim=repeat)
    article_claims_match(article_id=repeat.article_id)  # matching again must not undo it

    repeat.refresh_from_db()
    assert repeat.group_id is None
    assert ClaimMatch.objects.get(claim=repeat, group_id=group_id).decision == "rejected"
    record = repeat.history.first()
    assert record.history_user == reviewer
    assert record.history_change_reason == f"split out of group {group_id}"
    first.refresh_from_db()
    assert first.group_id == group_id
    assert first.group.representative_id == first.pk


def test_split_of_the_representative_moves_the_representative(reviewer):
    rep, other = claim_in_new_article(MISSILES), claim_in_new_article(MISSILES_AGAIN)
    verdict = PublishedVerdictFactory(claim=rep)
    group = grouped(rep, other)
    verdict.group = group
    verdict.save()
    claim_group_split(actor=reviewer, claim=rep)
    group.refresh_from_db()
    verdict.refresh_from_db()
    assert group.representative_id == other.pk
    assert verdict.group_id is None  # the verdict leaves with its claim


def test_split_rules(reviewer, nobody):
    alone = claim_in_new_article(MISSILES)
    with pytest.raises(InvalidInputError):
        claim_group_split(actor=reviewer, claim=alone)
    grouped(alone)
    with pytest.raises(InvalidInputError, match="only one"):
        claim_group_split(actor=reviewer, claim=alone)
    pair = grouped(claim_in_new_article(SANCTIONS), claim_in_new_article(SANCTIONS))
    with pytest.raises(PermissionDeniedError):
        claim_group_split(actor=nobody, claim=pair.representative)
