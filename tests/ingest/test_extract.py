"""Main-text extraction on the fixture pages, pasted text and language detection (decoding, bad
content and hostile markup: test_extract_inputs.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from claims.ingest.extract import (
    ExtractionError,
    detect_language,
    extract_content,
    extract_html,
    extract_text,
)
from claims.ingest.fetch import safe_fetch
from tests.ingest.conftest import DE_SENTENCE, EN_SENTENCE, LOCAL_POLICY, page
from tests.ingest.server import LocalServer

DE_COMMENTS = ["Geldverschwendung", "Kopenhagen", "Schwache Kommunikation", "Kommentar absenden"]
EN_COMMENTS = ["Fiddling the figures", "short every single shift", "grumpy_dave"]
DE_BOILERPLATE = ["Wir verwenden Cookies", "Abo abschließen", "Impressum", "Newsletter",
                  "Neue Fahrradstraßen in Ehrenfeld", "Startseite"]  # fmt: skip
EN_BOILERPLATE = ["Skip to content", "Subscribe", "Most read", "Council tax to rise",
                  "All rights reserved", "Cookie settings"]  # fmt: skip


# -- whole articles -------------------------------------------------------------------------------


def test_german_article_text_and_metadata() -> None:
    doc = extract_html(page("article_de.html"), url="https://www.rheinische-tagespost.example/x")

    assert doc.title == "Stadtrat beschließt Ausbau der Radwege: 42 Kilometer bis 2028"
    assert doc.authors == ("Katrin Müller",)
    assert doc.published_at == datetime(2024, 3, 14, 8, 30, tzinfo=UTC)
    assert doc.language == "de"
    assert doc.canonical_url == (
        "https://www.rheinische-tagespost.example/koeln/stadtrat-radwege-ausbau-100.html"
    )
    assert doc.site_name == "Rheinische Tagespost"
    assert doc.description is not None and doc.description.startswith("Der Kölner Stadtrat")
    assert DE_SENTENCE in doc.text
    assert "Finanzierung über Bundesmittel" in doc.text
    assert "Bürgerversammlung über die Details informiert werden." in doc.text


@pytest.mark.parametrize("fragment", DE_COMMENTS + DE_BOILERPLATE)
def test_german_article_has_no_comments_or_boilerplate(fragment: str) -> None:
    doc = extract_html(page("article_de.html"))
    assert fragment not in doc.text


def test_english_article_text_and_metadata() -> None:
    doc = extract_html(page("article_en.html"))

    assert doc.title == "Hospital waiting lists fall for third month, health service says"
    assert doc.authors == ("James Whitfield", "Priya Nair")
    assert doc.published_at == datetime(2024, 4, 11, 6, 15, tzinfo=UTC)
    assert doc.published_at.tzinfo is UTC
    assert doc.language == "en"
    assert doc.site_name == "The Northern Ledger"
    assert EN_SENTENCE in doc.text
    assert "70.9% of patients" in doc.text


@pytest.mark.parametrize("fragment", EN_COMMENTS + EN_BOILERPLATE)
def test_english_article_has_no_comments_or_boilerplate(fragment: str) -> None:
    doc = extract_html(page("article_en.html"))
    assert fragment not in doc.text


def test_relative_canonical_is_made_absolute() -> None:
    html = page("article_en.html").replace(
        b'href="https://news.northern-ledger.example/health/', b'href="/health/'
    )
    doc = extract_html(html, url="https://news.northern-ledger.example/amp/x")
    assert doc.canonical_url == (
        "https://news.northern-ledger.example/health/waiting-lists-fall-third-month"
    )


def test_malformed_html_still_yields_text() -> None:
    doc = extract_html(page("malformed.html"))

    assert doc.title == "Bahnstreik: GDL kündigt neue Warnstreiks an"
    assert "Lohnerhöhung von 13 Prozent" in doc.text
    assert doc.language == "de"
    assert doc.published_at is None  # nothing on the page says when; we do not guess


def test_page_without_main_text_fails_readably() -> None:
    with pytest.raises(ExtractionError) as info:
        extract_html(page("no_main_text.html"))

    assert info.value.reason == "no_main_text"
    assert "No article text" in info.value.message


def test_fetch_then_extract_through_the_local_server(server: LocalServer) -> None:
    url = server.add_page("/x/article-en", "article_en.html", gzip=True)

    result = safe_fetch(url, policy=LOCAL_POLICY)
    doc = extract_content(
        result.content,
        content_type=result.content_type,
        url=result.url,
        declared_charset=result.charset,
    )

    assert EN_SENTENCE in doc.text
    assert all(fragment not in doc.text for fragment in EN_COMMENTS)


# -- pasted text ----------------------------------------------------------------------------------


def test_extract_text_uses_given_title_and_url() -> None:
    doc = extract_text(
        "The minister said unemployment fell to 3.9 per cent last year.\r\n\r\n\r\n\r\nMore.",
        title="  Unemployment claim ",
        url="https://example.org/story",
    )

    assert doc.title == "Unemployment claim"
    assert doc.text == "The minister said unemployment fell to 3.9 per cent last year.\n\nMore."
    assert doc.canonical_url == "https://example.org/story"
    assert doc.language == "en"
    assert doc.published_at is None and doc.authors == ()


def test_extract_text_defaults_title_to_first_line_and_strips_controls() -> None:
    doc = extract_text(
        "  Erste Zeile\x00 als Titel \nDer Rest des Textes folgt hier.", url="ftp://x"
    )
    assert doc.title == "Erste Zeile als Titel"
    assert "\x00" not in doc.text
    assert doc.canonical_url is None  # not an http(s) address


def test_extract_text_refuses_empty() -> None:
    with pytest.raises(ExtractionError) as info:
        extract_text(" \n\t ")
    assert info.value.reason == "empty"


# -- language -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Die Bundesregierung hat am Mittwoch ein neues Klimaschutzgesetz beschlossen.", "de"),
        ("Laut Statistischem Bundesamt stieg die Inflation im März auf 2,2 Prozent.", "de"),
        ("The government announced on Wednesday that inflation had fallen to 2.2 per cent.", "en"),
        ("According to the report, more than half of voters oppose the plan.", "en"),
    ],
)
def test_detect_language(text: str, language: str) -> None:
    assert detect_language(text) == language


@pytest.mark.parametrize("text", ["", "ok", "Hallo", "12 345 678 90", "!!! ???", "https://x.y"])
def test_detect_language_abstains_when_unsure(text: str) -> None:
    assert detect_language(text) is None
