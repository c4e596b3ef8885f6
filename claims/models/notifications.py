"""The desk's one notification channel (inbox + email), watch rules, and chat webhooks for alerts.

Desk notifications (assigned, sent back, awaiting review) and alerts (repeat, trend, watch) are
the same rows: an inbox entry per recipient, emailed by a worker, unique per recipient and
dedupe key so an alert or notice reaches a person once however often its task runs.
"""

import secrets

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import TimeStampedModel


class Notification(TimeStampedModel):
    class Kind(models.TextChoices):
        ASSIGNED = "assigned", _("assigned to you")
        SENT_BACK = "sent_back", _("sent back to you")
        REVIEW_WAITING = "review_waiting", _("awaiting your review")
        PUBLISHED = "published", _("your verdict published")
        CORRECTED = "corrected", _("your verdict corrected")
        ALERT_REPEAT = "alert_repeat", _("repeat of a checked claim")
        ALERT_TREND = "alert_trend", _("trending claim")
        ALERT_WATCH = "alert_watch", _("watchlist")
        DIGEST = "digest", _("daily digest")

    class EmailStatus(models.TextChoices):
        SKIPPED = "skipped", _("not emailed")
        PENDING = "pending", _("pending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    # A site path ("/claims/12/") or an absolute URL; emails make paths absolute.
    url = models.CharField(_("link"), max_length=2048, blank=True)
    # What this notice is about ("repeat:claim:12"): one row per recipient and key.
    dedupe_key = models.CharField(max_length=200)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    email_status = models.CharField(
        max_length=8, choices=EmailStatus.choices, default=EmailStatus.SKIPPED, db_index=True
    )
    email_attempts = models.PositiveIntegerField(default=0)
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"], name="notification_once_per_recipient"
            ),
        ]
        indexes = [
            models.Index(
                fields=["recipient", "created_at"],
                name="notification_unread_idx",
                condition=models.Q(read_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return self.title


class NotificationPreference(TimeStampedModel):
    """A user's email choices; no row = every kind emailed, the digest on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    # Kinds (Notification.Kind values) the user does not want by email; the inbox gets all.
    email_off = models.JSONField(default=list, blank=True)
    # The language notices and emails are written in: the UI language the user last used
    # (set on login and on the settings page), since workers have no request to take it from.
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def emails(self, kind: str) -> bool:
        return kind not in (self.email_off or [])


class WatchRule(TimeStampedModel):
    """Something a user follows: a speaker, an outlet, a topic (words or an entity), a group."""

    class Kind(models.TextChoices):
        SPEAKER = "speaker", _("speaker")
        OUTLET = "outlet", _("outlet")
        TOPIC = "topic", _("topic")
        GROUP = "group", _("claim group")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watch_rules"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, db_index=True)
    speaker = models.ForeignKey(
        "Speaker", null=True, blank=True, on_delete=models.CASCADE, related_name="watch_rules"
    )
    outlet = models.ForeignKey(
        "Outlet", null=True, blank=True, on_delete=models.CASCADE, related_name="watch_rules"
    )
    group = models.ForeignKey(
        "ClaimGroup", null=True, blank=True, on_delete=models.CASCADE, related_name="watch_rules"
    )
    # Topic: words that must all occur in the claim (case-folded), or an entity's text.
    topic = models.CharField(_("topic"), max_length=200, blank=True)

    class Meta:
        ordering = ["kind", "created_at"]
        verbose_name = _("watch rule")
        verbose_name_plural = _("watch rules")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="speaker", speaker__isnull=False)
                    | models.Q(kind="outlet", outlet__isnull=False)
                    | models.Q(kind="group", group__isnull=False)
                    | (models.Q(kind="topic") & ~models.Q(topic=""))
                ),
                name="watch_rule_has_target",
            ),
            models.UniqueConstraint(
                fields=["user", "kind", "speaker", "outlet", "group", "topic"],
                name="watch_rule_unique",
                nulls_distinct=False,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.target_label}"

    @property
    def target_label(self) -> str:
        target = self.speaker or self.outlet or self.topic or self.group
        return str(target)


def new_webhook_secret() -> str:
    return secrets.token_hex(32)


class AlertWebhook(TimeStampedModel):
    """A desk chat channel (Slack or Mattermost incoming webhook) that receives alerts.

    Deliveries go through claims.services.webhooks (same signing, SSRF checks, retries and
    sweep as the API's webhooks) with a ``{"text": ...}`` body both chats accept.
    """

    name = models.CharField(_("name"), max_length=200)
    url = models.URLField(_("URL"), max_length=2048)
    # HMAC key of the X-ClaimTracker-Signature header (chats ignore it; a relay can check it).
    secret = models.CharField(_("signing secret"), max_length=64, default=new_webhook_secret)
    # Alert kinds (Notification.Kind alert_* values) this channel gets; empty = repeats and
    # trends (personal watchlist alerts only where "alert_watch" is listed).
    kinds = models.JSONField(_("alert kinds"), default=list, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("alert chat webhook")
        verbose_name_plural = _("alert chat webhooks")

    def __str__(self) -> str:
        return self.name

    def wants(self, kind: str) -> bool:
        if not self.kinds:
            return kind in ("alert_repeat", "alert_trend")
        return kind in self.kinds


class ArticleAlertRun(models.Model):
    """An article whose alerts were evaluated: the sweep sends the alert task again for matched
    articles without one (a message lost with a broker or worker restart)."""

    article = models.OneToOneField(
        "Article", on_delete=models.CASCADE, primary_key=True, related_name="alert_run"
    )
    evaluated_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Alerts of article {self.article_id}"


def _trend_default(name: str) -> int:
    return int(settings.CLAIMTRACKER_ALERTS[name])


def default_trend_appearances() -> int:
    return _trend_default("TREND_APPEARANCES")


def default_trend_hours() -> int:
    return _trend_default("TREND_HOURS")


def default_trend_min_outlets() -> int:
    return _trend_default("TREND_MIN_OUTLETS")


class AlertThresholds(TimeStampedModel):
    """The desk's trend thresholds, editable by admins: one row (id 1). Without the row, the
    CLAIMTRACKER_ALERTS settings apply; a new row starts from them too."""

    trend_appearances = models.PositiveIntegerField(
        _("trend: appearances"),
        default=default_trend_appearances,
        validators=[MinValueValidator(1)],
        help_text=_("A claim group trends with at least this many appearances ..."),
    )
    trend_hours = models.PositiveIntegerField(
        _("trend: hours"),
        default=default_trend_hours,
        validators=[MinValueValidator(1)],
        help_text=_("... within this many hours ..."),
    )
    trend_min_outlets = models.PositiveIntegerField(
        _("trend: outlets"),
        default=default_trend_min_outlets,
        validators=[MinValueValidator(1)],
        help_text=_(
            "... from at least this many outlets (articles without one count as one each)."
        ),
    )

    class Meta:
        verbose_name = _("alert thresholds")
        verbose_name_plural = _("alert thresholds")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="alert_thresholds_single_row"),
            models.CheckConstraint(
                condition=models.Q(trend_appearances__gte=1, trend_hours__gte=1),
                name="alert_thresholds_positive",
            ),
        ]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)
