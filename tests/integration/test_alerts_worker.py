"""Alerts through Redis and a real Celery worker: the NLP worker evaluates them after matching,
and another task emails them through a real SMTP server (aiosmtpd on 127.0.0.1)."""

from __future__ import annotations

import socket

from aiosmtpd.controller import Controller
from django.db import transaction

from claims.models import Article, Notification
from claims.services.ingestion import article_submit
from claims.services.watch import watch_rule_add
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
