"""Webhook deliveries against a real local receiver on 127.0.0.1 (no mocks of HTTP)."""

import pytest
from django.utils import timezone

from claims.models import Verdict, WebhookDelivery
from claims.services import webhooks
from claims.services.api_keys import api_key_create, api_key_revoke
from claims.services.verdicts import verdict_correct, verdict_publish
from tests.factories import (
    EvidenceSourceFactory,
    PublishedVerdictFactory,
    UserFactory,
    VerdictFactory,
)
from tests.webhook_receiver import SignedReceiver

pytestmark = pytest.mark.django_db

SECRET_HEADER = webhooks.SIGNATURE_HEADER


def Receiver(statuses=(200,)) -> SignedReceiver:
    return SignedReceiver(statuses=statuses)


@pytest.fixture
def allow_local(settings):
    # Test-only: let deliveries reach the receiver on 127.0.0.1 (empty in every real config).
    settings.CLAIMTRACKER_FETCH = {
        **settings.CLAIMTRACKER_FETCH,
        "ALLOWED_PRIVATE_NETWORKS": ("127.0.0.1/32",),
    }


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


def _subscribe(url, events=("verdict.published",)):
    key = api_key_create(name="Partner", scopes=[]).api_key
    return webhooks.webhook_subscribe(api_key=key, url=url, events=list(events))


def test_delivery_is_signed_and_logged(allow_local, receiver):
    sub = _subscribe(receiver.url, events=["verdict.published", "verdict.corrected"])
    receiver.secret = sub.secret
    _subscribe(receiver.url, events=["verdict.corrected"])  # not for this event
    verdict = PublishedVerdictFactory()
    deliveries = webhooks.webhooks_emit(verdict_id=verdict.pk, event="verdict.published")
    assert len(deliveries) == 1

    delivery = webhooks.webhook_deliver(delivery_id=deliveries[0].pk)
    assert delivery.status == WebhookDelivery.Status.DELIVERED
    assert (delivery.attempts, delivery.response_status) == (1, 200)
    assert delivery.delivered_at is not None
    [request] = receiver.requests
    assert request["valid"]
    assert request["headers"][webhooks.EVENT_HEADER] == "verdict.published"
    assert request["headers"][webhooks.DELIVERY_HEADER] == str(delivery.event_id)
    assert request["body"]["id"] == str(delivery.event_id)
    assert request["body"]["data"]["verdict"]["id"] == verdict.pk
    assert request["body"]["data"]["claim_review"]["@type"] == "ClaimReview"
    # Idempotent: a second run of the task does not deliver again.
    webhooks.webhook_deliver(delivery_id=delivery.pk)
    assert len(receiver.requests) == 1


def test_wrong_secret_is_rejected_by_the_receiver(allow_local, receiver):
    sub = _subscribe(receiver.url)
    receiver.secret = "not-the-secret"
    verdict = PublishedVerdictFactory()
    [delivery] = webhooks.webhooks_emit(verdict_id=verdict.pk, event="verdict.published")
    with pytest.raises(webhooks.WebhookRetryLater):
        webhooks.webhook_deliver(delivery_id=delivery.pk)
    assert receiver.requests[0]["valid"] is False
    assert sub.secret != receiver.secret


def test_server_errors_are_retried_with_backoff_until_delivered(allow_local):
    receiver = Receiver(statuses=[500, 503, 200])
    try:
        receiver.secret = _subscribe(receiver.url).secret
        verdict = PublishedVerdictFactory()
        [delivery] = webhooks.webhooks_emit(verdict_id=verdict.pk, event="verdict.published")
        countdowns = []
        for _ in range(2):
            with pytest.raises(webhooks.WebhookRetryLater) as exc:
                webhooks.webhook_deliver(delivery_id=delivery.pk)
            countdowns.append(exc.value.countdown)
        delivery.refresh_from_db()
        assert (delivery.status, delivery.response_status) == ("pending", 503)
        assert "503" in delivery.last_error
        assert countdowns == list(webhooks.RETRY_DELAYS[:2])
        assert countdowns[1] > countdowns[0]
        delivery = webhooks.webhook_deliver(delivery_id=delivery.pk)
        assert (delivery.status, delivery.attempts) == ("delivered", 3)
        # Every retry carries the same event id, so the receiver can drop duplicates.
        assert len({r["headers"][webhooks.DELIVERY_HEADER] for r in receiver.requests}) == 1
    finally:
        receiver.close()


def test_gives_up_after_max_attempts(allow_local):
    receiver = Receiver(statuses=[500])
    try:
        receiver.secret = _subscribe(receiver.url).secret
        [delivery] = webhooks.webhooks_emit(
            verdict_id=PublishedVerdictFactory().pk, event="verdict.published"
        )
        for _ in range(webhooks.MAX_ATTEMPTS - 1):
            with pytest.raises(webhooks.WebhookRetryLater):
                webhooks.webhook_deliver(delivery_id=delivery.pk)
        delivery = webhooks.webhook_deliver(delivery_id=delivery.pk)
        assert (delivery.status, delivery.attempts) == ("failed", webhooks.MAX_ATTEMPTS)
    finally:
        receiver.close()


def test_private_addresses_are_refused_without_the_test_allowlist(allow_local, receiver, settings):
    sub = _subscribe(receiver.url)
    settings.CLAIMTRACKER_FETCH = {**settings.CLAIMTRACKER_FETCH, "ALLOWED_PRIVATE_NETWORKS": ()}
    [delivery] = webhooks.webhooks_emit(
        verdict_id=PublishedVerdictFactory().pk, event="verdict.published"
    )
    with pytest.raises(webhooks.WebhookRetryLater):
        webhooks.webhook_deliver(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert "loopback" in delivery.last_error
    assert receiver.requests == []
    with pytest.raises(Exception, match="public address"):
        webhooks.webhook_subscribe(
            api_key=sub.api_key, url=receiver.url, events=["verdict.published"]
        )
    with pytest.raises(Exception, match="public address"):
        webhooks.webhook_url_validate("http://169.254.169.254/latest/meta-data/")


def test_down_subscriber_does_not_affect_publishing(
    allow_local, django_capture_on_commit_callbacks
):
    receiver = Receiver()
    url = receiver.url
    receiver.close()  # nothing listens there any more
    _subscribe(url)
    author = UserFactory(username="autor", roles=["reviewer"])
    editor = UserFactory(username="chefin", roles=["editor"])
    verdict = VerdictFactory(status=Verdict.Status.IN_REVIEW, author=author)
    EvidenceSourceFactory(verdict=verdict)
    with django_capture_on_commit_callbacks(execute=True):
        published = verdict_publish(actor=editor, verdict_id=verdict.pk, version=verdict.version)
    assert published.status == Verdict.Status.PUBLISHED
    delivery = WebhookDelivery.objects.get()
    assert delivery.event == "verdict.published"
    # Whatever the task did (eager or not), the delivery is pending or failed, never lost,
    # and an attempt against the dead subscriber fails quickly instead of hanging.
    if delivery.status == "pending":
        with pytest.raises(webhooks.WebhookRetryLater):
            webhooks.webhook_deliver(delivery_id=delivery.pk)
        delivery.refresh_from_db()
        assert "Connection failed" in delivery.last_error or "refused" in delivery.last_error
    assert Verdict.objects.get(pk=verdict.pk).status == Verdict.Status.PUBLISHED


def test_correction_emits_verdict_corrected(
    allow_local, receiver, django_capture_on_commit_callbacks
):
    sub = _subscribe(receiver.url, events=["verdict.corrected"])
    editor = UserFactory(username="chefin", roles=["editor"])
    verdict = PublishedVerdictFactory()
    with django_capture_on_commit_callbacks(execute=True):
        verdict_correct(
            actor=editor, verdict_id=verdict.pk, version=verdict.version, note="Datum korrigiert.",
            rating_label_id=verdict.rating_label_id, summary="Neu.", explanation="Neu.",
        )  # fmt: skip
    delivery = WebhookDelivery.objects.get(subscription=sub)
    assert delivery.event == "verdict.corrected"
    assert delivery.payload["data"]["verdict"]["corrections"][0]["note"] == "Datum korrigiert."


def test_revoked_keys_and_unknown_events(allow_local, receiver):
    sub = _subscribe(receiver.url)
    api_key_revoke(api_key=sub.api_key)
    verdict = PublishedVerdictFactory()
    assert webhooks.webhooks_emit(verdict_id=verdict.pk, event="verdict.published") == []
    with pytest.raises(Exception, match="Unknown webhook event"):
        webhooks.webhooks_emit(verdict_id=verdict.pk, event="verdict.deleted")


def test_retry_sweep_enqueues_only_due_deliveries(allow_local, receiver):
    receiver.secret = _subscribe(receiver.url).secret
    [delivery] = webhooks.webhooks_emit(
        verdict_id=PublishedVerdictFactory().pk, event="verdict.published"
    )
    WebhookDelivery.objects.filter(pk=delivery.pk).update(attempts=1)
    assert webhooks.webhooks_retry_due(now=timezone.now()) == 0
    due = timezone.now() + timezone.timedelta(seconds=webhooks.RETRY_DELAYS[0] + 1)
    assert webhooks.webhooks_retry_due(now=due) == 0  # the task's own retry is not late yet
    late = due + timezone.timedelta(seconds=webhooks.SWEEP_GRACE)
    assert webhooks.webhooks_retry_due(now=late) == 1


def test_webhook_api_subscribe_list_deliveries_delete(allow_local, receiver):
    from rest_framework.test import APIClient

    created = api_key_create(name="Partner", scopes=[])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {created.raw_key}")
    response = client.post(
        "/api/v1/webhooks/", {"url": receiver.url, "events": ["verdict.published"]}, format="json"
    )
    assert response.status_code == 201
    sub_id, secret = response.json()["id"], response.json()["secret"]
    assert len(secret) == 64
    listed = client.get("/api/v1/webhooks/").json()
    assert [s["id"] for s in listed] == [sub_id] and "secret" not in listed[0]
    receiver.secret = secret
    [delivery] = webhooks.webhooks_emit(
        verdict_id=PublishedVerdictFactory().pk, event="verdict.published"
    )
    webhooks.webhook_deliver(delivery_id=delivery.pk)
    log = client.get(f"/api/v1/webhooks/{sub_id}/deliveries/").json()
    assert log[0]["status"] == "delivered"
    bad = client.post("/api/v1/webhooks/", {"url": receiver.url, "events": ["nope"]}, format="json")
    assert bad.status_code == 400
    assert client.delete(f"/api/v1/webhooks/{sub_id}/").status_code == 204
    assert client.get(f"/api/v1/webhooks/{sub_id}/").status_code == 404
    other = APIClient()
    other.credentials(HTTP_AUTHORIZATION=f"Api-Key {api_key_create(name='B', scopes=[]).raw_key}")
    assert other.get(f"/api/v1/webhooks/{sub_id}/deliveries/").status_code == 404
