"""API consumers: hashed keys with scopes, webhook subscriptions and their delivery log."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import TimeStampedModel


class ApiKey(TimeStampedModel):
    class Scope(models.TextChoices):
        CLAIMS_READ = "claims:read", "claims:read"
        ARTICLES_SUBMIT = "articles:submit", "articles:submit"

    name = models.CharField(_("consumer"), max_length=200)
    # The first characters of the key, shown to admins to tell keys apart; the key itself is
    # only ever stored as a hash.
    prefix = models.CharField(max_length=12, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    scopes = models.JSONField(_("scopes"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class WebhookSubscription(TimeStampedModel):
    class Event(models.TextChoices):
        VERDICT_PUBLISHED = "verdict.published", "verdict.published"
        VERDICT_CORRECTED = "verdict.corrected", "verdict.corrected"

    api_key = models.ForeignKey(ApiKey, on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(_("URL"), max_length=2048)
    secret = models.CharField(max_length=64, editable=False)
    events = models.JSONField(_("events"), default=list)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(TimeStampedModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("failed")

    # An API consumer's subscription, or (alerts) a desk chat channel: exactly one of the two.
    subscription = models.ForeignKey(
        WebhookSubscription,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    alert_webhook = models.ForeignKey(
        "AlertWebhook",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    # Alerts: what the delivery is about, so an alert reaches a channel once.
    dedupe_key = models.CharField(max_length=200, blank=True)
    event_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.CharField(max_length=32, choices=WebhookSubscription.Event.choices)
    payload = models.JSONField()
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveIntegerField(default=0)
    response_status = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(subscription__isnull=True)
                ^ models.Q(alert_webhook__isnull=True),
                name="webhook_delivery_one_target",
            ),
            models.UniqueConstraint(
                fields=["alert_webhook", "dedupe_key"],
                condition=models.Q(alert_webhook__isnull=False),
                name="webhook_delivery_alert_once",
            ),
        ]
