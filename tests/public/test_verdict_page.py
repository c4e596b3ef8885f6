"""The public verdict page: readable HTML with exactly one complete ClaimReview, and the feeds."""

import csv
import io
import json
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import extruct
import pytest
from django.utils import timezone

from claims.models import Verdict
from tests.api.conftest import full_verdict, labels, scale  # noqa: F401 - shared fixtures
from tests.factories import PublishedVerdictFactory, VerdictFactory

pytestmark = pytest.mark.django_db


def _page(client, verdict):
    response = client.get(f"/verdicts/{verdict.slug}/")
    assert response.status_code == 200
    return response


def test_page_embeds_exactly_one_complete_claimreview(client, full_verdict):  # noqa: F811
    html = _page(client, full_verdict).content.decode()
    data = extruct.extract(html, base_url="http://testserver/", syntaxes=["json-ld"])
    reviews = [item for item in data["json-ld"] if item.get("@type") == "ClaimReview"]
    assert len(reviews) == 1
    review = reviews[0]
    # Required by schema.org / Google for ClaimReview and its Rating.
    assert review["claimReviewed"] == full_verdict.claim.standalone
    assert review["url"].endswith(f"/verdicts/{full_verdict.slug}/")
    assert review["reviewRating"]["alternateName"] == "Falsch"
    # Recommended, present because the data exists.
    assert review["author"]["@type"] == "Organization"
    assert review["datePublished"]
    assert review["dateModified"] >= review["datePublished"]
    rating = review["reviewRating"]
    assert (rating["ratingValue"], rating["bestRating"], rating["worstRating"]) == (1, 5, 1)
    assert rating["ratingExplanation"] == full_verdict.summary
    item = review["itemReviewed"]
    assert item["author"]["name"] == "Donald Trump"
    assert item["firstAppearance"]["url"] == "https://www.zeit.de/politik/nordkorea"
    assert [a["url"] for a in item["appearance"]] == [
        "https://www.zeit.de/politik/nordkorea",
        "https://www.spiegel.de/politik/nordkorea-trump",
    ]
    assert item["datePublished"].startswith("2019-05-01")
    assert review["correction"][0]["text"] == "Datum der Tests korrigiert."


def test_page_is_the_same_object_as_the_api(client, full_verdict):  # noqa: F811
    html = _page(client, full_verdict).content.decode()
    embedded = extruct.extract(html, syntaxes=["json-ld"])["json-ld"][0]
    served = client.get(f"/api/v1/verdicts/{full_verdict.pk}/claimreview").json()
    assert embedded == served


def test_page_is_readable_without_javascript_and_escapes_untrusted_text(client, labels):  # noqa: F811
    verdict = PublishedVerdictFactory(
        rating_label=labels["false"],
        claim__text='Er sagte "</script><script>alert(1)</script>" im Interview.',
        claim__article__title="<img src=x onerror=alert(1)>",
    )
    response = _page(client, verdict)
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "<img src=x" not in html
    assert html.count("<script") == 1  # only the JSON-LD block, no JavaScript
    assert "Falsch" in html
    assert (
        "Content-Security-Policy" not in response
        or "script-src" in response["Content-Security-Policy"]
    )
    data = extruct.extract(html, syntaxes=["json-ld"])["json-ld"]
    assert data[0]["claimReviewed"] == verdict.claim.text


def test_page_shows_corrections_evidence_and_appearances(client, full_verdict):  # noqa: F811
    html = _page(client, full_verdict).content.decode()
    for text in ("Datum der Tests korrigiert.", "Reuters", "Zeit Online", "Der Spiegel",
                 "Donald Trump", "Falsch"):  # fmt: skip
        assert text in html
    assert "<strong>falsch</strong>" in html
    assert "alert(1)" not in html


def test_unpublished_verdicts_have_no_public_page(client):
    draft = VerdictFactory(status=Verdict.Status.IN_REVIEW, slug="entwurf")
    assert client.get(f"/verdicts/{draft.slug}/").status_code == 404


def test_page_supports_conditional_get(client, full_verdict):  # noqa: F811
    first = _page(client, full_verdict)
    assert "max-age" in first["Cache-Control"]
    again = client.get(
        f"/verdicts/{full_verdict.slug}/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]
    )
    assert again.status_code == 304


def test_claimreview_feed_pages_through_every_verdict(client, labels):  # noqa: F811
    from claims.public import views

    created = [PublishedVerdictFactory(rating_label=labels["true"]) for _ in range(5)]
    old = views.FEED_PAGE_SIZE
    views.FEED_PAGE_SIZE = 2
    try:
        url, seen = "/claimreview.json", []
        while url:
            response = client.get(url)
            assert response.status_code == 200
            assert response["Content-Type"].startswith("application/ld+json")
            data = response.json()
            assert data["@type"] == "DataFeed"
            seen += [item["url"] for item in data["dataFeedElement"]]
            url = data["next"] and urlsplit(data["next"]).path + "?" + urlsplit(data["next"]).query
    finally:
        views.FEED_PAGE_SIZE = old
    assert len(seen) == len(set(seen)) == len(created)
    assert client.get("/claimreview.json?cursor=!!!").status_code == 400


def test_sitemap_lists_published_verdict_pages(client, full_verdict):  # noqa: F811
    VerdictFactory(status=Verdict.Status.DRAFT, slug="geheim")
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    section_url = (
        ET.fromstring(index.content)  # noqa: S314 - our own output
        .find(
            "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemap/"
            "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"
        )
        .text
    )
    section = client.get(urlsplit(section_url).path + "?" + urlsplit(section_url).query)
    body = section.content.decode()
    assert f"/verdicts/{full_verdict.slug}/" in body
    assert "geheim" not in body


def test_atom_feed_has_new_and_corrected_verdicts(client, full_verdict, labels):  # noqa: F811
    fresh = PublishedVerdictFactory(rating_label=labels["true"])
    response = client.get("/feeds/verdicts.atom")
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 - our own output
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [e.find("a:title", ns).text for e in root.findall("a:entry", ns)]
    assert any(t.startswith("Corrected: Falsch") for t in titles)
    assert any(t.startswith("Richtig") for t in titles)
    links = [e.find("a:link", ns).get("href") for e in root.findall("a:entry", ns)]
    assert any(link.endswith(f"/verdicts/{fresh.slug}/") for link in links)


def test_exports_stream_every_published_verdict(client, full_verdict, labels):  # noqa: F811
    PublishedVerdictFactory(rating_label=labels["context"])
    VerdictFactory(status=Verdict.Status.DRAFT)
    response = client.get("/exports/verdicts.csv")
    assert response.streaming
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 2
    assert rows[0]["claimant"] == "Donald Trump"
    assert rows[0]["rating_normalised"] == "0.0"
    assert rows[1]["rating_value"] == ""  # non-ordinal label

    response = client.get("/exports/verdicts.jsonl")
    assert response.streaming
    lines = b"".join(response.streaming_content).decode().splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["id"] for r in records] == [int(rows[0]["id"]), int(rows[1]["id"])]
    assert records[1]["rating_normalised"] is None
    assert records[0]["published_at"] <= timezone.now().isoformat()
