"""ClaimReview markup into records: real-world shapes, dumps, sitemaps, bad markup (pure)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from claims.ingest.factchecks import (
    ParsedReview,
    RejectedReview,
    parse_dump,
    parse_html,
    parse_sitemap,
)
from tests.ingest.server import PAGES_DIR

FACTCHECKS = PAGES_DIR / "factchecks"


def page(name: str) -> str:
    return (FACTCHECKS / name).read_text(encoding="utf-8")


def test_single_jsonld_object_with_normalised_rating():
    [review] = parse_html(page("correctiv_de.html"), url="https://correctiv.org/x")
    assert isinstance(review, ParsedReview)
    assert review.url.startswith("https://correctiv.org/faktencheck/2019/03/01/")
    assert review.publisher_name == "Correctiv"
    assert review.publisher_url == "https://correctiv.org/"
    assert review.claim_reviewed == "Deutschland zahlt die Hälfte des gesamten EU-Haushalts."
    assert review.claimant == "Facebook-Nutzer"
    assert (review.rating_label, review.rating_value) == ("Falsch", 1.0)
    assert (review.best_rating, review.worst_rating) == (5.0, 1.0)
    assert review.date_published == date(2019, 3, 1)
    assert review.date_modified == date(2019, 3, 2)
    assert review.language == "de"
    assert review.snippet.startswith("Auf Facebook wird behauptet")


def test_graph_with_list_type_and_page_language():
    [review] = parse_html(page("fullfact_graph_en.html"), url="https://fullfact.org/europe/")
    assert isinstance(review, ParsedReview)
    assert review.url == "https://fullfact.org/europe/350-million-week/"
    assert review.publisher_name == "Full Fact"
    assert review.claimant == "Boris Johnson"
    assert review.rating_label.startswith("Incorrect.")
    assert review.rating_value is None
    assert review.language == "en"  # from <html lang="en-GB">: the review has no inLanguage
    assert review.date_published == date(2017, 9, 18)


def test_array_with_relative_url_resolved_against_the_page():
    [review] = parse_html(
        page("politifact_array_en.html"), url="https://www.politifact.com/factchecks/x/"
    )
    assert review.url == (
        "https://www.politifact.com/factchecks/2016/jan/12/barack-obama/unemployment-rate-fell/"
    )
    assert review.claimant == "Barack Obama"
    assert (review.rating_label, review.rating_value, review.best_rating) == ("True", 6.0, 6.0)


def test_microdata():
    [review] = parse_html(page("microdata_de.html"), url="https://dpa-factchecking.com/x")
    assert isinstance(review, ParsedReview)
    assert review.url == "https://dpa-factchecking.com/germany/190515-99-123/"
    assert review.claim_reviewed.startswith("Windräder töten")
    assert review.rating_label == "Irreführend"
    assert review.rating_value == 2.0
    assert review.publisher_name == "dpa-Faktencheck"
    assert review.language == "de"


def test_bad_markup_is_rejected_with_reasons_never_raised():
    found = parse_html(page("bad_markup.html"), url="https://broken.example/page")
    assert all(isinstance(r, RejectedReview) for r in found)
    reasons = sorted(r.reason for r in found)
    assert any(r.startswith("invalid JSON-LD") for r in reasons)
    assert "no claimReviewed" in reasons
    assert any(r.startswith("no reviewRating") for r in reasons)


@pytest.mark.parametrize(
    "html",
    ["", "<html>", "<<<>>>\x00", '<script type="application/ld+json">[[[[</script>', "x" * 10],
)
def test_garbage_never_raises(html):
    for review in parse_html(html, url="https://x.example/"):
        assert isinstance(review, RejectedReview | ParsedReview)


def test_page_without_claimreview_has_none():
    assert parse_html((PAGES_DIR / "article_de.html").read_text(), url="https://x.example/") == []


def test_datacommons_feed():
    found = parse_dump((FACTCHECKS / "datacommons_feed.json").read_bytes())
    good = [r for r in found if isinstance(r, ParsedReview)]
    bad = [r for r in found if isinstance(r, RejectedReview)]
    assert [r.publisher_name for r in good] == ["Correctiv", "Full Fact"]
    assert good[0].rating_value == 1.0 and good[0].language == "de"
    assert [b.reason for b in bad] == ["no claimReviewed"]


def test_dump_variants_list_and_json_lines():
    item = json.loads((FACTCHECKS / "datacommons_feed.json").read_text())["dataFeedElement"][0][
        "item"
    ][0]
    assert len(parse_dump(json.dumps([item, item]))) == 2
    lines = "\n".join([json.dumps(item), "{broken", json.dumps(item)])
    found = parse_dump(lines)
    assert [type(r).__name__ for r in found] == ["ParsedReview", "RejectedReview", "ParsedReview"]


def test_not_json_is_an_error():
    with pytest.raises(ValueError):
        parse_dump(b"<html>not json</html>\n" * 5)


def test_sitemap_and_index():
    urlset = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://checker.example/a</loc><lastmod>2019-03-01</lastmod></url>
  <url><loc>/b</loc></url>
  <url><loc>javascript:alert(1)</loc></url>
</urlset>"""
    entries = parse_sitemap(urlset, base_url="https://checker.example/sitemap.xml")
    assert [(e.url, e.lastmod) for e in entries] == [
        ("https://checker.example/a", "2019-03-01"),
        ("https://checker.example/b", ""),
    ]
    index = b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://checker.example/s1.xml</loc></sitemap></sitemapindex>"""
    [entry] = parse_sitemap(index, base_url="https://checker.example/")
    assert entry.is_sitemap
    with pytest.raises(ValueError):
        parse_sitemap(b"<html></html>", base_url="https://checker.example/")
    with pytest.raises(ValueError):
        parse_sitemap(b"not xml", base_url="https://checker.example/")
