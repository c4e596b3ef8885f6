"""Migration 0017: saved queue filters keep selecting the same claims after the score scale moved
from 0–1 to 0–100 in the workspace."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("claims", "0016_notification_language_thresholds")]
AFTER = [("claims", "0017_saved_filter_min_score_percent")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_min_score_becomes_a_percentage_and_back():
    apps = _migrate(BEFORE)
    User = apps.get_model("auth", "User")
    SavedFilter = apps.get_model("claims", "SavedFilter")
    user = User.objects.create(username="rita")
    kept = SavedFilter.objects.create(
        user=user, name="de, strong", query="language=de&min_score=0.75"
    )
    other = SavedFilter.objects.create(user=user, name="mine", query="assignee=me&status=new")
    odd = SavedFilter.objects.create(user=user, name="odd", query="min_score=abc&sort=score")

    apps = _migrate(AFTER)
    SavedFilter = apps.get_model("claims", "SavedFilter")
    assert SavedFilter.objects.get(pk=kept.pk).query == "language=de&min_score=75"
    assert SavedFilter.objects.get(pk=other.pk).query == "assignee=me&status=new"
    assert SavedFilter.objects.get(pk=odd.pk).query == "min_score=abc&sort=score"

    apps = _migrate(BEFORE)
    SavedFilter = apps.get_model("claims", "SavedFilter")
    assert SavedFilter.objects.get(pk=kept.pk).query == "language=de&min_score=0.75"
    _migrate(AFTER)
