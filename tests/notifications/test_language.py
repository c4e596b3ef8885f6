"""Notices, alert emails and the digest in each recipient's language, not the worker's."""

import pytest
from django.urls import reverse

from claims.models import Notification, NotificationPreference
from claims.services.alerts import article_alerts_evaluate
from claims.services.claims import claims_bulk_assign
from claims.services.notifications import notification_preferences_update
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    ClaimGroupFactory,
    OutletFactory,
    PublishedVerdictFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _speaks(user, language):
    NotificationPreference.objects.update_or_create(user=user, defaults={"language": language})


def _claim(**kwargs):
    return ClaimFactory(article=ArticleFactory(status="done", outlet=OutletFactory()), **kwargs)


def test_desk_notice_reaches_each_recipient_in_their_language(
    smtp_server, editor, reviewer, django_capture_on_commit_callbacks
):
    german = UserFactory(username="greta", roles=["reviewer"])
    _speaks(german, "de")
    claim = _claim()
    with django_capture_on_commit_callbacks(execute=True):
        claims_bulk_assign(actor=editor, claim_ids=[claim.pk], assignee_id=german.pk)
        claims_bulk_assign(actor=editor, claim_ids=[claim.pk], assignee_id=reviewer.pk)
    (de_mail,) = smtp_server.to(german.email)
    assert de_mail["Subject"] == "[ClaimTracker] eddie hat Ihnen eine Behauptung zugewiesen"
    (en_mail,) = smtp_server.to(reviewer.email)
    assert en_mail["Subject"] == "[ClaimTracker] eddie assigned a claim to you"


def test_alert_email_in_each_recipients_language(
    smtp_server, editor, reviewer, rating_scale, django_capture_on_commit_callbacks
):
    _speaks(editor, "de")
    reviewer.user_permissions.add(
        *editor.groups.get().permissions.filter(codename="review_verdict")
    )
    group = ClaimGroupFactory()
    checked = _claim(group=group)
    false = rating_scale.labels.get(name="False")
    PublishedVerdictFactory(claim=checked, group=group, rating_label=false, summary="Stimmt nicht.")
    repeat = _claim(group=group)
    with django_capture_on_commit_callbacks(execute=True):
        article_alerts_evaluate(article_id=repeat.article_id)
    with django_capture_on_commit_callbacks(execute=True):
        article_alerts_evaluate(article_id=repeat.article_id)  # dedupe unchanged
    (de_mail,) = smtp_server.to(editor.email)
    assert de_mail["Subject"].strip().startswith("[ClaimTracker] Wiederholung einer als „False“")
    assert "Bewertung: Stimmt nicht." in de_mail.get_content()
    (en_mail,) = smtp_server.to(reviewer.email)
    assert en_mail["Subject"].strip() == "[ClaimTracker] Repeat of a claim rated “False”"
    assert "Verdict: Stimmt nicht." in en_mail.get_content()
    assert Notification.objects.filter(kind="alert_repeat").count() == 2


def test_language_saved_on_settings_page_and_remembered_on_login(client, reviewer):
    client.post(reverse("login"), {"username": "rita", "password": "pw"}, HTTP_ACCEPT_LANGUAGE="de")
    assert reviewer.notification_preference.language == "de"
    client.post(reverse("notifications:preferences"), {"email_assigned": "1", "language": "en"})
    reviewer.notification_preference.refresh_from_db()
    assert reviewer.notification_preference.language == "en"
    assert 'name="language"' in client.get(reverse("notifications:preferences")).content.decode()


def test_unknown_language_is_refused(reviewer):
    from claims.exceptions import InvalidInputError

    with pytest.raises(InvalidInputError):
        notification_preferences_update(user=reviewer, email_kinds=[], language="xx")


def test_digest_in_each_recipients_language(
    smtp_server, reviewer, second_reviewer, django_capture_on_commit_callbacks
):
    from claims.services.digest import digests_send
    from claims.services.notifications import notification_send

    _speaks(second_reviewer, "de")
    for user in (reviewer, second_reviewer):
        notification_send(
            recipients=[user], kind="alert_repeat", title="Repeat", body="Trump (taz): “…”"
        )
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send() == 2
    (de_mail,) = [m for m in smtp_server.to(second_reviewer.email) if "bersicht" in m["Subject"]]
    assert "Wiederholungen geprüfter Behauptungen:" in de_mail.get_content()
    (en_mail,) = [m for m in smtp_server.to(reviewer.email) if "digest" in m["Subject"]]
    assert "Repeats of checked claims:" in en_mail.get_content()
