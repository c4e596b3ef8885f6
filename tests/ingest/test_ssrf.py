"""SSRF: nothing private is ever connected to, whatever the URL, the DNS answer or a redirect says.

The resolver is stubbed (no DNS query leaves the machine) and socket.connect is guarded, so a
test fails loudly if the fetcher even tries to open a connection it should not.
"""

from __future__ import annotations

import ipaddress
import time

import pytest

from claims.ingest.addresses import AddressNotAllowed, check_ip, parse_networks, why_denied
from claims.ingest.fetch import FetchError, FetchPolicy, safe_fetch
from tests.ingest.conftest import LOCAL_POLICY
from tests.ingest.server import LocalServer

BLOCKED_ADDRESSES = [
    "127.0.0.1",
    "127.1.2.3",
    "::1",
    "10.0.0.1",
    "172.16.0.1",
    "172.31.255.254",
    "192.168.1.1",
    "169.254.169.254",  # cloud metadata
    "100.64.0.1",  # CGNAT: not is_private in Python 3.11
    "0.0.0.0",  # noqa: S104 - an address to refuse, not to bind
    "224.0.0.1",  # multicast: is_global in Python 3.11
    "255.255.255.255",
    "240.0.0.1",
    "198.18.0.1",
    "192.0.2.1",  # documentation
    "::",
    "::ffff:127.0.0.1",
    "::ffff:169.254.169.254",
    "::ffff:10.0.0.1",
    "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254: is_global in Python 3.11
    "64:ff9b::7f00:1",
    "64:ff9b:1::a00:1",  # local-use NAT64
    "::7f00:1",  # deprecated IPv4-compatible form of 127.0.0.1
    "fc00::1",
    "fd12:3456::1",
    "fe80::1",
    "fe80::1%eth0",
    "fec0::1",
    "ff02::1",
    "2002:7f00:1::1",  # 6to4 of 127.0.0.1
    "2002:a9fe:a9fe::1",  # 6to4 of 169.254.169.254
    "2001:db8::1",
]

PUBLIC_ADDRESSES = ["93.184.215.14", "8.8.8.8", "2606:4700:4700::1111", "64:ff9b::808:808",
                    "::ffff:1.1.1.1", "2002:808:808::1"]  # fmt: skip


@pytest.mark.parametrize("address", BLOCKED_ADDRESSES)
def test_address_policy_denies(address: str) -> None:
    with pytest.raises(AddressNotAllowed):
        check_ip(address)


@pytest.mark.parametrize("address", PUBLIC_ADDRESSES)
def test_address_policy_allows_public(address: str) -> None:
    assert check_ip(address) == ipaddress.ip_address(address)


def test_allowlist_is_exact_and_does_not_cover_embedded_forms() -> None:
    nets = parse_networks(("127.0.0.1/32",))
    assert str(check_ip("127.0.0.1", nets)) == "127.0.0.1"
    for other in ("127.0.0.2", "::ffff:127.0.0.1", "::1", "10.0.0.1"):
        with pytest.raises(AddressNotAllowed):
            check_ip(other, nets)


def test_why_denied_names_the_embedded_address() -> None:
    reason = why_denied(ipaddress.ip_address("64:ff9b::a9fe:a9fe"))
    assert reason is not None and "169.254.169.254" in reason


# -- through safe_fetch, with a stub resolver and a connect guard ---------------------------------


@pytest.mark.parametrize("address", BLOCKED_ADDRESSES)
def test_host_resolving_to_blocked_address_is_never_connected(
    fake_dns, connect_guard, address: str
) -> None:
    fake_dns.records["evil.example"] = [address.split("%")[0]]

    with pytest.raises(FetchError) as info:
        safe_fetch("http://evil.example/latest/meta-data/")

    assert info.value.reason == "blocked_address"
    assert not info.value.transient
    assert connect_guard.attempts == []


@pytest.mark.parametrize("address", BLOCKED_ADDRESSES)
def test_literal_blocked_address_is_never_connected(fake_dns, connect_guard, address: str) -> None:
    host = f"[{address.replace('%', '%25')}]" if ":" in address else address

    with pytest.raises(FetchError) as info:
        safe_fetch(f"http://{host}/")

    assert info.value.reason in ("blocked_address", "bad_url")
    assert connect_guard.attempts == []


@pytest.mark.parametrize(
    "url",
    [
        "http://2130706433/",  # decimal 127.0.0.1
        "http://017700000001/",  # octal
        "http://0x7f000001/",  # hex
        "http://0x7f.1/",  # mixed short form
        "http://127.1/",
        "http://0/",
        "http://0251.0376.0251.0376/",  # octal 169.254.169.254
        "http://0xa9fea9fe/",
        "http://[::ffff:a9fe:a9fe]/",
        "http://[0:0:0:0:0:ffff:7f00:1]/",
        "http://localhost./",
    ],
)
def test_odd_ip_literals_are_resolved_then_blocked(fake_dns, connect_guard, url: str) -> None:
    fake_dns.records["localhost"] = ["127.0.0.1", "::1"]

    with pytest.raises(FetchError) as info:
        safe_fetch(url)

    assert info.value.reason == "blocked_address"
    assert connect_guard.attempts == []


def test_one_private_address_among_public_ones_blocks_the_host(fake_dns, connect_guard) -> None:
    fake_dns.records["mixed.example"] = ["93.184.215.14", "10.0.0.5"]

    with pytest.raises(FetchError) as info:
        safe_fetch("https://mixed.example/")

    assert info.value.reason == "blocked_address"
    assert "10.0.0.5" in info.value.message
    assert connect_guard.attempts == []


def test_public_host_is_connected_by_vetted_ip_only(fake_dns, connect_guard) -> None:
    # The guard refuses the connection (no packet leaves), but we see where it would have gone:
    # the vetted address itself, not a fresh lookup of the name.
    fake_dns.records["news.example"] = ["93.184.215.14"]

    with pytest.raises(FetchError) as info:
        safe_fetch("http://news.example/artikel")

    assert info.value.reason == "connection"
    assert connect_guard.attempts == [("93.184.215.14", 80)]
    assert fake_dns.queries.count("news.example") == 1


def test_dns_rebinding_cannot_swap_the_address_after_the_check(fake_dns, connect_guard) -> None:
    # A rebinding resolver answers public first and private afterwards. The fetcher resolves
    # once per connection and connects to exactly what it checked.
    answers = iter([["93.184.215.14"], ["127.0.0.1"], ["127.0.0.1"]])

    class Rebinding(dict):
        def __contains__(self, key: object) -> bool:
            return key == "rebind.example"

        def __getitem__(self, key: str) -> list[str]:
            return next(answers)

    fake_dns.records = Rebinding()

    with pytest.raises(FetchError):
        safe_fetch("http://rebind.example/")

    assert connect_guard.attempts == [("93.184.215.14", 80)]


def test_hanging_resolver_counts_against_the_total_timeout(monkeypatch, connect_guard) -> None:
    import socket
    import threading

    release = threading.Event()

    def hanging_getaddrinfo(*args, **kwargs):
        release.wait(10)  # a resolver that does not answer
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    monkeypatch.setattr(socket, "getaddrinfo", hanging_getaddrinfo)
    policy = FetchPolicy(timeout=0.5, connect_timeout=0.5)

    started = time.monotonic()
    try:
        with pytest.raises(FetchError) as info:
            safe_fetch("http://slow-dns.example/", policy=policy)
    finally:
        release.set()

    assert info.value.reason == "timeout"
    assert info.value.transient
    assert time.monotonic() - started < 1.5
    assert connect_guard.attempts == []


def test_unknown_host_is_a_dns_error(fake_dns, connect_guard) -> None:
    with pytest.raises(FetchError) as info:
        safe_fetch("http://no-such-host.example/")

    assert info.value.reason == "dns"
    assert connect_guard.attempts == []


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.com/file",
        "gopher://127.0.0.1:6379/_FLUSHALL",
        "dict://127.0.0.1:11211/stat",
        "javascript:alert(1)",
        "//example.com/no-scheme",
        "example.com/no-scheme",
    ],
)
def test_non_http_schemes_are_refused(connect_guard, url: str) -> None:
    with pytest.raises(FetchError) as info:
        safe_fetch(url)

    assert info.value.reason == "bad_scheme"
    assert connect_guard.attempts == []


@pytest.mark.parametrize(
    "url",
    [
        "http://user:pass@example.com/",
        "http://example.com@127.0.0.1/",
        "http:///path-only",
        "http://example.com:99999/",
        "http://exa mple.com/",
        "http://example.com/\r\nX-Injected: 1",
    ],
)
def test_malformed_urls_are_refused(fake_dns, connect_guard, url: str) -> None:
    with pytest.raises(FetchError) as info:
        safe_fetch(url)

    assert info.value.reason == "bad_url"
    assert connect_guard.attempts == []


def test_redirect_from_allowed_page_to_metadata_address_is_blocked(
    server: LocalServer, connect_guard
) -> None:
    connect_guard.allowed.add(("127.0.0.1", server.port))
    url = server.add_redirect("/ssrf/to-metadata", "http://169.254.169.254/latest/meta-data/")

    with pytest.raises(FetchError) as info:
        safe_fetch(url, policy=LOCAL_POLICY)

    assert info.value.reason == "blocked_address"
    assert "169.254.169.254" in info.value.message
    assert connect_guard.attempts == [("127.0.0.1", server.port)]


@pytest.mark.parametrize(
    "location",
    [
        "http://[::ffff:169.254.169.254]/",
        "http://2852039166/",  # decimal 169.254.169.254
        "http://[::1]:{port}/",
        "http://10.0.0.1/",
        "http://0.0.0.0:{port}/",
    ],
)
def test_redirect_to_blocked_literal_forms(
    server: LocalServer, connect_guard, location: str
) -> None:
    # ::1 and 0.0.0.0 reach the local server's port on Linux: only the address check stops them.
    connect_guard.allowed.add(("127.0.0.1", server.port))
    path = f"/ssrf/redirect-{abs(hash(location))}"
    url = server.add_redirect(path, location.format(port=server.port))

    with pytest.raises(FetchError) as info:
        safe_fetch(url, policy=LOCAL_POLICY)

    assert info.value.reason == "blocked_address"
    assert connect_guard.attempts == [("127.0.0.1", server.port)]


def test_redirect_to_host_resolving_private_is_blocked(
    server: LocalServer, fake_dns, connect_guard
) -> None:
    connect_guard.allowed.add(("127.0.0.1", server.port))
    fake_dns.records["internal.example"] = ["192.168.0.10"]
    url = server.add_redirect("/ssrf/to-internal", "http://internal.example/admin")

    with pytest.raises(FetchError) as info:
        safe_fetch(url, policy=LOCAL_POLICY)

    assert info.value.reason == "blocked_address"
    assert connect_guard.attempts == [("127.0.0.1", server.port)]


def test_allowlist_only_admits_listed_networks(server: LocalServer, connect_guard) -> None:
    connect_guard.allowed.add(("127.0.0.1", server.port))
    url = server.add("/ssrf/allowlisted", body=b"<p>ok</p>")
    narrow = FetchPolicy(allowed_private_networks=("127.0.0.2/32",))

    with pytest.raises(FetchError) as info:
        safe_fetch(url, policy=narrow)

    assert info.value.reason == "blocked_address"
    assert connect_guard.attempts == []
    assert safe_fetch(url, policy=LOCAL_POLICY).content == b"<p>ok</p>"


def test_bad_allowlist_entry_is_a_configuration_error() -> None:
    with pytest.raises(ValueError):
        safe_fetch("http://example.com/", policy=FetchPolicy(allowed_private_networks=("nope",)))
