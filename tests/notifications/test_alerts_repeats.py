"""Repeats of a published false verdict that matching alone misses (issue #16): the repeating
sentence is not ranked check-worthy, so matching never looks at it; the alert evaluation scores
every unit of the new article against the published false verdicts' own claims
(claims.services.alerts_repeats). Real pipeline: extraction, matching and the alert task, each
run when the transaction that queued it commits."""

from __future__ import annotations

import os
import threading

import pytest
from django.db import connection, connections

from claims.claimreview import verdict_public_url
from claims.models import Article, ArticleAlertRun, Notification, Outlet, Verdict
from claims.services.alerts import article_alerts_evaluate
from claims.services.ingestion import article_submit
from claims.services.matching import matching_index_reset
from claims.services.watch import watch_rule_add
from claims.tasks import article_alerts_task
from claimtracker.celery import app as celery_app
from tests.desk_steps import rate_and_publish
from tests.factories import UserFactory

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

pytestmark = pytest.mark.django_db

DESK = {
    "en": (
        "Readers asked the desk about a claim that spread on several websites. North Korea has "
        "not tested nuclear weapons or missiles for more than a year. The claim was first "
        "published last month.",
        "North Korea has not tested",
    ),
    "de": (
        "Leser fragten nach einer Behauptung aus dem Netz. Nordkorea habe seit mehr als einem "
        "Jahr keine Atomwaffen und Raketen mehr getestet. Sie erschien im vergangenen Monat.",
        "Atomwaffen",
    ),
}
# The same claim in other words, as a reader's post: the extraction does not rank it
# check-worthy (an opinion wrapped around it), so matching never compares it.
REPEAT = {
    "en": (
        "A post circulated this week. I just love how Kim hasn't fired off a single nuke or "
        "rocket in over a year, thanks to my president! Many shared it.",
        "I just love how Kim",
    ),
    "de": (
        "Ein Beitrag kursierte diese Woche. Ich finde es toll, dass Nordkorea seit über einem "
        "Jahr keine Atombomben und Raketen mehr testet! Viele teilten ihn.",
        "Ich finde es toll",
    ),
}
UNRELATED = {
    "en": "A post circulated this week. Is anyone else tired of the rain in Seattle?? Many "
    "shared it.",
    "de": "Ein Beitrag kursierte diese Woche. Wer hat auch genug vom Regen in Hamburg?? Viele "
    "teilten ihn.",
}


@pytest.fixture(autouse=True)
def fresh_index(settings):
    settings.CLAIMTRACKER_MATCHING_ENABLED = True
    settings.CLAIMTRACKER_MATCHING = {}  # the core's own thresholds
    matching_index_reset()
    yield
    matching_index_reset()


def ingest(text: str, url: str, capture) -> Article:
    with capture(execute=True):
        article = article_submit(source=Article.Source.TEXT, url=url, text=text)
    article.refresh_from_db()
    assert article.status == Article.Status.DONE
    return article


def publish_false(*, lang, rating_scale, reviewer, editor, capture) -> Verdict:
    """The desk's article and its checked claim, rated False through the desk's services."""
    text, marker = DESK[lang]
    original = ingest(text, f"https://desk.example/{lang}", capture)
    checked = original.claims.get(text__contains=marker)
    with capture(execute=True):  # the checked claim is embedded after publication
        return rate_and_publish(
            claim=checked,
            reviewer=reviewer,
            editor=editor,
            label=rating_scale.labels.get(name="False"),
        )


def repeat_alerts(article: Article):
    return Notification.objects.filter(
        kind=Notification.Kind.ALERT_REPEAT,
        url__in=[f"/claims/{pk}/" for pk in article.claims.values_list("pk", flat=True)],
    )


@pytest.mark.parametrize("lang", ["en", "de"])
def test_a_repeat_in_other_words_not_check_worthy_alerts_each_follower_once(
    lang, rating_scale, reviewer, editor, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    verdict = publish_false(
        lang=lang, rating_scale=rating_scale, reviewer=reviewer, editor=editor, capture=capture
    )
    outlet = Outlet.objects.create(name="Blog", domain="blog.example")
    follower = UserFactory(username="olga", roles=["reviewer"])
    watch_rule_add(user=follower, kind="outlet", outlet=outlet)
    bystander = UserFactory(username="ben", roles=["reviewer"])

    text, marker = REPEAT[lang]
    article = ingest(text, "https://blog.example/post", capture)
    unit = article.claims.get(text__contains=marker)
    # What this test is about: matching never looked at the unit.
    assert not unit.checkworthy and unit.candidate and unit.group_id is None
    assert not unit.matches.exists()
    for user in (editor, follower):
        alerts = repeat_alerts(article).filter(recipient=user)
        assert list(alerts.values_list("url", flat=True)) == [f"/claims/{unit.pk}/"], user
        assert verdict_public_url(verdict) in alerts.get().body
    assert not Notification.objects.filter(recipient=bystander).exists()

    # A retry of the alert task (a lost acknowledgement, the stale-work sweep) sends nothing
    # twice, nor does a re-submission of the same address with the same text.
    before = Notification.objects.count()
    with capture(execute=True):
        article_alerts_task.delay(article.pk)
    assert article_alerts_evaluate(article_id=article.pk) == 0
    assert Notification.objects.count() == before
    for user in (editor, follower):
        assert repeat_alerts(article).filter(recipient=user).count() == 1


@pytest.mark.parametrize("lang", ["en", "de"])
def test_an_unrelated_article_raises_no_repeat_alert(
    lang, rating_scale, reviewer, editor, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    publish_false(
        lang=lang, rating_scale=rating_scale, reviewer=reviewer, editor=editor, capture=capture
    )
    article = ingest(UNRELATED[lang], "https://blog.example/rain", capture)
    assert article.claims.exists()
    assert not repeat_alerts(article).exists()
    assert not Notification.objects.filter(kind=Notification.Kind.ALERT_REPEAT).exists()
    # Evaluated (nothing to say): the stale-alert sweep does not send it again every 5 minutes.
    assert ArticleAlertRun.objects.filter(article=article).exists()


def test_below_the_repeat_threshold_nothing_alerts(
    settings, rating_scale, reviewer, editor, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    publish_false(
        lang="en", rating_scale=rating_scale, reviewer=reviewer, editor=editor, capture=capture
    )
    settings.CLAIMTRACKER_ALERTS = {**settings.CLAIMTRACKER_ALERTS, "REPEAT_MATCH_MIN": 0.9999}
    article = ingest(REPEAT["en"][0], "https://blog.example/post", capture)
    assert not repeat_alerts(article).exists()


def test_a_withdrawn_verdict_no_longer_alerts(
    rating_scale, reviewer, editor, django_capture_on_commit_callbacks
):
    """The verdicts are cached per process: a verdict that is no longer published (or no longer
    rated false) must not be found from the cache."""
    capture = django_capture_on_commit_callbacks
    verdict = publish_false(
        lang="en", rating_scale=rating_scale, reviewer=reviewer, editor=editor, capture=capture
    )
    first = ingest(REPEAT["en"][0], "https://blog.example/one", capture)
    assert repeat_alerts(first).exists()
    Verdict.objects.filter(pk=verdict.pk).update(rating_label=rating_scale.labels.get(name="True"))
    second = ingest(REPEAT["en"][0], "https://blog.example/two", capture)
    assert not repeat_alerts(second).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_evaluating_the_same_article_alert_once(
    request, rating_scale, reviewer, editor, django_capture_on_commit_callbacks
):
    """Two NLP workers run the alert task for the same article at the same moment (a redelivered
    message, the sweep): each person still gets one repeat alert (PostgreSQL's unique index on
    recipient and key; threads with their own connections stand in for the workers)."""
    if connection.vendor != "postgresql":
        pytest.skip("a real race needs PostgreSQL")
    capture = django_capture_on_commit_callbacks
    # The ingestion before the race runs in-process, as in the SQLite tests (this run's
    # CELERY_BROKER_URL would otherwise send its tasks to Redis with no worker to take them).
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    request.addfinalizer(lambda: setattr(celery_app.conf, "task_always_eager", eager))
    publish_false(
        lang="de", rating_scale=rating_scale, reviewer=reviewer, editor=editor, capture=capture
    )
    follower = UserFactory(username="olga", roles=["reviewer"])
    outlet = Outlet.objects.create(name="Blog", domain="blog.example")
    watch_rule_add(user=follower, kind="outlet", outlet=outlet)
    article = ingest(REPEAT["de"][0], "https://blog.example/post", capture)
    unit = article.claims.get(text__contains=REPEAT["de"][1])
    assert not unit.checkworthy
    # Back to the moment before the alert task ran: then two workers run it at once.
    Notification.objects.all().delete()
    ArticleAlertRun.objects.filter(article=article).delete()
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def worker():
        try:
            barrier.wait()
            article_alerts_evaluate(article_id=article.pk)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    for user in (editor, follower):
        alerts = repeat_alerts(article).filter(recipient=user)
        assert list(alerts.values_list("url", flat=True)) == [f"/claims/{unit.pk}/"], user
