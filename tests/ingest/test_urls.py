"""Canonical URLs and hashes used for de-duplication."""

from __future__ import annotations

import pytest

from claims.ingest.urls import canonicalize_url, content_hash, url_hash


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("HTTP://Example.COM/a", "http://example.com/a"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("https://example.com:8443/a", "https://example.com:8443/a"),
        ("https://example.com/a#comments", "https://example.com/a"),
        ("https://example.com/a?b=2&a=1", "https://example.com/a?a=1&b=2"),
        (
            "https://example.com/a?utm_source=rss&utm_medium=feed&id=7&fbclid=X&gclid=Y",
            "https://example.com/a?id=7",
        ),
        ("https://example.com/a?UTM_Campaign=x&mc_cid=1&ref_src=twsrc", "https://example.com/a"),
        ("https://example.com/a%7eb", "https://example.com/a~b"),
        ("https://example.com/a%2fb", "https://example.com/a%2Fb"),  # encoded slash stays
        ("https://example.com/Straße", "https://example.com/Stra%C3%9Fe"),
        ("https://bücher.example/", "https://xn--bcher-kva.example/"),
        ("https://user:pw@example.com/a", "https://example.com/a"),
        ("https://example.com./a", "https://example.com/a"),
        ("  https://example.com/a  ", "https://example.com/a"),
        ("http://[::1]:80/x", "http://[::1]/x"),
    ],
)
def test_canonicalize_url(url: str, canonical: str) -> None:
    assert canonicalize_url(url) == canonical


def test_path_case_and_trailing_slash_are_kept() -> None:
    # Servers may serve different pages for these, so they stay distinct.
    assert canonicalize_url("https://e.org/Artikel/") != canonicalize_url("https://e.org/artikel/")
    assert canonicalize_url("https://e.org/a/") != canonicalize_url("https://e.org/a")


@pytest.mark.parametrize("url", ["ftp://example.com/", "javascript:alert(1)", "https:///x", "x"])
def test_canonicalize_refuses_non_http(url: str) -> None:
    with pytest.raises(ValueError):
        canonicalize_url(url)


def test_url_hash_matches_for_the_same_article() -> None:
    a = url_hash("https://www.example.de/politik/artikel-1.html?utm_source=twitter#top")
    b = url_hash("HTTPS://WWW.EXAMPLE.DE:443/politik/artikel-1.html")
    c = url_hash("https://www.example.de/politik/artikel-2.html")

    assert a == b != c
    assert len(a) == 64 and int(a, 16) >= 0


def test_content_hash_ignores_whitespace_case_and_unicode_forms() -> None:
    a = content_hash("Der Stadtrat  hat\n\nden Ausbau BESCHLOSSEN.")
    b = content_hash("  der stadtrat hat den ausbau beschlossen. ")
    c = content_hash("Der Stadtrat hat den Ausbau abgelehnt.")
    decomposed = content_hash("Mu\u0308ller")  # ü as u + combining diaeresis
    composed = content_hash("Müller")

    assert a == b != c
    assert decomposed == composed
    assert len(a) == 64
