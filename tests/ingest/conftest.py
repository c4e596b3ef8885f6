"""Fixtures for the ingestion tests: a local page server, a stub resolver, a connect guard."""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from claims.ingest.fetch import FetchPolicy
from tests.ingest.server import PAGES_DIR, LocalServer

# A sentence of each fixture article (pages/article_de.html, article_en.html), found however the
# page is served.
DE_SENTENCE = "Nach einer fast fünfstündigen Debatte stimmten 47 Ratsmitglieder für den Antrag"
EN_SENTENCE = "The waiting list stood at 7.4 million cases, down from 7.6 million in November."
# The only way tests reach the local server: an explicit allowlist, never a weaker default.
LOCAL_POLICY = FetchPolicy(allowed_private_networks=("127.0.0.1/32",), timeout=5.0)


def page(name: str) -> bytes:
    return (PAGES_DIR / name).read_bytes()


@pytest.fixture(scope="session")
def server() -> Iterator[LocalServer]:
    """One HTTP server for the session; tests add routes under paths of their own."""
    with LocalServer() as srv:
        yield srv


@pytest.fixture
def local_policy() -> FetchPolicy:
    return LOCAL_POLICY


_real_getaddrinfo = socket.getaddrinfo


@dataclass
class FakeDNS:
    """Host name -> addresses. Numeric hosts go through the C library with AI_NUMERICHOST,
    so legacy literals (2130706433, 0x7f.1) are parsed for real and no DNS query is sent."""

    records: dict[str, list[str]] = field(default_factory=dict)
    queries: list[str] = field(default_factory=list)

    def getaddrinfo(self, host, port, family=0, type=0, proto=0, flags=0):
        self.queries.append(host)
        try:
            return _real_getaddrinfo(host, port, family, type, proto, flags | socket.AI_NUMERICHOST)
        except socket.gaierror:
            pass
        key = host.decode() if isinstance(host, bytes) else host
        if key not in self.records:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known (fake DNS)")
        result = []
        for address in self.records[key]:
            fam = socket.AF_INET6 if ":" in address else socket.AF_INET
            sockaddr = (address, port, 0, 0) if fam == socket.AF_INET6 else (address, port)
            result.append((fam, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", sockaddr))
        return result


@pytest.fixture
def fake_dns(monkeypatch: pytest.MonkeyPatch) -> FakeDNS:
    dns = FakeDNS()
    monkeypatch.setattr(socket, "getaddrinfo", dns.getaddrinfo)
    return dns


@dataclass
class ConnectGuard:
    """Records every outbound connect(); only the listed (host, port) pairs go through."""

    allowed: set[tuple[str, int]] = field(default_factory=set)
    attempts: list[tuple[str, int]] = field(default_factory=list)

    def blocked_attempts(self) -> list[tuple[str, int]]:
        return [a for a in self.attempts if a not in self.allowed]


@pytest.fixture
def connect_guard(monkeypatch: pytest.MonkeyPatch) -> ConnectGuard:
    """Fail loudly if code under test tries to open a connection anywhere not allowed.

    Patches socket.socket.connect (which SSLSocket inherits), so a packet to a forbidden
    address is impossible even if the fetcher's own checks were broken.
    """
    guard = ConnectGuard()
    real_connect = socket.socket.connect

    def connect(sock: socket.socket, address):  # type: ignore[no-untyped-def]
        target = (str(address[0]), int(address[1]))
        guard.attempts.append(target)
        if target not in guard.allowed:
            raise ConnectionRefusedError(f"test guard: connect to {target} not allowed")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(
        socket.socket,
        "connect_ex",
        lambda sock, address: pytest.fail(f"unexpected connect_ex to {address}"),
    )
    return guard


@dataclass(frozen=True)
class LocalPKI:
    ca_cert: Path
    server_context: ssl.SSLContext  # certificate for news.example (and www.news.example)


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> LocalPKI:
    """A throw-away CA and a server certificate for news.example, made with the openssl CLI."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl command not available")
    d = tmp_path_factory.mktemp("pki")

    def run(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=d, check=True, capture_output=True)

    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
        "-days", "2", "-subj", "/CN=ClaimTracker Test CA",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign")  # fmt: skip
    run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
        "-subj", "/CN=news.example")  # fmt: skip
    (d / "ext.cnf").write_text(
        "subjectAltName=DNS:news.example,DNS:www.news.example\n"
        "basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"
    )
    run("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
        "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "ext.cnf")  # fmt: skip
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(d / "server.pem", d / "server.key")
    return LocalPKI(ca_cert=d / "ca.pem", server_context=context)


@pytest.fixture(scope="session")
def tls_server(pki: LocalPKI) -> Iterator[LocalServer]:
    with LocalServer(tls=pki.server_context) as srv:
        yield srv
