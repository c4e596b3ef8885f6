"""safe_fetch's limits against the local test server: the total timeout (slow first byte, a
trickling body, a redirect chain) and the size cap (declared, streamed, chunked, decoded)."""

from __future__ import annotations

import time

import pytest

from claims.ingest.fetch import FetchError, FetchPolicy, safe_fetch
from tests.ingest.conftest import LOCAL_POLICY
from tests.ingest.server import LocalServer


def test_slow_first_byte_hits_the_total_timeout(server: LocalServer) -> None:
    url = server.add("/f/slow-headers", body=b"<p>late</p>", delay=3.0)
    policy = FetchPolicy(allowed_private_networks=("127.0.0.1/32",), timeout=0.5)

    started = time.monotonic()
    with pytest.raises(FetchError) as info:
        safe_fetch(url, policy=policy)

    assert info.value.reason == "timeout"
    assert info.value.transient
    assert time.monotonic() - started < 2.0


@pytest.mark.parametrize("chunked", [False, True])
def test_trickling_body_cannot_outlast_the_total_timeout(
    server: LocalServer, chunked: bool
) -> None:
    # Every byte arrives well within any per-read timeout; only a total deadline stops this.
    url = server.add(
        f"/f/trickle-{chunked}", body=b"x" * 200, chunk_size=1, trickle=0.05, chunked=chunked
    )
    policy = FetchPolicy(allowed_private_networks=("127.0.0.1/32",), timeout=1.0)

    started = time.monotonic()
    with pytest.raises(FetchError) as info:
        safe_fetch(url, policy=policy)

    elapsed = time.monotonic() - started
    assert info.value.reason == "timeout"
    assert 0.9 < elapsed < 2.5  # the server would have needed ~10 s


def test_timeout_covers_the_whole_redirect_chain(server: LocalServer) -> None:
    # Each hop is fast enough alone; together they exceed the budget.
    server.add("/f/slowchain-3", body=b"<p>end</p>", delay=0.4)
    server.add("/f/slowchain-2", status=302, headers={"Location": "/f/slowchain-3"}, delay=0.4)
    url = server.add(
        "/f/slowchain-1", status=302, headers={"Location": "/f/slowchain-2"}, delay=0.4
    )
    policy = FetchPolicy(allowed_private_networks=("127.0.0.1/32",), timeout=1.0)

    with pytest.raises(FetchError) as info:
        safe_fetch(url, policy=policy)

    assert info.value.reason == "timeout"


def test_honest_content_length_over_the_cap_is_refused_before_reading(server: LocalServer) -> None:
    url = server.add("/f/huge-declared", generated_size=11 * 1024 * 1024, chunk_size=65536)

    with pytest.raises(FetchError) as info:
        safe_fetch(url, policy=LOCAL_POLICY)  # the default 10 MiB cap

    assert info.value.reason == "too_large"
    assert not info.value.transient


def test_missing_content_length_is_capped_while_streaming(server: LocalServer) -> None:
    url = server.add(
        "/f/huge-undeclared", generated_size=11 * 1024 * 1024, chunk_size=65536, content_length=None
    )

    with pytest.raises(FetchError) as info:
        safe_fetch(url, policy=LOCAL_POLICY)

    assert info.value.reason == "too_large"


def test_chunked_body_without_length_is_capped(server: LocalServer) -> None:
    url = server.add("/f/huge-chunked", generated_size=300_000, chunk_size=8192, chunked=True)
    policy = FetchPolicy(allowed_private_networks=("127.0.0.1/32",), max_bytes=100_000)

    with pytest.raises(FetchError) as info:
        safe_fetch(url, policy=policy)

    assert info.value.reason == "too_large"


def test_lying_small_content_length_cannot_smuggle_a_big_body(server: LocalServer) -> None:
    # The server claims 100 bytes and sends 5 MB: we read exactly what was declared.
    url = server.add(
        "/f/lying-length", generated_size=5_000_000, chunk_size=65536, content_length=100
    )

    result = safe_fetch(url, policy=LOCAL_POLICY)

    assert result.content == b"x" * 100


def test_content_length_larger_than_body_is_a_connection_error(server: LocalServer) -> None:
    url = server.add("/f/short-body", body=b"<p>short</p>", content_length=5000)

    with pytest.raises(FetchError) as info:
        safe_fetch(url, policy=LOCAL_POLICY)

    assert info.value.reason == "connection"


def test_gzip_bomb_is_capped_on_decoded_bytes(server: LocalServer) -> None:
    bomb = b"\0" * 5_000_000  # ~5 KB on the wire
    url = server.add("/f/gzip-bomb", body=bomb, gzip=True, content_type="text/html")
    policy = FetchPolicy(allowed_private_networks=("127.0.0.1/32",), max_bytes=1_000_000)

    with pytest.raises(FetchError) as info:
        safe_fetch(url, policy=policy)

    assert info.value.reason == "too_large"


def test_corrupt_gzip_is_a_decoding_error(server: LocalServer) -> None:
    url = server.add("/f/bad-gzip", body=b"not gzip at all", headers={"Content-Encoding": "gzip"})

    with pytest.raises(FetchError) as info:
        safe_fetch(url, policy=LOCAL_POLICY)

    assert info.value.reason == "content_decoding"
