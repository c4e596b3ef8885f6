"""Watch rules: the `watch` command and the Follow buttons / watchlist page."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from claims.models import Speaker, SpeakerAlias, WatchRule
from tests.factories import ArticleFactory, ClaimFactory, ClaimGroupFactory, OutletFactory

pytestmark = pytest.mark.django_db


def _watch(*args):
    from io import StringIO

    out = StringIO()
    call_command("watch", *args, stdout=out)
    return out.getvalue()


def test_watch_command_adds_lists_and_removes(reviewer):
    scholz = Speaker.objects.create(name="Olaf Scholz")
    SpeakerAlias.objects.create(speaker=scholz, alias="Scholz")
    OutletFactory(name="Der Spiegel", domain="www.spiegel.de")
    group = ClaimGroupFactory()
    _watch("--user", "rita", "--speaker", "scholz")
    _watch("--user", "rita", "--outlet", "www.spiegel.de")
    _watch("--user", "rita", "--topic", "  Wärmepumpe   KOSTEN ")
    _watch("--user", "rita", "--group", str(group.pk))
    _watch("--user", "rita", "--speaker", "Olaf Scholz")  # again: no second rule
    listing = _watch("--user", "rita", "--list")
    assert [line.split("\t")[1:] for line in listing.strip().splitlines()] == [
        ["speaker", "Olaf Scholz"],
        ["outlet", "Der Spiegel"],
        ["topic", "wärmepumpe kosten"],
        ["group", f"Group {group.pk}"],
    ]
    rule = WatchRule.objects.get(kind="topic")
    _watch("--user", "rita", "--remove", str(rule.pk))
    assert WatchRule.objects.filter(user=reviewer).count() == 3
    with pytest.raises(CommandError, match="No speaker"):
        _watch("--user", "rita", "--speaker", "Nobody Known")
    with pytest.raises(CommandError):
        _watch("--user", "rita", "--remove", str(rule.pk))


def test_follow_buttons_and_watchlist(client, reviewer):
    outlet = OutletFactory(name="taz")
    group = ClaimGroupFactory()
    claim = ClaimFactory(article=ArticleFactory(outlet=outlet), group=group)
    client.force_login(reviewer)
    page = client.get(reverse("claims:claim", args=[claim.pk]))
    assert b'data-testid="follow-outlet"' in page.content
    assert b'data-testid="follow-group"' in page.content
    follow = reverse("notifications:follow")
    response = client.post(follow, {"kind": "group", "target": group.pk, "next": "/x/"})
    assert response.status_code == 303 and response["Location"] == "/x/"
    client.post(follow, {"kind": "outlet", "target": outlet.pk})
    client.post(follow, {"kind": "topic", "target": "Mietpreisbremse"})
    page = client.get(reverse("claims:claim", args=[claim.pk]))
    assert b'data-testid="unfollow-group"' in page.content
    watchlist = client.get(reverse("notifications:watchlist")).content.decode()
    assert "taz" in watchlist and "mietpreisbremse" in watchlist
    rule = WatchRule.objects.get(kind="group")
    client.post(reverse("notifications:unfollow", args=[rule.pk]))
    assert not WatchRule.objects.filter(kind="group").exists()
    article_page = client.get(reverse("articles:detail", args=[claim.article_id]))
    assert b'data-testid="unfollow-outlet"' in article_page.content


def test_admin_adds_an_alert_chat_webhook(client, admin_user, settings):
    from claims.models import AlertWebhook

    settings.CLAIMTRACKER_FETCH = {
        **settings.CLAIMTRACKER_FETCH,
        "ALLOWED_PRIVATE_NETWORKS": ("127.0.0.1/32",),
    }
    client.force_login(admin_user)
    add = reverse("admin:claims_alertwebhook_add")
    assert client.get(add).status_code == 200
    response = client.post(
        add,
        {
            "name": "#desk",
            "url": "http://127.0.0.1:9/hooks",
            "kinds": ["alert_repeat"],
            "active": "on",
        },
    )
    assert response.status_code == 302
    hook = AlertWebhook.objects.get()
    assert hook.kinds == ["alert_repeat"] and len(hook.secret) == 64
    settings.CLAIMTRACKER_FETCH = {**settings.CLAIMTRACKER_FETCH, "ALLOWED_PRIVATE_NETWORKS": ()}
    refused = client.post(add, {"name": "x", "url": "http://127.0.0.1:9/", "active": "on"})
    assert refused.status_code == 200 and AlertWebhook.objects.count() == 1
    for name in ("watchrule", "notification", "webhookdelivery"):
        assert client.get(reverse(f"admin:claims_{name}_changelist")).status_code == 200
