"""Matching services against the real database: grouping, suggestions, the shared index (the
reviewers' decisions on them: test_group_decisions.py)."""

from __future__ import annotations

import pytest
from django.db import connection

from claims.models import Claim, ClaimGroup, ClaimMatch
from claims.services.matching import (
    article_claims_match,
    claims_embed,
    shared_index,
    vector_index_update,
)
from tests.factories import ArticleFactory, ClaimFactory
from tests.matching.factories import (
    MISSILES,
    MISSILES_AGAIN,
    SANCTIONS,
    UNRELATED,
    claim_in_new_article,
    grouped,
)

pytestmark = pytest.mark.django_db


def test_a_repeat_in_another_article_joins_a_new_group(matching_settings):
    first = claim_in_new_article(MISSILES)
    other = ClaimFactory(article=first.article, text=SANCTIONS)
    assert article_claims_match(article_id=first.article_id) == []
    first.refresh_from_db()
    assert first.group is None  # nobody repeats it yet: no group
    assert first.embedding is not None and len(first.embedding) == 512 * 4

    repeat = claim_in_new_article(MISSILES_AGAIN)
    outcomes = article_claims_match(article_id=repeat.article_id)

    repeat.refresh_from_db()
    first.refresh_from_db()
    other.refresh_from_db()
    assert outcomes[0].joined_group_id == repeat.group_id is not None
    assert repeat.embedding is not None  # stored in the transaction of its match
    assert first.group_id == repeat.group_id
    assert other.group_id is None
    assert repeat.group.representative_id == first.pk  # the earliest appearance
    match = ClaimMatch.objects.get(claim=repeat)
    assert match.level == ClaimMatch.Level.CONFIRMED
    assert match.decision == ClaimMatch.Decision.ACCEPTED
    assert "similar" in match.reason and match.signals["semantic"] > 0.9
    history = repeat.history.first()
    assert history.group_id == repeat.group_id
    assert history.history_change_reason.startswith(f"matched claim {first.pk}")
    assert history.history_type == "~" and history.history_user is None  # the worker
    assert history.text == repeat.text and history.status == repeat.status  # a full snapshot
    joined = first.history.first()  # the earlier claim moved into the new group, too
    assert (joined.group_id, joined.history_type) == (first.group_id, "~")
    assert joined.history_change_reason.startswith(f"matched claim {first.pk}")
    assert repeat.group.history.count() == 1  # created with its first appearance


def test_claims_of_the_same_article_never_match_each_other(matching_settings):
    article = ArticleFactory()
    ClaimFactory(article=article, text=MISSILES)
    ClaimFactory(article=article, text=MISSILES)
    assert article_claims_match(article_id=article.pk) == []
    assert not Claim.objects.filter(group__isnull=False).exists()
    assert not ClaimMatch.objects.exists()


def test_claims_below_the_checkworthiness_threshold_are_not_matched(matching_settings):
    first = claim_in_new_article(MISSILES)
    article_claims_match(article_id=first.article_id)
    low = claim_in_new_article(MISSILES, checkworthy=False, score=0.2)
    assert article_claims_match(article_id=low.article_id) == []
    low.refresh_from_db()
    assert low.embedding is None and low.group_id is None


def test_matching_twice_changes_nothing(matching_settings):
    first = claim_in_new_article(MISSILES)
    article_claims_match(article_id=first.article_id)
    repeat = claim_in_new_article(MISSILES_AGAIN)
    article_claims_match(article_id=repeat.article_id)
    state = sorted(Claim.objects.values_list("pk", "group_id"))
    matches = ClaimMatch.objects.count()
    groups = ClaimGroup.objects.count()
    history = Claim.history.count()

    article_claims_match(article_id=repeat.article_id)
    article_claims_match(article_id=first.article_id)

    assert sorted(Claim.objects.values_list("pk", "group_id")) == state
    assert ClaimMatch.objects.count() == matches == 1
    assert ClaimGroup.objects.count() == groups == 1
    assert Claim.history.count() == history


def test_a_third_repeat_joins_the_existing_group(matching_settings):
    claims = []
    for text in (MISSILES, MISSILES_AGAIN, MISSILES + " Das sei ein Erfolg."):
        claims.append(claim_in_new_article(text))
        article_claims_match(article_id=claims[-1].article_id)
    groups = {c.group_id for c in Claim.objects.all()}
    assert len(groups) == 1 and None not in groups
    assert ClaimGroup.objects.count() == 1


def test_an_ungrouped_repeat_is_pulled_into_the_claims_group(matching_settings):
    """Two earlier copies, one already grouped with something else: the new one joins that group
    and the other ungrouped copy follows it there (confirmed means "same group")."""
    grouped_copy = claim_in_new_article(MISSILES)
    partner = claim_in_new_article(MISSILES_AGAIN)
    group = grouped(grouped_copy, partner)
    article_claims_match(article_id=grouped_copy.article_id)
    article_claims_match(article_id=partner.article_id)
    new = claim_in_new_article(MISSILES)
    article_claims_match(article_id=new.article_id)
    new.refresh_from_db()
    assert new.group_id == group.pk


def test_a_medium_score_becomes_a_pending_suggestion(settings):
    settings.CLAIMTRACKER_MATCHING = {"CONFIRMED": 0.9999, "SUGGESTED": 0.05}
    first = claim_in_new_article(MISSILES)
    article_claims_match(article_id=first.article_id)
    repeat = claim_in_new_article(MISSILES_AGAIN)
    outcomes = article_claims_match(article_id=repeat.article_id)
    first.refresh_from_db()
    repeat.refresh_from_db()
    assert repeat.group_id is None
    assert first.group_id is not None  # created lazily for the suggestion
    assert outcomes[0].suggested_group_ids == (first.group_id,)
    match = ClaimMatch.objects.get(claim=repeat)
    assert (match.level, match.decision) == ("suggested", "pending")
    assert match.group_id == first.group_id


def test_nothing_is_stored_below_the_suggestion_threshold(matching_settings):
    first = claim_in_new_article(MISSILES)
    article_claims_match(article_id=first.article_id)
    unrelated = claim_in_new_article(UNRELATED)
    assert article_claims_match(article_id=unrelated.article_id) == []
    assert not ClaimMatch.objects.exists() and not ClaimGroup.objects.exists()


def test_a_deleted_claim_is_never_matched(matching_settings):
    first = claim_in_new_article(MISSILES)
    article_claims_match(article_id=first.article_id)
    vector_index_update()
    first.article.delete()
    repeat = claim_in_new_article(MISSILES_AGAIN)
    assert str(first.pk) in shared_index()  # the index still has it: the database decides
    assert article_claims_match(article_id=repeat.article_id) == []
    assert not ClaimGroup.objects.exists()
    vector_index_update()
    assert str(first.pk) not in shared_index()  # dropped by the next generation


def test_the_shared_index_keeps_in_step_with_the_database(matching_settings):
    early = claim_in_new_article(MISSILES)  # stored, embedded only later (a backfill)
    gone = claim_in_new_article(SANCTIONS)
    new = claim_in_new_article(UNRELATED)
    claims_embed(claims=[gone, new])
    first = vector_index_update()
    index = shared_index()
    assert str(gone.pk) in index and str(new.pk) in index and str(early.pk) not in index
    assert first.high_water == new.pk

    claims_embed(claims=[early])
    gone_id = str(gone.pk)
    gone.delete()
    later = claim_in_new_article(MISSILES_AGAIN)
    claims_embed(claims=[later])
    assert shared_index().high_water == new.pk  # readers see the new generation only once written
    second = vector_index_update()
    index = shared_index()
    assert second.number == first.number + 1 and second.high_water == later.pk
    assert str(early.pk) in index and str(later.pk) in index and gone_id not in index
    assert len(index) == 3
    assert vector_index_update() is None  # nothing changed: no new generation


def test_claims_newer_than_the_index_are_found_by_the_exact_scan(matching_settings):
    first = claim_in_new_article(MISSILES)
    claims_embed(claims=[first])
    vector_index_update()
    second = claim_in_new_article(SANCTIONS)  # above the high-water mark
    claims_embed(claims=[second])
    repeat = claim_in_new_article(
        "Laut Pompeo waren die US-Sanktionen der Hauptgrund für das Ende des Gipfels."
    )
    outcomes = article_claims_match(article_id=repeat.article_id)
    assert shared_index().high_water == first.pk  # no generation was written for the search
    second.refresh_from_db()
    assert outcomes and second.group_id == outcomes[0].joined_group_id is not None


def test_thresholds_come_from_settings_with_the_cores_defaults(settings):
    from claims.nlp.matching import MatchConfig
    from claims.services.matching import match_config

    core = MatchConfig()
    settings.CLAIMTRACKER_MATCHING = {"CONFIRMED": None, "SUGGESTED": None}
    assert (match_config().confirmed, match_config().suggested) == (core.confirmed, core.suggested)
    settings.CLAIMTRACKER_MATCHING = {"CONFIRMED": 0.97, "SUGGESTED": 0.61}
    assert (match_config().confirmed, match_config().suggested) == (0.97, 0.61)
    assert match_config().weights == core.weights


@pytest.mark.skipif(
    connection.vendor == "postgresql",
    reason="the word postings are written for the SQLite fallback; PostgreSQL uses full text",
)
def test_in_memory_lexical_candidates_rank_shared_rare_words(matching_settings):
    from claims.services.matching import lexical_candidates_memory

    rare = claim_in_new_article("Pompeo nannte die Sanktionen den Hauptgrund.")
    common = claim_in_new_article("Die Regierung sprach mit Journalisten über die Lage.")
    claims_embed(claims=[rare, common])
    vector_index_update()
    query = "Pompeo zufolge waren die Sanktionen der Hauptgrund."
    # budget 1: only the rarest known word is searched ("die" is in both claims)
    assert lexical_candidates_memory(text=query, exclude=[], limit=5, budget=1) == [str(rare.pk)]
    assert lexical_candidates_memory(text=query, exclude=[str(rare.pk)], limit=5, budget=1) == []
    everything = lexical_candidates_memory(text=query, exclude=[], limit=5, budget=100)
    assert everything == [str(rare.pk), str(common.pk)]


def test_a_suggestion_that_now_scores_confirmed_is_settled(settings):
    settings.CLAIMTRACKER_MATCHING = {"CONFIRMED": 0.9999, "SUGGESTED": 0.05}
    first = claim_in_new_article(MISSILES)
    article_claims_match(article_id=first.article_id)
    repeat = claim_in_new_article(MISSILES_AGAIN)
    article_claims_match(article_id=repeat.article_id)
    assert ClaimMatch.objects.get(claim=repeat).decision == "pending"

    settings.CLAIMTRACKER_MATCHING = {"CONFIRMED": 0.5, "SUGGESTED": 0.05}
    article_claims_match(article_id=repeat.article_id)

    repeat.refresh_from_db()
    match = ClaimMatch.objects.get(claim=repeat)
    assert (match.decision, match.level) == ("accepted", "confirmed")
    assert repeat.group_id == match.group_id


def test_the_migration_creates_exactly_the_indexes_the_query_needs():
    import importlib

    from claims.services.matching import FTS_INDEXES_DROP_SQL, FTS_INDEXES_SQL

    migration = importlib.import_module("claims.migrations.0020_claim_text_tsv")
    assert set(FTS_INDEXES_SQL) == set(migration.INDEXES)
    assert {s.replace("tsv", "fts") for s in FTS_INDEXES_DROP_SQL} <= set(migration.CREATE)
