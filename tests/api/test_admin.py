import re

import pytest

from claims.models import ApiKey, WebhookDelivery, WebhookSubscription
from claims.services.api_keys import api_key_authenticate

pytestmark = pytest.mark.django_db


def test_admin_creates_a_key_shows_it_once_and_revokes_it(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        "/admin/claims/apikey/add/",
        {"name": "Correctiv", "scopes": ["claims:read"]},
        follow=True,
    )
    assert response.status_code == 200
    html = response.content.decode()
    raw = re.search(r"<code>(ctk_[^<]+)</code>", html).group(1)
    key = ApiKey.objects.get(name="Correctiv")
    assert key.scopes == ["claims:read"]
    assert key.created_by == admin_user
    assert api_key_authenticate(raw_key=raw) == key
    # Never again: the change page does not contain it.
    change = client.get(f"/admin/claims/apikey/{key.pk}/change/").content.decode()
    assert raw not in change

    client.post(
        "/admin/claims/apikey/",
        {"action": "revoke_keys", "_selected_action": [key.pk]},
        follow=True,
    )
    assert api_key_authenticate(raw_key=raw) is None


def test_webhook_admin_pages_and_read_only_delivery_log(client, admin_user):
    client.force_login(admin_user)
    key = ApiKey.objects.create(name="P", prefix="ctk_x", key_hash="0" * 64)
    sub = WebhookSubscription.objects.create(
        api_key=key, url="https://hooks.example/", secret="s", events=["verdict.published"]
    )
    delivery = WebhookDelivery.objects.create(
        subscription=sub, event="verdict.published", payload={}
    )
    assert client.get("/admin/claims/webhooksubscription/").status_code == 200
    assert client.get("/admin/claims/webhookdelivery/").status_code == 200
    assert client.get(f"/admin/claims/webhookdelivery/{delivery.pk}/change/").status_code == 200
    assert client.get("/admin/claims/webhookdelivery/add/").status_code == 403
