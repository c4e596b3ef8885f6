"""Absolute links follow the request when CLAIMTRACKER_SITE_URL is unset, the setting when set:
in the API, the Atom feed, the exports, the sitemap, ClaimReview and webhooks (issue #14)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from claims.services import webhooks
from tests.api.conftest import full_verdict, labels, scale  # noqa: F401 - shared fixtures

pytestmark = pytest.mark.django_db

HOST = "desk.example:8123"
# Links that are not ours: the articles' and evidence's own addresses, vocabularies.
FOREIGN = (
    "news.example",
    "outlet",
    "zeit.de",
    "spiegel.de",
    "reuters.com",
    "schema.org",
    "w3.org",
    "sitemaps.org",
)
URL = re.compile(r"https?://[^\s\"'<>\\]+")


def _our_links(body: str) -> list[str]:
    return [u for u in URL.findall(body) if not any(f in u for f in FOREIGN)]


def _bodies(client, verdict) -> dict[str, str]:
    get = lambda path: client.get(path, HTTP_HOST=HOST)  # noqa: E731
    bodies = {}
    for path in (
        f"/verdicts/{verdict.slug}/",
        "/api/v1/verdicts/?page_size=1",
        f"/api/v1/verdicts/{verdict.pk}/",
        f"/api/v1/verdicts/{verdict.pk}/claimreview",
        "/claimreview.json",
        "/feeds/verdicts.atom",
        "/sitemap.xml",
        "/sitemap-verdicts.xml",
    ):
        response = get(path)
        assert response.status_code == 200, path
        bodies[path] = response.content.decode()
    for path in ("/exports/verdicts.csv", "/exports/verdicts.jsonl"):
        response = get(path)
        bodies[path] = b"".join(response.streaming_content).decode()
    return bodies


@pytest.fixture(autouse=True)
def _fresh_caches():
    # The sitemap and anonymous API answers are cached per URL; each test changes the setting.
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture
def two_verdicts(full_verdict, labels):  # noqa: F811 - a second one, so the list has a next link
    from tests.factories import PublishedVerdictFactory

    PublishedVerdictFactory(rating_label=labels["true"])
    return full_verdict


def test_links_follow_the_request_when_no_site_url_is_set(client, settings, two_verdicts):
    settings.CLAIMTRACKER_SITE_URL = ""
    for path, body in _bodies(client, two_verdicts).items():
        links = _our_links(body)
        assert links, path
        wrong = [u for u in links if not u.startswith(f"http://{HOST}/")]
        assert not wrong, (path, wrong)


def test_links_use_the_site_url_when_set(client, settings, two_verdicts):
    settings.CLAIMTRACKER_SITE_URL = "https://claims.example.org/"
    for path, body in _bodies(client, two_verdicts).items():
        links = _our_links(body)
        assert links, path
        wrong = [u for u in links if not u.startswith("https://claims.example.org/")]
        assert not wrong, (path, wrong)
    api = client.get("/api/v1/verdicts/?page_size=1", HTTP_HOST=HOST).json()
    assert api["next"].startswith("https://claims.example.org/api/v1/verdicts/?")


def test_webhooks_outside_a_request_use_the_setting_or_the_served_address(
    settings,
    full_verdict,  # noqa: F811
):
    settings.CLAIMTRACKER_SITE_URL = ""
    settings.CLAIMTRACKER_ADDR = "0.0.0.0:8765"
    payload = webhooks._verdict_payload(full_verdict)
    assert payload["verdict"]["public_url"] == (
        f"http://127.0.0.1:8765/verdicts/{full_verdict.slug}/"
    )
    assert payload["verdict"]["api_url"].startswith("http://127.0.0.1:8765/api/v1/")
    settings.CLAIMTRACKER_SITE_URL = "https://claims.example.org"
    payload = webhooks._verdict_payload(full_verdict)
    assert payload["verdict"]["public_url"].startswith("https://claims.example.org/verdicts/")


def _production_settings(**extra: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CLAIMTRACKER_", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="claimtracker.settings.production",
        DJANGO_SECRET_KEY="x" * 60,
        DJANGO_ALLOWED_HOSTS="claims.example.org",
        DATABASE_URL="postgres://claimtracker@127.0.0.1:5432/claimtracker",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/0",
        **extra,
    )
    code = "from django.conf import settings; print(settings.CLAIMTRACKER_SITE_URL)"
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_a_site_url():
    missing = _production_settings()
    assert missing.returncode != 0
    assert "CLAIMTRACKER_SITE_URL" in missing.stderr
    given = _production_settings(CLAIMTRACKER_SITE_URL="https://claims.example.org/")
    assert given.returncode == 0, given.stderr
    assert given.stdout.strip() == "https://claims.example.org"
