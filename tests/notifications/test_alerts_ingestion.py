"""The measure of issue #16: a repeat of a published false claim, written as a new article in
German and in English, raises exactly one alert per follower within that article's ingestion
(the real pipeline: extraction, matching, then the alert task, each queued after commit)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings

from claims.models import Article, Claim, Notification
from claims.services.ingestion import article_submit
from claims.services.matching import matching_index_reset
from claims.services.watch import watch_rule_add
from tests.desk_steps import rate_and_publish
from tests.factories import PublishedVerdictFactory, UserFactory

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

pytestmark = pytest.mark.django_db

GERMAN_REPEAT = (
    "Beim Wahlkampfauftritt in Ohio wiederholte Donald Trump eine Behauptung über Nordkorea. "
    "Nordkorea habe seit mehr als einem Jahr keine Atomwaffen und Raketen mehr getestet, "
    "sagte Trump. Seine Anhänger applaudierten."
)
ENGLISH_REPEAT = (
    "Trump left the summit in Hanoi without an agreement. "
    "He said he appreciated that North Korea has not tested nuclear weapons or missiles "
    "for more than a year. Reporters asked him about sanctions."
)


@pytest.fixture
def seed_text() -> str:
    path = Path(str(settings.CLAIMTRACKER_SEED_DIR)) / "hanoi-summit-de.txt"
    if not path.exists():
        pytest.skip(f"seed article not found at {path} (set CLAIMTRACKER_SEED_DIR)")
    return path.read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def fresh_index(settings):
    settings.CLAIMTRACKER_MATCHING_ENABLED = True
    settings.CLAIMTRACKER_MATCHING = {}  # the core's own thresholds
    matching_index_reset()
    yield
    matching_index_reset()


def ingest(text: str, url: str, capture) -> Article:
    """Submit; every task runs (eagerly) when the transaction that queued it commits."""
    with capture(execute=True):
        article = article_submit(source=Article.Source.TEXT, url=url, text=text)
    article.refresh_from_db()
    assert article.status == Article.Status.DONE and article.matched_at is not None
    return article


def test_a_repeat_in_german_and_english_alerts_each_follower_once(
    seed_text, rating_scale, editor, django_capture_on_commit_callbacks
):
    follower = UserFactory(username="fiona", roles=["reviewer"])
    bystander = UserFactory(username="ben", roles=["reviewer"])
    original = ingest(seed_text, "https://zeit.example/hanoi", django_capture_on_commit_callbacks)
    main = original.claims.get(text__contains="seit mehr als einem Jahr keine Atomwaffen")
    PublishedVerdictFactory(claim=main, rating_label=rating_scale.labels.get(name="False"))
    Claim.objects.filter(pk=main.pk).update(status=Claim.Status.PUBLISHED)
    assert not Notification.objects.filter(kind="alert_repeat").exists()

    # The follower follows the checked claim's group (the claim page's Follow button); a group
    # is made by the first repeat, so before it exists they follow the claim's topic instead.
    watch_rule_add(user=follower, kind="topic", topic="Nordkorea Atomwaffen")
    for text, url in (
        (GERMAN_REPEAT, "https://spiegel.example/ohio"),
        (ENGLISH_REPEAT, "https://news.example/hanoi-en"),
    ):
        article = ingest(text, url, django_capture_on_commit_callbacks)
        repeat = article.claims.get(checkworthy=True, text__iregex=r"(Jahr|year)")
        for user in (follower, editor):
            alerts = Notification.objects.filter(recipient=user, url=f"/claims/{repeat.pk}/")
            assert list(alerts.values_list("kind", flat=True)) == ["alert_repeat"], (url, user)
        assert not Notification.objects.filter(recipient=bystander).exists()
        # the group now exists: follow it too, the next repeat still alerts once
        main.refresh_from_db()
        if main.group_id:
            watch_rule_add(user=follower, kind="group", group=main.group)
    per_claim = Notification.objects.filter(recipient=follower, kind="alert_repeat")
    assert per_claim.count() == 2


def test_a_checked_claim_not_ranked_check_worthy_is_matched_once_published(
    rating_scale, editor, reviewer, django_capture_on_commit_callbacks
):
    """A desk may check a claim the extraction did not rank check-worthy; matching embeds only
    check-worthy claims, so publishing its verdict embeds it (claim_embed_task) and a repeat
    still alerts (this was the largest miss class on the dev sets, bench/alerts_repeat_eval.py)."""

    original = ingest(
        "Leser fragten nach einer Behauptung aus dem Netz. Nordkorea habe seit mehr als einem "
        "Jahr keine Atomwaffen und Raketen mehr getestet. Sie erschien im vergangenen Monat.",
        "https://desk.example/1",
        django_capture_on_commit_callbacks,
    )
    checked = original.claims.get(text__contains="Atomwaffen")
    Claim.objects.filter(pk=checked.pk).update(checkworthy=False, embedding=None)
    with django_capture_on_commit_callbacks(execute=True):
        rate_and_publish(
            claim=checked,
            reviewer=reviewer,
            editor=editor,
            label=rating_scale.labels.get(name="False"),
            summary="Falsch.",
        )
    checked.refresh_from_db()
    assert checked.embedding is not None

    article = ingest(
        GERMAN_REPEAT, "https://spiegel.example/ohio", django_capture_on_commit_callbacks
    )
    repeat = article.claims.get(checkworthy=True, text__contains="Jahr")
    alerts = Notification.objects.filter(recipient=editor, url=f"/claims/{repeat.pk}/")
    assert list(alerts.values_list("kind", flat=True)) == ["alert_repeat"]
