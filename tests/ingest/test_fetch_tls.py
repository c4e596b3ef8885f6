"""HTTPS: we connect to the vetted IP, but SNI and certificate checks use the host name.

A throw-away CA signs a certificate for news.example; the stub resolver points news.example at
the local TLS server (allowlisted), so this exercises the real TLS path without the internet.
"""

from __future__ import annotations

import pytest

from claims.ingest.fetch import FetchError, FetchPolicy, safe_fetch
from tests.ingest.server import LocalServer


@pytest.fixture
def tls_policy(pki) -> FetchPolicy:
    return FetchPolicy(
        allowed_private_networks=("127.0.0.1/32",), ca_certs=str(pki.ca_cert), timeout=5.0
    )


def test_https_by_ip_with_hostname_sni_and_verification(
    tls_server: LocalServer, fake_dns, tls_policy: FetchPolicy
) -> None:
    fake_dns.records["news.example"] = ["127.0.0.1"]
    tls_server.add("/tls/article", body=b"<p>secure</p>")

    result = safe_fetch(tls_server.url("/tls/article", host="news.example"), policy=tls_policy)

    assert result.content == b"<p>secure</p>"
    seen = tls_server.seen("/tls/article")[-1]
    assert seen.server_name == "news.example"  # SNI carries the name, not the IP
    assert seen.headers["host"] == f"news.example:{tls_server.port}"


def test_certificate_for_another_name_is_refused(
    tls_server: LocalServer, fake_dns, tls_policy: FetchPolicy
) -> None:
    fake_dns.records["other.example"] = ["127.0.0.1"]
    tls_server.add("/tls/mismatch", body=b"<p>should not be read</p>")

    with pytest.raises(FetchError) as info:
        safe_fetch(tls_server.url("/tls/mismatch", host="other.example"), policy=tls_policy)

    assert info.value.reason == "tls"
    assert not info.value.transient
    assert tls_server.seen("/tls/mismatch") == []


def test_https_to_bare_ip_fails_verification(tls_server: LocalServer, tls_policy) -> None:
    tls_server.add("/tls/bare-ip", body=b"<p>x</p>")

    with pytest.raises(FetchError) as info:
        safe_fetch(tls_server.url("/tls/bare-ip"), policy=tls_policy)

    assert info.value.reason == "tls"


def test_untrusted_certificate_has_no_insecure_fallback(tls_server: LocalServer, fake_dns) -> None:
    # Same server, default CA bundle: the private CA is unknown, and we must not retry without
    # verification the way trafilatura's fetcher does.
    fake_dns.records["news.example"] = ["127.0.0.1"]
    tls_server.add("/tls/untrusted", body=b"<p>x</p>")
    policy = FetchPolicy(allowed_private_networks=("127.0.0.1/32",), timeout=5.0)
    before = len(tls_server.requests)

    with pytest.raises(FetchError) as info:
        safe_fetch(tls_server.url("/tls/untrusted", host="news.example"), policy=policy)

    assert info.value.reason == "tls"
    assert len(tls_server.requests) == before  # no request was ever sent in clear or unverified


def test_https_redirect_to_http_private_is_still_blocked(
    tls_server: LocalServer, fake_dns, tls_policy: FetchPolicy, connect_guard
) -> None:
    connect_guard.allowed.add(("127.0.0.1", tls_server.port))
    fake_dns.records["news.example"] = ["127.0.0.1"]
    url = tls_server.add_redirect("/tls/to-metadata", "http://169.254.169.254/latest/")

    with pytest.raises(FetchError) as info:
        safe_fetch(tls_server.url("/tls/to-metadata", host="news.example"), policy=tls_policy)

    assert info.value.reason == "blocked_address"
    assert connect_guard.blocked_attempts() == []
    assert url
