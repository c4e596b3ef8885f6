"""The daily digest: the day's watchlist candidates and repeats, once a day, by email."""

import pytest
from django.conf import settings

from claims.models import Notification, Speaker
from claims.services.digest import digests_send
from claims.services.notifications import notification_send
from claims.services.watch import watch_rule_add
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db


def test_digest_lists_watchlist_candidates_and_repeats_once_a_day(
    smtp_server, reviewer, second_reviewer, django_capture_on_commit_callbacks
):
    merz = Speaker.objects.create(name="Friedrich Merz")
    watch_rule_add(user=reviewer, kind="speaker", speaker=merz)
    low = ClaimFactory(article=ArticleFactory(), speaker=merz, score=0.4, text="Niedrig.")
    high = ClaimFactory(article=ArticleFactory(), speaker=merz, score=0.9, text="Hoch.")
    ClaimFactory(article=ArticleFactory(), speaker=merz, checkworthy=False, text="Nein.")
    notification_send(
        recipients=[reviewer],
        kind="alert_repeat",
        title="Repeat of a claim rated “False”",
        body="Trump (taz): “…”",
        url="/claims/9/",
        dedupe_key="alert:claim:9",
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send() == 1
        assert digests_send() == 0  # the same day again: nothing
    digest = Notification.objects.get(kind="digest")
    assert digest.recipient == reviewer
    body = digest.body
    assert body.index("Hoch.") < body.index("Niedrig.") and "Nein." not in body
    assert "Repeat of a claim rated" in body
    assert f"/claims/{high.pk}/" in body and f"/claims/{low.pk}/" in body
    (mail,) = smtp_server.to(reviewer.email)
    assert "daily digest: 2 candidates, 1 repeats" in mail["Subject"]
    assert not smtp_server.to(second_reviewer.email)


def test_digest_is_in_the_beat_schedule():
    entries = [e for e in settings.CELERY_BEAT_SCHEDULE.values()]
    (digest,) = [e for e in entries if e["task"] == "claims.tasks.notifications_digest_task"]
    assert digest["schedule"].hour == {7}
