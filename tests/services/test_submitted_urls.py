"""Submitted addresses (issue #17, security 3 and 4): ports out of range are refused clearly on
every path and never strand an article or a feed; a submitted text or page is the submitter's
copy and never stands for the address it names; userinfo URLs cannot poison later submissions."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from claims.exceptions import InvalidInputError
from claims.models import Article, Feed
from claims.services.api_keys import api_key_create
from claims.services.feeds import feed_poll
from claims.services.ingestion import article_fetch, article_submit
from tests.factories import FeedFactory, OutletFactory
from tests.ingest.server import LocalServer

pytestmark = pytest.mark.django_db

BAD_PORT = "http://127.0.0.1:99999/"
ARTICLE = (
    "<html><head><title>Stadtrat</title>{head}</head><body><article><p>"
    + "Der Stadtrat hat am Dienstag beschlossen, die Radwege bis 2030 um 40 Kilometer "
    "auszubauen, sagte die Oberbürgermeisterin. " * 4 + "</p></article></body></html>"
)


@pytest.fixture
def server(settings):
    settings.CLAIMTRACKER_FETCH = {
        **settings.CLAIMTRACKER_FETCH,
        "ALLOWED_PRIVATE_NETWORKS": ("127.0.0.1/32",),
        "TIMEOUT": 3.0,
    }
    with LocalServer() as srv:
        yield srv


def key_client(*scopes: str) -> APIClient:
    created = api_key_create(name="Partner", scopes=list(scopes))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {created.raw_key}")
    return client


# -- ports out of range ---------------------------------------------------------------------


@pytest.mark.parametrize("url", [BAD_PORT, "https://example.org:0/a", "http://x.example:70000/"])
def test_service_refuses_a_port_out_of_range(url):
    with pytest.raises(InvalidInputError, match="port"):
        article_submit(source=Article.Source.URL, url=url, enqueue=False)


def test_web_form_answers_400(client, reviewer):
    client.force_login(reviewer)
    response = client.post("/articles/new/", {"url": BAD_PORT, "title": "", "text": ""})
    assert response.status_code == 400
    assert b"port" in response.content
    assert not Article.objects.exists()


def test_api_answers_400():
    response = key_client("articles:submit").post(
        "/api/v1/articles/", {"url": BAD_PORT}, format="json"
    )
    assert response.status_code == 400, response.content
    assert "port" in json.dumps(response.json())


def test_webhook_subscription_answers_400():
    response = key_client("claims:read").post(
        "/api/v1/webhooks/",
        {"url": "https://hooks.example:99999/x", "events": ["verdict.published"]},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert "port" in json.dumps(response.json())


def test_ingest_command_reports_the_error_without_a_traceback():
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("ingest", "--json", BAD_PORT, stdout=out, stderr=err)
    assert exc.value.returncode == 1
    assert "port" in out.getvalue() + err.getvalue()


def test_canonical_link_with_a_bad_port_does_not_strand_the_article(server):
    head = '<link rel="canonical" href="http://x.example:99999/a">'
    url = server.add("/page", body=ARTICLE.format(head=head).encode(), content_type="text/html")
    article = article_submit(source=Article.Source.URL, url=url, enqueue=False)

    article_fetch(article_id=article.pk, enqueue=False)

    article.refresh_from_db()
    assert article.status == Article.Status.EXTRACTING
    assert article.url == url


def test_a_feed_entry_with_a_bad_port_is_skipped_and_the_others_ingested(server, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    items = "".join(
        f"<item><title>T</title><link>{link}</link></item>"
        for link in ("https://a.example/1", BAD_PORT, "https://a.example/2")
    )
    body = f'<rss version="2.0"><channel><title>F</title>{items}</channel></rss>'.encode()
    feed = FeedFactory(url=server.add("/feed", body=body, content_type="application/rss+xml"))

    assert feed_poll(feed_id=feed.pk) == 2

    feed = Feed.objects.get(pk=feed.pk)
    assert feed.consecutive_failures == 0 and feed.last_error == ""
    assert Article.objects.filter(feed=feed).count() == 2


# -- the submitter's copy -------------------------------------------------------------------


def test_text_with_a_url_is_the_submitters_copy_and_the_real_page_is_fetched_later(
    server, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    url = server.add("/politik/a", body=ARTICLE.format(head="").encode(), content_type="text/html")
    outlet = OutletFactory(name="Lokalblatt", homepage="http://127.0.0.1/")
    response = key_client("articles:submit").post(
        "/api/v1/articles/", {"url": url, "text": "Planted words. " * 20}, format="json"
    )
    assert response.status_code == 202
    planted = Article.objects.get(pk=response.json()["id"])
    assert planted.submitted_url == url
    assert planted.url == "" and planted.url_hash is None
    assert planted.outlet_id != outlet.pk

    real = article_submit(source=Article.Source.URL, url=url + "?utm_source=x", enqueue=False)
    assert real.pk != planted.pk
    article_fetch(article_id=real.pk, enqueue=False)
    real.refresh_from_db()
    assert "Radwege" in real.text and "Planted" not in real.text


def test_an_uploaded_page_cannot_claim_an_address_through_its_canonical_link():
    head = '<link rel="canonical" href="https://www.zeit.de/politik/a">'
    copy = article_submit(
        source=Article.Source.FILE, html=ARTICLE.format(head=head).encode(), enqueue=False
    )
    article_fetch(article_id=copy.pk, enqueue=False)

    copy.refresh_from_db()
    assert copy.url == "" and copy.url_hash is None


def test_userinfo_is_refused_and_cannot_poison_the_clean_url():
    with pytest.raises(InvalidInputError, match="user name"):
        article_submit(source=Article.Source.URL, url="https://x:y@news.example/a", enqueue=False)

    clean = article_submit(source=Article.Source.URL, url="https://news.example/a", enqueue=False)
    assert clean.submitted_url == "https://news.example/a"


def test_a_failed_article_is_fetched_again_from_the_new_spelling():
    # An article left by the old code: its submitted spelling carries userinfo and failed.
    first = article_submit(source=Article.Source.URL, url="https://news.example/b", enqueue=False)
    Article.objects.filter(pk=first.pk).update(
        submitted_url="https://x:y@news.example/b", status=Article.Status.FAILED
    )

    again = article_submit(source=Article.Source.URL, url="https://news.example/b", enqueue=False)

    assert again.pk == first.pk
    assert again.status == Article.Status.QUEUED
    assert Article.objects.get(pk=first.pk).submitted_url == "https://news.example/b"
