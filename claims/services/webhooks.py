"""Webhooks: one delivery per subscriber when a verdict is published or corrected, then POST it.

Contract for subscribers (docs/api.md, "Webhooks"):

* ``POST`` with a JSON body ``{"id": <event id>, "event": ..., "created_at": ..., "data": {...}}``.
* ``X-ClaimTracker-Event``: the event name; ``X-ClaimTracker-Delivery``: the event id (a UUID, the
  same on every retry, so receivers can drop duplicates); ``X-ClaimTracker-Timestamp``: Unix
  seconds when this attempt was signed; ``X-ClaimTracker-Signature``: ``sha256=<hex>``, the
  HMAC-SHA256 with the subscription's secret of ``"<timestamp>.<raw body>"``. Receivers should
  recompute it, compare in constant time and refuse timestamps older than a few minutes.
* Any 2xx answer counts as delivered. Anything else (or no answer) is retried with exponential
  backoff (``RETRY_DELAYS``); after ``MAX_ATTEMPTS`` the delivery is marked failed.

Publishing never waits on a subscriber: ``webhooks_emit`` only writes rows and enqueues tasks
after the surrounding transaction commits, and a failing enqueue is logged, never raised.
Deliveries are POSTed through the same address checks as the safe fetcher (every resolved
address must be public, checked at connect time, no redirects followed).
"""

from __future__ import annotations

import json
import logging
import time
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone

from claims.dispatch import enqueue_on_commit
from claims.exceptions import InvalidInputError
from claims.ingest.addresses import AddressNotAllowed, parse_networks, vet_host
from claims.models import ApiKey, Verdict, WebhookDelivery, WebhookSubscription
from claims.services.fetching import fetch_policy
from claims.services.webhook_http import (
    DELIVERY_HEADER,
    EVENT_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    USER_AGENT,
    webhook_post,
    webhook_signature,
)
from claims.tasks import webhook_deliver_task

logger = logging.getLogger(__name__)

EVENTS = tuple(WebhookSubscription.Event.values)
# Seconds to wait before attempt n+1 after the n-th failure: 30 s, 2 min, 8 min, 30 min, 2 h, 6 h.
RETRY_DELAYS = (30, 120, 480, 1800, 7200, 21600)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
SWEEP_GRACE = 300  # seconds a retry may be late before the sweep re-enqueues it

Status = WebhookDelivery.Status


class WebhookRetryLater(Exception):
    """The attempt failed and another one is due after ``countdown`` seconds."""

    def __init__(self, message: str, *, countdown: int) -> None:
        super().__init__(message)
        self.countdown = countdown


# --- payloads ------------------------------------------------------------------------------


def _verdict_payload(verdict: Verdict) -> dict[str, Any]:
    from django.urls import reverse

    from claims.claimreview import claim_review, site_url, verdict_public_url
    from claims.selectors.public import verdict_last_modified

    label = verdict.rating_label
    return {
        "verdict": {
            "id": verdict.pk,
            "slug": verdict.slug,
            "public_url": verdict_public_url(verdict),
            "api_url": site_url(reverse("api:verdict-detail", kwargs={"pk": verdict.pk})),
            "claim": verdict.claim.claim_text,
            "claimant": verdict.claim.claimant or None,
            "language": verdict.claim.language,
            "rating": label.name if label else None,
            "normalised_rating": label.normalised if label else None,
            "summary": verdict.summary,
            "published_at": verdict.published_at,
            "updated_at": verdict_last_modified(verdict),
            "corrections": [
                {"date": c.created_at, "note": c.note} for c in verdict.corrections.all()
            ],
        },
        "claim_review": claim_review(verdict),
    }


def _subscriptions_for(event: str) -> list[WebhookSubscription]:
    # JSON list containment is not portable to SQLite; subscriptions are few, filter here.
    subs = WebhookSubscription.objects.filter(
        active=True, api_key__revoked_at__isnull=True
    ).select_related("api_key")
    return [s for s in subs if event in (s.events or [])]


def _enqueue_delivery(delivery_id: int) -> None:
    # A broker outage must never undo or break a publication: the retry sweep sends it later.
    enqueue_on_commit(webhook_deliver_task, delivery_id)


def webhooks_emit(*, verdict_id: int, event: str) -> list[WebhookDelivery]:
    """Record a delivery for every active subscription to ``event`` and enqueue it after commit.

    Runs in a worker (``webhooks_emit_task``, queued by the publish/correct services after
    commit), never in the editor's request. It never raises
    because a subscriber is down; it raises InvalidInputError only for an unknown event.
    """
    if event not in EVENTS:
        raise InvalidInputError(f"Unknown webhook event {event!r}; use one of {', '.join(EVENTS)}.")
    from claims.selectors.public import published_verdict_by_id

    subscriptions = _subscriptions_for(event)
    if not subscriptions:
        return []
    verdict = published_verdict_by_id(verdict_id)
    if verdict is None:
        logger.warning("webhooks_emit: verdict %s is not published; nothing sent", verdict_id)
        return []
    data = _verdict_payload(verdict)
    created: list[WebhookDelivery] = []
    with transaction.atomic():
        for sub in subscriptions:
            delivery = WebhookDelivery(subscription=sub, event=event, payload={})
            delivery.payload = json.loads(
                json.dumps(
                    {
                        "id": str(delivery.event_id),
                        "event": event,
                        "created_at": timezone.now(),
                        "data": data,
                    },
                    cls=DjangoJSONEncoder,
                )
            )
            delivery.save()
            created.append(delivery)
            _enqueue_delivery(delivery.pk)
    return created


# --- delivery ------------------------------------------------------------------------------


def webhook_deliver(*, delivery_id: int) -> WebhookDelivery:
    """Make one delivery attempt; raises WebhookRetryLater while attempts remain.

    Idempotent: a delivered or finally failed delivery is left alone. The body and its
    signature are made fresh for each attempt (new timestamp), from the stored payload.
    """
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(of=("self",))
            .select_related("subscription__api_key", "alert_webhook")
            .get(pk=delivery_id)
        )
        if delivery.status != Status.PENDING:
            return delivery
        delivery.attempts += 1
        delivery.save(update_fields=["attempts", "updated_at"])
    sub = delivery.subscription or delivery.alert_webhook
    if delivery.subscription is not None:
        if not sub.active or sub.api_key.revoked_at is not None:
            _finish(delivery, Status.FAILED, None, "Subscription inactive or its API key revoked.")
            return delivery
    elif not sub.active:
        _finish(delivery, Status.FAILED, None, "Alert webhook inactive.")
        return delivery

    body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        EVENT_HEADER: delivery.event,
        DELIVERY_HEADER: str(delivery.event_id),
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: webhook_signature(secret=sub.secret, timestamp=timestamp, body=body),
    }
    result = webhook_post(sub.url, body=body, headers=headers)
    if result.ok:
        _finish(delivery, Status.DELIVERED, result.status, "")
        return delivery
    if delivery.attempts >= MAX_ATTEMPTS:
        _finish(delivery, Status.FAILED, result.status, result.error)
        return delivery
    _finish(delivery, Status.PENDING, result.status, result.error)
    countdown = RETRY_DELAYS[delivery.attempts - 1]
    raise WebhookRetryLater(result.error, countdown=countdown)


def _finish(delivery: WebhookDelivery, status: str, response_status: int | None, error: str):
    delivery.status = status
    delivery.response_status = response_status
    delivery.last_error = error
    if status == Status.DELIVERED:
        delivery.delivered_at = timezone.now()
    delivery.save(
        update_fields=["status", "response_status", "last_error", "delivered_at", "updated_at"]
    )


def webhooks_retry_due(*, now=None) -> int:
    """Re-enqueue pending deliveries whose retry is overdue (for a periodic beat task).

    The task schedules its own retries; this sweep catches those lost with a worker or a broker
    restart, and is the retry mechanism of the eager quick start. ``SWEEP_GRACE`` keeps it from
    racing a retry that is merely due. Returns how many were enqueued.
    """
    now = now or timezone.now()
    count = 0
    pending = WebhookDelivery.objects.filter(
        status=Status.PENDING, updated_at__lte=now - timedelta(seconds=SWEEP_GRACE)
    ).only("pk", "attempts", "updated_at")
    for delivery in pending.iterator():
        delay = RETRY_DELAYS[min(max(delivery.attempts, 1), len(RETRY_DELAYS)) - 1]
        if delivery.attempts == 0 or (
            delivery.updated_at + timedelta(seconds=delay + SWEEP_GRACE) <= now
        ):
            _enqueue_delivery(delivery.pk)
            count += 1
    return count


# --- subscriptions -------------------------------------------------------------------------


def webhook_url_validate(url: str) -> str:
    """Refuse URLs a delivery could never safely reach: non-http(s), credentials, private hosts."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise InvalidInputError("Give an absolute http or https URL.", code="invalid_url")
    if parts.username or parts.password:
        raise InvalidInputError("The URL must not contain a user name or password.")
    try:
        port = parts.port
    except ValueError:
        port = 0
    if port == 0:
        raise InvalidInputError("The port must be a number from 1 to 65535.", code="invalid_url")
    allowed = parse_networks(tuple(fetch_policy().allowed_private_networks))
    try:
        vet_host(parts.hostname, port or 443, allowed)
    except AddressNotAllowed as exc:
        raise InvalidInputError(
            f"Webhook URLs must point to a public address ({exc.why}).", code="invalid_url"
        ) from exc
    except (OSError, UnicodeError) as exc:
        raise InvalidInputError(
            f"The host name {parts.hostname} does not resolve.", code="invalid_url"
        ) from exc
    return url


@transaction.atomic
def webhook_subscribe(*, api_key: ApiKey, url: str, events: list[str]) -> WebhookSubscription:
    """Register a subscription; its ``secret`` is generated here and shown to the caller once."""
    import secrets

    events = list(dict.fromkeys(events))
    unknown = [e for e in events if e not in EVENTS]
    if not events or unknown:
        raise InvalidInputError(f"Choose events from {', '.join(EVENTS)}.", code="invalid_events")
    webhook_url_validate(url)
    sub = WebhookSubscription(
        api_key=api_key, url=url, events=events, secret=secrets.token_hex(32), active=True
    )
    sub.full_clean()
    sub.save()
    return sub


def alert_webhooks_emit(*, kind: str, dedupe_key: str, text: str) -> list[WebhookDelivery]:
    """One delivery of a ``{"text": ...}`` alert (Slack and Mattermost incoming webhooks read
    it) per active alert chat webhook that wants ``kind``; each alert reaches a channel once.

    Runs in a worker (the alert evaluation); deliveries go out after commit, signed and retried
    exactly like the API's webhooks (webhook_deliver, webhooks_retry_due).
    """
    from claims.models import AlertWebhook

    hooks = [h for h in AlertWebhook.objects.filter(active=True) if h.wants(kind)]
    if not hooks:
        return []
    done = set(
        WebhookDelivery.objects.filter(alert_webhook__in=hooks, dedupe_key=dedupe_key).values_list(
            "alert_webhook_id", flat=True
        )
    )
    created = []
    with transaction.atomic():
        for hook in hooks:
            if hook.pk in done:
                continue
            try:
                with transaction.atomic():  # a concurrent run may have just created it
                    delivery = WebhookDelivery.objects.create(
                        alert_webhook=hook,
                        event=kind,
                        dedupe_key=dedupe_key,
                        payload={"text": text},
                    )
            except IntegrityError:
                continue
            created.append(delivery)
            _enqueue_delivery(delivery.pk)
    return created


@transaction.atomic
def webhook_unsubscribe(*, subscription: WebhookSubscription) -> None:
    subscription.active = False
    subscription.save(update_fields=["active", "updated_at"])
