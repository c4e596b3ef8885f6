"""The notification channel: inbox rows once per recipient, email through a real SMTP server."""

import pytest
from django.urls import reverse

from claims.models import Notification
from claims.services.notifications import (
    notification_email_deliver,
    notification_emails_retry_due,
    notification_mark_read,
    notification_preferences_update,
    notification_send,
)
from claims.site_urls import fallback_base
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_send_stores_once_per_recipient_and_emails(
    smtp_server, reviewer, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        created = notification_send(
            recipients=[reviewer, editor.pk],
            kind="assigned",
            title="Claim 1 was assigned to you",
            body="Check it.",
            url="/claims/1/",
            dedupe_key="assigned:1:1",
        )
    assert len(created) == 2
    with django_capture_on_commit_callbacks(execute=True):
        again = notification_send(
            recipients=[reviewer, editor], kind="assigned", title="x", dedupe_key="assigned:1:1"
        )
    assert again == []
    assert Notification.objects.count() == 2
    mails = smtp_server.to(reviewer.email)
    assert len(mails) == 1
    assert mails[0]["Subject"] == "[ClaimTracker] Claim 1 was assigned to you"
    # No CLAIMTRACKER_SITE_URL and no request in the worker: the quick start's own address.
    assert f"{fallback_base()}/claims/1/" in mails[0].get_content()
    assert mails[0]["From"] == "desk@claims.test"
    assert set(Notification.objects.values_list("email_status", flat=True)) == {"sent"}


def test_email_task_is_idempotent(smtp_server, reviewer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        (note,) = notification_send(recipients=[reviewer], kind="sent_back", title="t")
    notification_email_deliver(notification_id=note.pk)  # a duplicate message: nothing sent
    assert len(smtp_server.to(reviewer.email)) == 1


def test_smtp_down_is_retried_then_sent(
    settings, reviewer, smtp_server, django_capture_on_commit_callbacks
):
    from claims.services.notifications import EmailRetryLater

    good_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = 9  # nothing listens: connection refused
    (note,) = notification_send(recipients=[reviewer], kind="assigned", title="t")
    with pytest.raises(EmailRetryLater):
        notification_email_deliver(notification_id=note.pk)
    note.refresh_from_db()
    assert (note.email_status, note.email_attempts) == ("pending", 1)
    settings.EMAIL_PORT = good_port
    Notification.objects.filter(pk=note.pk).update(updated_at="2000-01-01T00:00:00Z")
    with django_capture_on_commit_callbacks(execute=True):
        assert notification_emails_retry_due() == 1  # eager in tests: the sweep's task sends
    note.refresh_from_db()
    assert note.email_status == "sent"
    assert len(smtp_server.to(reviewer.email)) == 1


def test_preferences_turn_email_off_per_kind(smtp_server, reviewer):
    notification_preferences_update(user=reviewer, email_kinds=["assigned"])
    (a,) = notification_send(recipients=[reviewer], kind="assigned", title="a")
    (b,) = notification_send(recipients=[reviewer], kind="alert_trend", title="b")
    assert (a.email_status, b.email_status) == ("pending", "skipped")


def test_inbox_count_and_mark_read(client, reviewer):
    other = UserFactory(username="other")
    notification_send(recipients=[reviewer], kind="assigned", title="Yours", url="/claims/5/")
    notification_send(recipients=[other], kind="assigned", title="Not yours")
    client.force_login(reviewer)
    badge = client.get(reverse("notifications:unread_count"))
    assert b'data-testid="unread-count">1<' in badge.content
    page = client.get(reverse("notifications:inbox"))
    assert b"Yours" in page.content and b"Not yours" not in page.content
    note = Notification.objects.get(recipient=reviewer)
    response = client.get(reverse("notifications:open", args=[note.pk]))
    assert response["Location"] == "/claims/5/"
    assert b"unread-count" not in client.get(reverse("notifications:unread_count")).content.replace(
        b'id="unread-count"', b""
    )
    assert notification_mark_read(user=reviewer) == 0


def test_settings_page_saves(client, reviewer):
    client.force_login(reviewer)
    response = client.post(reverse("notifications:preferences"), {"email_assigned": "1"})
    assert response.status_code == 303
    pref = reviewer.notification_preference
    assert pref.emails("assigned") and not pref.emails("alert_watch")
    assert client.get(reverse("notifications:preferences")).status_code == 200


def test_top_bar_links_the_inbox(client, reviewer):
    client.force_login(reviewer)
    page = client.get(reverse("claims:queue"))
    assert b'hx-get="/notifications/unread/"' in page.content
