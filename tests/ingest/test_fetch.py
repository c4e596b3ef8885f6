"""safe_fetch against the local test server: status codes, content types, redirects, conditional
GET (its timeout and size limits: test_fetch_limits.py)."""

from __future__ import annotations

import pickle

import pytest

from claims.ingest.fetch import FetchError, FetchPolicy, FetchResult, safe_fetch
from tests.ingest.conftest import LOCAL_POLICY, page
from tests.ingest.server import LocalServer


def test_fetches_a_page_with_headers_and_charset(server: LocalServer) -> None:
    url = server.add_page("/f/article-de", "article_de.html")

    result = safe_fetch(url, policy=LOCAL_POLICY)

    assert result.status == 200
    assert result.content == page("article_de.html")
    assert result.content_type == "text/html"
    assert result.charset == "utf-8"
    assert result.url == url == result.requested_url
    assert result.redirects == ()
    assert result.headers["content-length"] == str(len(result.content))
    sent = server.seen("/f/article-de")[-1].headers
    assert sent["user-agent"] == FetchPolicy().user_agent
    assert sent["host"] == f"127.0.0.1:{server.port}"


def test_default_policy_refuses_the_local_server(server: LocalServer) -> None:
    url = server.add_page("/f/default-policy", "article_en.html")

    with pytest.raises(FetchError) as info:
        safe_fetch(url)

    assert info.value.reason == "blocked_address"
    assert not info.value.transient
    assert server.seen("/f/default-policy") == []


def test_gzip_body_is_decoded(server: LocalServer) -> None:
    body = page("article_en.html")
    url = server.add("/f/gzip", body=body, gzip=True)

    result = safe_fetch(url, policy=LOCAL_POLICY)

    assert result.content == body
    assert result.headers["content-encoding"] == "gzip"


def test_chunked_body(server: LocalServer) -> None:
    body = page("article_de.html")
    url = server.add("/f/chunked", body=body, chunked=True, chunk_size=700)

    assert safe_fetch(url, policy=LOCAL_POLICY).content == body


@pytest.mark.parametrize(
    ("status", "transient"),
    [(404, False), (403, False), (410, False), (429, True), (500, True), (503, True)],
)
def test_error_status_raises_with_status(server: LocalServer, status: int, transient: bool) -> None:
    url = server.add(f"/f/status-{status}", status=status, body=b"<h1>error</h1>")

    with pytest.raises(FetchError) as info:
        safe_fetch(url, policy=LOCAL_POLICY)

    assert info.value.reason == "http_status"
    assert info.value.status == status
    assert str(status) in info.value.message
    assert info.value.transient is transient


def test_retry_after_is_passed_on_for_transient_statuses(server: LocalServer) -> None:
    seconds = server.add("/f/retry-after-429", status=429, headers={"Retry-After": "120"})
    dated = server.add(
        "/f/retry-after-503", status=503, headers={"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}
    )

    with pytest.raises(FetchError) as info:
        safe_fetch(seconds, policy=LOCAL_POLICY)
    assert info.value.retry_after == 120.0
    with pytest.raises(FetchError) as info:
        safe_fetch(dated, policy=LOCAL_POLICY)
    assert info.value.retry_after == 0.0  # a date in the past: retry now


def test_unknown_path_is_404(server: LocalServer) -> None:
    with pytest.raises(FetchError) as info:
        safe_fetch(server.url("/f/does-not-exist"), policy=LOCAL_POLICY)
    assert info.value.status == 404


def test_empty_body_is_a_result_not_an_error(server: LocalServer) -> None:
    # Judging empty content is extraction's job (it says "The page is empty.").
    url = server.add("/f/empty", body=b"")

    result = safe_fetch(url, policy=LOCAL_POLICY)

    assert result.status == 200
    assert result.content == b""


# -- time limits ----------------------------------------------------------------------------------


# -- size cap -------------------------------------------------------------------------------------


# -- content types --------------------------------------------------------------------------------


def test_accept_content_types_refuses_binary_before_download(server: LocalServer) -> None:
    url = server.add(
        "/f/video", generated_size=5_000_000, content_type="video/mp4", chunk_size=65536
    )

    with pytest.raises(FetchError) as info:
        safe_fetch(url, policy=LOCAL_POLICY, accept_content_types=("text/html", "text/*"))

    assert info.value.reason == "unsupported_content"
    assert "video/mp4" in info.value.message


def test_accept_content_types_allows_wildcards_and_missing_type(server: LocalServer) -> None:
    plain = server.add("/f/plain", body=b"just text", content_type="text/plain; charset=latin-1")
    untyped = server.add("/f/untyped", body=b"<p>hi</p>", content_type=None)

    result = safe_fetch(plain, policy=LOCAL_POLICY, accept_content_types=("text/*",))
    assert (result.content_type, result.charset) == ("text/plain", "latin-1")
    result = safe_fetch(untyped, policy=LOCAL_POLICY, accept_content_types=("text/html",))
    assert result.content_type == ""


# -- redirects ------------------------------------------------------------------------------------


def test_follows_relative_and_absolute_redirects(server: LocalServer) -> None:
    final = server.add_page("/f/redirect-end", "article_en.html")
    server.add_redirect("/f/redirect-b", final, status=301)
    start = server.add_redirect("/f/redirect-a", "/f/redirect-b", status=307)

    result = safe_fetch(start, policy=LOCAL_POLICY)

    assert result.url == final
    assert result.requested_url == start
    assert result.redirects == (server.url("/f/redirect-b"), final)
    assert result.content == page("article_en.html")


def test_too_many_redirects(server: LocalServer) -> None:
    for i in range(7):
        server.add_redirect(f"/f/loop-{i}", f"/f/loop-{i + 1}")
    server.add("/f/loop-7", body=b"<p>end</p>")

    with pytest.raises(FetchError) as info:
        safe_fetch(server.url("/f/loop-0"), policy=LOCAL_POLICY)

    assert info.value.reason == "too_many_redirects"
    assert len(server.seen("/f/loop-5")) >= 1
    assert server.seen("/f/loop-6") == []  # 5 redirects followed, the 6th refused


def test_redirect_loop_stops(server: LocalServer) -> None:
    url = server.add_redirect("/f/self-loop", "/f/self-loop")

    with pytest.raises(FetchError) as info:
        safe_fetch(url, policy=LOCAL_POLICY)

    assert info.value.reason == "too_many_redirects"


@pytest.mark.parametrize(
    "location", ["file:///etc/passwd", "ftp://example.com/x", "gopher://127.0.0.1:6379/_INFO"]
)
def test_redirect_to_other_schemes_is_refused(server: LocalServer, location: str) -> None:
    url = server.add_redirect(f"/f/redirect-scheme-{location[:3]}", location)

    with pytest.raises(FetchError) as info:
        safe_fetch(url, policy=LOCAL_POLICY)

    assert info.value.reason == "bad_scheme"


def test_redirect_without_location_is_an_http_error(server: LocalServer) -> None:
    url = server.add("/f/redirect-nowhere", status=302, content_type=None)

    with pytest.raises(FetchError) as info:
        safe_fetch(url, policy=LOCAL_POLICY)

    assert (info.value.reason, info.value.status) == ("http_status", 302)


def test_credentials_are_not_forwarded_to_another_origin(server: LocalServer, fake_dns) -> None:
    # Same server, but reached under another host name: a different origin for the fetcher.
    fake_dns.records["other.example"] = ["127.0.0.1"]
    final = server.add("/f/cross-origin-end", body=b"<p>ok</p>")
    start = server.add_redirect(
        "/f/cross-origin-start", server.url("/f/cross-origin-end", host="other.example")
    )

    safe_fetch(start, policy=LOCAL_POLICY, headers={"Authorization": "Bearer s3cret", "X-Ok": "1"})

    first = server.seen("/f/cross-origin-start")[-1].headers
    second = server.seen("/f/cross-origin-end")[-1].headers
    assert first["authorization"] == "Bearer s3cret"
    assert "authorization" not in second
    assert second["x-ok"] == "1"
    assert second["host"] == f"other.example:{server.port}"
    assert final  # the page itself was served


# -- conditional GET ------------------------------------------------------------------------------


def test_conditional_get_with_etag_returns_304_result(server: LocalServer) -> None:
    url = server.add_page("/f/etag", "feed.rss", content_type="application/rss+xml", etag='"v1"')

    first = safe_fetch(url, policy=LOCAL_POLICY)
    second = safe_fetch(url, policy=LOCAL_POLICY, headers={"If-None-Match": first.headers["etag"]})

    assert first.status == 200 and first.headers["etag"] == '"v1"'
    assert second.status == 304
    assert second.not_modified
    assert second.content == b""
    assert server.seen("/f/etag")[-1].headers["if-none-match"] == '"v1"'


def test_conditional_get_with_last_modified(server: LocalServer) -> None:
    stamp = "Wed, 13 Mar 2024 17:05:00 GMT"
    url = server.add_page("/f/lastmod", "feed.atom", last_modified=stamp)

    changed = safe_fetch(url, policy=LOCAL_POLICY, headers={"If-Modified-Since": "x"})
    unchanged = safe_fetch(url, policy=LOCAL_POLICY, headers={"If-Modified-Since": stamp})

    assert changed.status == 200 and changed.content == page("feed.atom")
    assert unchanged.status == 304


# -- errors ---------------------------------------------------------------------------------------


def test_connection_refused_is_transient() -> None:
    # Bind and close a port, so nothing listens there.
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]

    with pytest.raises(FetchError) as info:
        safe_fetch(f"http://127.0.0.1:{port}/", policy=LOCAL_POLICY)

    assert info.value.reason == "connection"
    assert info.value.transient


def test_fetch_error_pickles_for_celery() -> None:
    error = FetchError(
        "http_status", "The server answered HTTP 503.", True, status=503, url="u", retry_after=5.0
    )

    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own bytes

    assert (copy.reason, copy.message, copy.transient, copy.status, copy.retry_after) == (
        "http_status",
        "The server answered HTTP 503.",
        True,
        503,
        5.0,
    )
    assert str(copy) == "The server answered HTTP 503."


def test_result_is_frozen(server: LocalServer) -> None:
    result = safe_fetch(server.add("/f/frozen", body=b"<p>x</p>"), policy=LOCAL_POLICY)
    assert isinstance(result, FetchResult)
    with pytest.raises(AttributeError):
        result.status = 500  # type: ignore[misc]


def test_proxy_environment_is_ignored(server: LocalServer, monkeypatch) -> None:
    # A proxy that does not exist: if it were used, the fetch would fail.
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    url = server.add("/f/no-proxy", body=b"<p>direct</p>")

    assert safe_fetch(url, policy=LOCAL_POLICY).content == b"<p>direct</p>"
