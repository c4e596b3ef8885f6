"""The details that erode a desk's trust, each fixed (issue #14): the outlet from the address,
the article's own date in the queue, a readable rating on the public page, the Atom entries'
languages, API docs without third-party hosts, a too large paste, the short verdict's place in
ClaimReview, and entity tooltips in the reader's language."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import translation

from claims.claimreview import review_rating
from claims.models import Article
from claims.services.ingestion import article_submit
from tests.api.conftest import full_verdict, labels, scale  # noqa: F401 - shared fixtures
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    OutletFactory,
    PublishedVerdictFactory,
)

pytestmark = pytest.mark.django_db


# -- the outlet from the address ------------------------------------------------------------


def test_outlet_is_found_by_domain_homepage_or_parent_domain(reviewer):
    zeit = OutletFactory(name="ZEIT ONLINE", domain="www.zeit.de")
    spiegel = OutletFactory(name="DER SPIEGEL", homepage="https://www.spiegel.de/", domain="")
    by_domain = article_submit(source="url", url="https://www.zeit.de/politik/a", enqueue=False)
    by_homepage = article_submit(source="url", url="https://spiegel.de/politik/b", enqueue=False)
    subdomain = article_submit(source="url", url="https://m.spiegel.de/politik/c", enqueue=False)
    unknown = article_submit(source="url", url="https://taz.de/politik/d", enqueue=False)
    assert by_domain.outlet == zeit
    assert by_homepage.outlet == spiegel and subdomain.outlet == spiegel
    assert unknown.outlet is None


def test_a_desk_members_pasted_copy_names_its_outlet(client, reviewer):
    OutletFactory(name="ZEIT ONLINE", domain="www.zeit.de")
    client.force_login(reviewer)
    response = client.post(
        reverse("articles:submit"),
        {"url": "https://www.zeit.de/politik/nordkorea", "text": "Ein Satz. " * 20},
    )
    article = Article.objects.get()
    assert response.status_code == 302
    assert article.outlet.name == "ZEIT ONLINE"
    page = client.get(reverse("articles:detail", args=[article.pk])).content.decode()
    assert re.search(r"<dt>Outlet</dt><dd>ZEIT ONLINE\b", page)


# -- the queue's date -------------------------------------------------------------------------


def test_queue_date_is_the_articles_date_and_marked_when_unknown(client, reviewer):
    from datetime import UTC, datetime

    dated = ClaimFactory(article=ArticleFactory(published_at=datetime(2019, 2, 28, tzinfo=UTC)))
    undated = ClaimFactory(article=ArticleFactory(published_at=None))
    client.force_login(reviewer)
    body = client.get(reverse("claims:queue")).content.decode()
    rows = dict(
        re.findall(r'data-claim-id="(\d+)".*?data-testid="article-date">(.*?)</td>', body, re.S)
    )
    assert "2019-02-28" in rows[str(dated.pk)]
    assert "no date" in rows[str(undated.pk)] and "<time" not in rows[str(undated.pk)]


# -- the public page's rating -----------------------------------------------------------------


def test_public_rating_reads_as_a_phrase(client, labels):  # noqa: F811
    false = PublishedVerdictFactory(rating_label=labels["false"])
    mostly = PublishedVerdictFactory(rating_label=labels["mostly_true"])
    context = PublishedVerdictFactory(rating_label=labels["context"])
    body = client.get(f"/verdicts/{false.slug}/").content.decode()
    assert "— 1 of 5 on our scale from “Falsch” to “Richtig”" in body
    assert "on a scale from" not in body and "Correctiv" not in body
    body = client.get(f"/verdicts/{mostly.slug}/").content.decode()
    assert "4 of 5 on our scale" in body
    body = client.get(f"/verdicts/{context.slug}/").content.decode()
    assert 'data-testid="rating-position"' not in body and "Correctiv" not in body


# -- the Atom feed's languages ----------------------------------------------------------------


def test_atom_entries_say_their_own_language(client, labels):  # noqa: F811
    german = PublishedVerdictFactory(rating_label=labels["false"], claim__language="de")
    english = PublishedVerdictFactory(rating_label=labels["true"], claim__language="en")
    root = ET.fromstring(client.get("/feeds/verdicts.atom").content)  # noqa: S314
    ns = {"a": "http://www.w3.org/2005/Atom"}
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    by_link = {
        e.find("a:link", ns).get("href").rstrip("/").rsplit("/", 1)[-1]: e.get(lang)
        for e in root.findall("a:entry", ns)
    }
    assert by_link == {german.slug: "de", english.slug: "en"}


# -- API docs without third-party hosts -------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/redoc/", "/api/docs/"])
def test_api_docs_load_nothing_from_another_host(client, path):
    response = client.get(path)
    assert response.status_code == 200
    body = response.content.decode()
    assert "googleapis" not in body and "gstatic" not in body
    external = re.findall(r'(?:src|href)="(https?://[^"]+)"', body)
    assert external == []
    assert "font-src 'self'" in response["Content-Security-Policy"]
    assert "connect-src 'self'" in response["Content-Security-Policy"]


# -- a too large paste ------------------------------------------------------------------------


def test_a_5_mb_paste_is_a_clear_form_error(client, reviewer):
    client.force_login(reviewer)
    response = client.post(reverse("articles:submit"), {"text": "Ein Satz. " * 500_000})
    assert response.status_code == 413
    body = response.content.decode()
    assert "larger than 2.5 MB" in body and "upload it" in body
    tag = re.search(r'<textarea[^>]*id="id_text"[^>]*>', body).group(0)
    assert 'aria-invalid="true"' in tag and "autofocus" in tag
    assert Article.objects.count() == 0
    # Another form: a short answer, still not Django's bare error page.
    other = client.post(reverse("claims:queue_bulk"), {"ids": "1" * 3_000_000})
    assert other.status_code == 413
    assert "larger than 2.5 MB" in other.content.decode()


# -- the short verdict in ClaimReview ---------------------------------------------------------


def test_the_short_verdict_is_the_rating_explanation_as_the_help_says(labels):  # noqa: F811
    from claims.forms import VerdictForm

    verdict = PublishedVerdictFactory(rating_label=labels["false"], summary="Nein, 2019 nicht.")
    rating = review_rating(verdict)
    assert rating["ratingExplanation"] == "Nein, 2019 nicht."
    assert rating["alternateName"] == "Falsch"
    help_text = str(VerdictForm().fields["summary"].help_text)
    assert "ratingExplanation" in help_text and "alternateName" not in help_text


# -- entity tooltips in the reader's language -------------------------------------------------


def test_entity_tooltips_follow_the_ui_language(client, reviewer):
    claim = ClaimFactory(
        text="Olaf Scholz besuchte Paris.",
        entities=[{"text": "Olaf Scholz", "label": "PER"}, {"text": "Paris", "label": "LOC"}],
    )
    client.force_login(reviewer)
    body = client.get(reverse("claims:claim", args=[claim.pk])).content.decode()
    assert 'title="person">Olaf Scholz' in body and "(entity: person)" in body
    assert "PER" not in re.findall(r'class="mention[^"]*" title="([^"]*)"', body)

    client.cookies["django_language"] = "de"
    body = client.get(reverse("claims:claim", args=[claim.pk]), HTTP_ACCEPT_LANGUAGE="de").content
    body = body.decode()
    with translation.override("de"):
        place, entity = translation.gettext("place"), translation.gettext("entity")
    assert f'title="{place}">Paris' in body
    assert f"({entity}: {place})" in body
    assert entity != "entity"  # the UI's own word for it, already translated
