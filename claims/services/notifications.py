"""The desk's notification channel: inbox entries, emailed by a worker after commit.

Every notice and alert goes through ``notification_send``: one row per recipient and dedupe key
(a unique constraint), so a notice reaches a person once however often the task or service that
sends it runs. Email is a second step: rows wanting email are ``pending`` and a worker sends
them (``notification_email_deliver``, idempotent under a row lock); the beat sweep sends again
what a lost message left pending.
"""

from __future__ import annotations

import logging
import smtplib
import uuid
from collections.abc import Callable, Iterable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation

from claims.claimreview import site_url
from claims.dispatch import enqueue_on_commit
from claims.exceptions import InvalidInputError
from claims.models import Notification, NotificationPreference
from claims.tasks import notification_email_task

logger = logging.getLogger(__name__)

User = get_user_model()
Kind = Notification.Kind
EmailStatus = Notification.EmailStatus

MAX_EMAIL_ATTEMPTS = 6
# Pending this long without a send = its message was lost; the sweep sends it again.
EMAIL_SWEEP_AFTER = timedelta(minutes=10)


class EmailRetryLater(Exception):
    """The SMTP server could not take the message now; the task retries."""


def _email_wanted(user, kind: str, prefs: dict[int, NotificationPreference]) -> bool:
    if not user.email:
        return False
    pref = prefs.get(user.pk)
    return pref is None or pref.emails(kind)


# A notice's text: a string, or a callable rendering it in the active language. Callables are
# called once per recipient language inside translation.override, so each person reads it in
# their own language although the worker that sends it has no request (and runs in English).
Text = str | Callable[[], str]


def _render(text: Text) -> str:
    return str(text() if callable(text) else text)


def user_languages(user_ids: Iterable[int]) -> dict[int, str]:
    """User id -> the language their notices are written in (settings.LANGUAGE_CODE if unset)."""
    ids = list(user_ids)
    found = dict(
        NotificationPreference.objects.filter(user_id__in=ids).values_list("user_id", "language")
    )
    known = {code for code, _name in settings.LANGUAGES}
    return {pk: found[pk] if found.get(pk) in known else settings.LANGUAGE_CODE for pk in ids}


@transaction.atomic
def notification_send(
    *,
    recipients: Iterable,
    kind: str,
    title: Text,
    body: Text = "",
    url: str = "",
    dedupe_key: str = "",
) -> list[Notification]:
    """Store an inbox entry for each recipient (users or user ids) that has none with this
    ``dedupe_key`` yet, and email it after commit where the user wants email for ``kind``.

    Returns the entries created now (recipients already told are left alone). Inactive users
    are skipped. Without a ``dedupe_key`` every call is a new notice. ``title`` and ``body``
    may be callables: they are rendered in each recipient's language (once per language).
    """
    if kind not in Kind.values:
        raise InvalidInputError(f"Unknown notification kind {kind!r}.")
    dedupe_key = (dedupe_key or f"once:{uuid.uuid4()}")[:200]
    ids = {getattr(r, "pk", r) for r in recipients}
    ids.discard(None)
    if not ids:
        return []
    told = set(
        Notification.objects.filter(recipient_id__in=ids, dedupe_key=dedupe_key).values_list(
            "recipient_id", flat=True
        )
    )
    users = list(User.objects.filter(pk__in=ids - told, is_active=True).only("pk", "email"))
    if not users:
        return []
    prefs = {
        p.user_id: p for p in NotificationPreference.objects.filter(user__in=[u.pk for u in users])
    }
    languages = user_languages(u.pk for u in users)
    texts: dict[str, tuple[str, str]] = {}
    for language in sorted(set(languages.values())):
        with translation.override(language):
            texts[language] = (_render(title), _render(body))
    rows = [
        Notification(
            recipient_id=user.pk,
            kind=kind,
            title=texts[languages[user.pk]][0][:300],
            body=texts[languages[user.pk]][1],
            url=url[:2048],
            dedupe_key=dedupe_key,
            email_status=(
                EmailStatus.PENDING if _email_wanted(user, kind, prefs) else EmailStatus.SKIPPED
            ),
        )
        for user in users
    ]
    # A concurrent sender of the same notice may have inserted some rows since: skip those.
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    created = list(
        Notification.objects.filter(
            dedupe_key=dedupe_key,
            recipient_id__in=[u.pk for u in users],
            created_at__gte=timezone.now() - timedelta(minutes=5),
        )
    )
    for note in created:
        if note.email_status == EmailStatus.PENDING:
            enqueue_on_commit(notification_email_task, note.pk)
    return created


def _absolute(url: str) -> str:
    if not url or url.startswith(("http://", "https://")):
        return url
    return site_url(url)


def notification_email_deliver(*, notification_id: int) -> Notification | None:
    """Email one notification (idempotent: only a pending one is sent, under a row lock, so two
    workers never send it twice). Raises EmailRetryLater for a transient SMTP failure."""
    with transaction.atomic():
        note = (
            Notification.objects.select_for_update()
            .select_related("recipient")
            .filter(pk=notification_id)
            .first()
        )
        if note is None or note.email_status != EmailStatus.PENDING:
            return note
        note.email_attempts += 1
        link = _absolute(note.url)
        text = "\n\n".join(part for part in (note.body, link) if part)
        message = EmailMessage(
            subject=f"[ClaimTracker] {note.title}",
            body=text + "\n\n-- \nClaimTracker · " + site_url("/notifications/settings/"),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[note.recipient.email],
            headers={"X-ClaimTracker-Notification": note.dedupe_key},
        )
        try:
            message.send(fail_silently=False)
        except (smtplib.SMTPException, OSError) as exc:
            note.email_error = str(exc)[:500]
            final = note.email_attempts >= MAX_EMAIL_ATTEMPTS or isinstance(
                exc, smtplib.SMTPRecipientsRefused
            )
            note.email_status = EmailStatus.FAILED if final else EmailStatus.PENDING
            # Saved before the retry is raised: the attempt counts even though the send failed.
            note.save(update_fields=["email_attempts", "email_error", "email_status", "updated_at"])
            if final:
                logger.warning("notification %s: email failed for good: %s", note.pk, exc)
                return note
            retry = EmailRetryLater(str(exc))
        else:
            note.email_status = EmailStatus.SENT
            note.emailed_at = timezone.now()
            note.email_error = ""
            note.save(
                update_fields=[
                    "email_attempts",
                    "email_error",
                    "email_status",
                    "emailed_at",
                    "updated_at",
                ]
            )
            return note
    raise retry


def notification_emails_retry_due(*, now=None) -> int:
    """Send again the emails still pending well after they were queued (a lost message)."""
    now = now or timezone.now()
    ids = list(
        Notification.objects.filter(
            email_status=EmailStatus.PENDING, updated_at__lte=now - EMAIL_SWEEP_AFTER
        ).values_list("pk", flat=True)[:1000]
    )
    for pk in ids:
        enqueue_on_commit(notification_email_task, pk)
    return len(ids)


def notifications_unread(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user, read_at__isnull=True)


@transaction.atomic
def notification_mark_read(*, user, notification_id: int | None = None) -> int:
    """Mark one of the user's notifications read (or all of them with no id). Returns count."""
    rows = notifications_unread(user=user)
    if notification_id is not None:
        rows = rows.filter(pk=notification_id)
    return rows.update(read_at=timezone.now(), updated_at=timezone.now())


def _language_checked(language: str) -> str:
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise InvalidInputError(f"Unknown language {language!r}.")
    return language


@transaction.atomic
def notification_preferences_update(
    *, user, email_kinds: Iterable[str], language: str | None = None
) -> NotificationPreference:
    """Email only the kinds given (the inbox always gets every kind); write notices in
    ``language`` from now on (unchanged when None)."""
    wanted = set(email_kinds)
    unknown = wanted - set(Kind.values)
    if unknown:
        raise InvalidInputError(f"Unknown notification kinds: {', '.join(sorted(unknown))}.")
    pref, _ = NotificationPreference.objects.get_or_create(user=user)
    pref.email_off = sorted(set(Kind.values) - wanted)
    if language is not None:
        pref.language = _language_checked(language)
    pref.full_clean()
    pref.save()
    return pref


@transaction.atomic
def notification_language_remember(*, user, language: str) -> NotificationPreference | None:
    """Remember the UI language the user is using (on login) for their notices and emails.
    A language the site does not offer is ignored."""
    if language not in {code for code, _name in settings.LANGUAGES}:
        return None
    pref, _ = NotificationPreference.objects.get_or_create(
        user=user, defaults={"language": language}
    )
    if pref.language != language:
        pref.language = language
        pref.save(update_fields=["language", "updated_at"])
    return pref


def remember_language_on_login(sender, request, user, **kwargs) -> None:
    """user_logged_in receiver (connected in ClaimsConfig.ready): the login page's language,
    picked by LocaleMiddleware from the language cookie or the browser, is the user's."""
    language = getattr(request, "LANGUAGE_CODE", None) if request is not None else None
    if language:
        notification_language_remember(user=user, language=language)


def users_with_perm(perm: str) -> QuerySet:
    """Active users holding ``perm`` ("claims.review_verdict") by group, directly or as admins."""
    app_label, codename = perm.split(".")
    held = (
        Q(
            groups__permissions__codename=codename,
            groups__permissions__content_type__app_label=app_label,
        )
        | Q(
            user_permissions__codename=codename,
            user_permissions__content_type__app_label=app_label,
        )
        | Q(is_superuser=True)
    )
    return User.objects.filter(held, is_active=True).distinct()
