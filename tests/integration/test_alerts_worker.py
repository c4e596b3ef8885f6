"""Alerts through Redis and a real Celery worker: the NLP worker evaluates them after matching,
and another task emails them through a real SMTP server (aiosmtpd on 127.0.0.1)."""

from __future__ import annotations

import socket

from aiosmtpd.controller import Controller
from django.db import transaction

from claims.models import Article, Notification
from claims.services.ingestion import article_submit
from claims.services.watch import watch_rule_add
from tests.desk_steps import rate_and_publish
from tests.factories import UserFactory
from tests.integration.conftest import WorkerProcess, wait_for
from tests.notifications.conftest import _Mailbox

TEXT = (
    "Donald Trump sagte am Montag in Berlin, Nordkorea habe seit mehr als einem Jahr keine "
    "Atomwaffen und Raketen mehr getestet. Die Zuhörer applaudierten."
)


def test_worker_alerts_a_watcher_once_and_emails_it(workers, worker_env, tmp_path):
    mailbox = _Mailbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    smtp = Controller(mailbox, hostname="127.0.0.1", port=port)
    smtp.start()
    workers.stop()  # this test's worker sends email to the local SMTP server
    worker = WorkerProcess(
        {
            **worker_env,
            "EMAIL_URL": f"smtp://127.0.0.1:{port}",
            "DJANGO_DEFAULT_FROM_EMAIL": "desk@claims.test",
        },
        tmp_path / "worker.log",
    )
    try:
        worker.start()
        rita = UserFactory(username="rita", roles=["reviewer"])
        watch_rule_add(user=rita, kind="topic", topic="Nordkorea Atomwaffen")
        watch_rule_add(user=rita, kind="topic", topic="Raketen")  # the same claim: one alert
        with transaction.atomic():
            article = article_submit(source=Article.Source.TEXT, url="", text=TEXT)

        alert = wait_for(
            lambda: Notification.objects.filter(recipient=rita, kind="alert_watch").first()
        )
        assert "Nordkorea" in alert.body
        wait_for(lambda: mailbox.to(rita.email))
        wait_for(lambda: Notification.objects.filter(pk=alert.pk, email_status="sent").exists())
        article.refresh_from_db()
        assert article.matched_at is not None
        assert Notification.objects.filter(recipient=rita).count() == 1
        (mail,) = mailbox.to(rita.email)
        assert mail["From"] == "desk@claims.test"
        assert f"/claims/{alert.url.split('/')[2]}/" in mail.get_content()
    finally:
        worker.stop()
        smtp.stop()


def _ingest_on_worker(text: str, url: str) -> Article:
    with transaction.atomic():
        article = article_submit(source=Article.Source.TEXT, url=url, text=text)
    wait_for(
        lambda: Article.objects.filter(pk=article.pk, alert_run__isnull=False).exists(),
        timeout=120,
    )
    article.refresh_from_db()
    return article


def _publish_false(article: Article, marker: str, *, reviewer, editor, label) -> None:
    checked = article.claims.get(text__contains=marker)
    rate_and_publish(claim=checked, reviewer=reviewer, editor=editor, label=label)


def test_worker_alerts_repeats_not_ranked_check_worthy_of_verdicts_published_later(
    worker_env, tmp_path, rating_scale, reviewer, editor
):
    """The NLP worker keeps the published false verdicts as a small index between articles; a
    verdict published while it runs is searched from the next article on, and a repeat matching
    never looked at (not check-worthy, other words) alerts each person once."""
    from tests.notifications.test_alerts_repeats import DESK, REPEAT, UNRELATED

    worker = WorkerProcess(
        {**worker_env, "CLAIMTRACKER_MATCHING_ENABLED": "1"}, tmp_path / "worker.log"
    )
    false = rating_scale.labels.get(name="False")
    try:
        worker.start()
        desk_en = _ingest_on_worker(DESK["en"][0], "https://desk.example/en")
        _publish_false(desk_en, DESK["en"][1], reviewer=reviewer, editor=editor, label=false)
        # The worker builds its index of false verdicts here (one verdict) ...
        unrelated = _ingest_on_worker(UNRELATED["en"], "https://blog.example/rain")
        # ... and must see the German verdict published after that.
        desk_de = _ingest_on_worker(DESK["de"][0], "https://desk.example/de")
        _publish_false(desk_de, DESK["de"][1], reviewer=reviewer, editor=editor, label=false)
        for lang in ("en", "de"):
            text, marker = REPEAT[lang]
            article = _ingest_on_worker(text, f"https://blog.example/{lang}")
            unit = article.claims.get(text__contains=marker)
            assert not unit.checkworthy
            alerts = Notification.objects.filter(recipient=editor, kind="alert_repeat").filter(
                url__in=[f"/claims/{pk}/" for pk in article.claims.values_list("pk", flat=True)]
            )
            assert list(alerts.values_list("url", flat=True)) == [f"/claims/{unit.pk}/"], lang
        unrelated_urls = [f"/claims/{pk}/" for pk in unrelated.claims.values_list("pk", flat=True)]
        assert not Notification.objects.filter(url__in=unrelated_urls).exists()
    finally:
        worker.stop()
