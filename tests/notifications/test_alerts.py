"""Alerts: repeat, trend and watch, each once per recipient, to inbox, email and chat."""

import pytest

from claims.models import AlertWebhook, Notification, Speaker, SpeakerAlias, WebhookDelivery
from claims.services.alerts import article_alerts_evaluate
from claims.services.watch import watch_rule_add
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    ClaimGroupFactory,
    OutletFactory,
    PublishedVerdictFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def false_label(rating_scale):
    return rating_scale.labels.get(name="False")


def _new_claim(**kwargs):
    article = ArticleFactory(status="done", outlet=kwargs.pop("outlet", None) or OutletFactory())
    return ClaimFactory(article=article, **kwargs)


def _alerts(user, kind=None):
    rows = Notification.objects.filter(recipient=user)
    return rows.filter(kind=kind) if kind else rows


def test_repeat_of_a_false_verdict_alerts_editors_and_followers_once(
    editor,
    reviewer,
    false_label,
    chat,
    smtp_server,
    django_capture_on_commit_callbacks,
):
    group = ClaimGroupFactory()
    checked = _new_claim(group=group, text="Nordkorea testet seit einem Jahr keine Raketen.")
    PublishedVerdictFactory(claim=checked, group=group, rating_label=false_label)
    watch_rule_add(user=reviewer, kind="group", group=group)
    hook = AlertWebhook.objects.create(name="#desk", url=chat.url)
    chat.secret = hook.secret
    repeat = _new_claim(group=group, text="North Korea has not tested missiles for a year.")
    with django_capture_on_commit_callbacks(execute=True):
        article_alerts_evaluate(article_id=repeat.article_id)
    with django_capture_on_commit_callbacks(execute=True):
        article_alerts_evaluate(article_id=repeat.article_id)  # a re-run sends nothing again
    for user in (editor, reviewer):
        (alert,) = _alerts(user)
        assert alert.kind == "alert_repeat" and "False" in alert.title
        assert alert.url == f"/claims/{repeat.pk}/"
        assert len(smtp_server.to(user.email)) == 1
    (request,) = chat.requests
    assert request["valid"] and set(request["body"]) == {"text"}
    assert "North Korea has not tested" in request["body"]["text"]
    assert WebhookDelivery.objects.get().status == "delivered"


def test_a_true_verdict_is_no_repeat_alert(editor, rating_scale):
    group = ClaimGroupFactory()
    checked = _new_claim(group=group)
    PublishedVerdictFactory(claim=checked, rating_label=rating_scale.labels.get(name="True"))
    repeat = _new_claim(group=group)
    article_alerts_evaluate(article_id=repeat.article_id)
    assert not Notification.objects.exists()


def test_suggested_match_to_a_false_group_is_a_repeat(editor, false_label):
    from claims.models import ClaimMatch

    group = ClaimGroupFactory()
    checked = _new_claim(group=group)
    PublishedVerdictFactory(claim=checked, rating_label=false_label)
    repeat = _new_claim()
    ClaimMatch.objects.create(claim=repeat, group=group, score=0.7, level="suggested")
    article_alerts_evaluate(article_id=repeat.article_id)
    assert _alerts(editor, "alert_repeat").count() == 1


def test_trend_alert_once_per_window(settings, editor, reviewer):
    settings.CLAIMTRACKER_ALERTS = {
        **settings.CLAIMTRACKER_ALERTS,
        "TREND_APPEARANCES": 3,
        "TREND_MIN_OUTLETS": 2,
    }
    group = ClaimGroupFactory()
    watch_rule_add(user=reviewer, kind="group", group=group)
    spiegel = OutletFactory(name="Spiegel")
    first = _new_claim(group=group, outlet=spiegel)
    second = _new_claim(group=group, outlet=spiegel)
    article_alerts_evaluate(article_id=second.article_id)
    assert not _alerts(editor).exists()  # two appearances, one outlet
    third = _new_claim(group=group, outlet=OutletFactory(name="taz"))
    article_alerts_evaluate(article_id=third.article_id)
    fourth = _new_claim(group=group)
    article_alerts_evaluate(article_id=fourth.article_id)
    (trend,) = _alerts(editor, "alert_trend")
    assert "3 appearances" in trend.title and "2 outlets" in trend.title
    assert _alerts(reviewer, "alert_trend").count() == 1
    assert first.group_id == group.pk


def test_watched_speaker_outlet_and_topic(
    smtp_server, reviewer, second_reviewer, editor, django_capture_on_commit_callbacks
):
    scholz = Speaker.objects.create(name="Olaf Scholz")
    SpeakerAlias.objects.create(speaker=scholz, alias="Scholz")
    taz = OutletFactory(name="taz")
    watch_rule_add(user=reviewer, kind="speaker", speaker=scholz)
    watch_rule_add(user=reviewer, kind="topic", topic="Wärmepumpe")  # same claim: one alert
    watch_rule_add(user=second_reviewer, kind="outlet", outlet=taz)
    fan = UserFactory(username="fan")
    watch_rule_add(user=fan, kind="topic", topic="wärmepumpen kosten")

    linked = _new_claim(speaker=scholz, claimant="Scholz", text="Die Wärmepumpe spart Geld.")
    by_name = _new_claim(claimant="scholz", text="Die Inflation sinkt.", outlet=taz)
    topic = _new_claim(claimant="Anna", text="Wärmepumpen Kosten 30 000 Euro.")
    unworthy = _new_claim(speaker=scholz, checkworthy=False)
    with django_capture_on_commit_callbacks(execute=True):
        for claim in (linked, by_name, topic, unworthy):
            article_alerts_evaluate(article_id=claim.article_id)

    assert sorted(_alerts(reviewer).values_list("url", flat=True)) == sorted(
        [f"/claims/{linked.pk}/", f"/claims/{by_name.pk}/"]
    )
    assert list(_alerts(second_reviewer).values_list("url", flat=True)) == [
        f"/claims/{by_name.pk}/"
    ]
    assert list(_alerts(fan).values_list("url", flat=True)) == [f"/claims/{topic.pk}/"]
    assert not _alerts(editor).exists()
    mails = smtp_server.to(reviewer.email)
    assert len(mails) == 2 and "Scholz" in mails[0].get_content()


def test_lost_alert_task_is_sent_again_by_the_sweep(reviewer, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    from claims.models import Article, ArticleAlertRun
    from claims.services.alerts import alerts_requeue_stale

    watch_rule_add(user=reviewer, kind="topic", topic="Mieten")
    claim = _new_claim(text="Die Mieten stiegen um 12 Prozent.")
    Article.objects.filter(pk=claim.article_id).update(
        matched_at=timezone.now() - timedelta(minutes=10)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert alerts_requeue_stale() == 1  # its message was lost: the sweep runs it (eager)
    assert _alerts(reviewer, "alert_watch").count() == 1
    assert ArticleAlertRun.objects.filter(article_id=claim.article_id).exists()
    assert alerts_requeue_stale() == 0


def test_an_article_repeating_one_false_claim_twice_alerts_each_person_once(
    editor, reviewer, false_label, chat, django_capture_on_commit_callbacks
):
    """Two sentences of one article repeating the same checked claim: one repeat per person
    (the dev-set measure counted these as duplicates), the chat once; re-runs add nothing."""
    group = ClaimGroupFactory()
    checked = _new_claim(group=group, text="Nordkorea testet seit einem Jahr keine Raketen.")
    PublishedVerdictFactory(claim=checked, group=group, rating_label=false_label)
    watch_rule_add(user=reviewer, kind="group", group=group)
    hook = AlertWebhook.objects.create(name="#desk", url=chat.url)
    chat.secret = hook.secret
    first = _new_claim(group=group, text="North Korea has not tested missiles for a year.")
    second = ClaimFactory(
        article=first.article, group=group, index=first.index + 1, text="No missile tests."
    )
    for _run in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            article_alerts_evaluate(article_id=first.article_id)
    for user in (editor, reviewer):
        (alert,) = _alerts(user)
        assert alert.kind == "alert_repeat" and alert.url == f"/claims/{first.pk}/"
    assert len(chat.requests) == 1
    assert not Notification.objects.filter(url=f"/claims/{second.pk}/").exists()
