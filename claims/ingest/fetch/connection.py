"""Connections that resolve, vet every address and connect to the vetted IP, under a deadline.

urllib3 builds HTTP(S) on top of whatever socket ``_new_conn`` returns, so replacing only that
method keeps urllib3's Host header, TLS SNI and certificate verification for the host name
while the TCP connection goes to an address we checked (no second DNS lookup: no rebinding).
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from dataclasses import dataclass
from typing import Any

import certifi
import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection

from claims.ingest.addresses import AddressNotAllowed, ResolveTimeout, vet_host
from claims.ingest.fetch.types import FetchError, FetchPolicy

__all__ = ["Deadline", "Guard", "open_pool"]


class Deadline:
    """Total time budget for one safe_fetch call, enforced by a watchdog timer.

    Socket timeouts bound each recv() but not their sum, so on expiry the watchdog shuts down
    the registered sockets, which makes any blocked recv() return at once. Sockets, not
    connections: http.client drops ``conn.sock`` as soon as a "Connection: close" response
    starts, while the response keeps reading from the socket.
    """

    def __init__(self, seconds: float) -> None:
        self.expires_at = time.monotonic() + seconds
        self.expired = False
        self._done = False
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def remaining(self) -> float:
        left = self.expires_at - time.monotonic()
        if left <= 0:
            self.expired = True
        return max(left, 0.0)

    def register(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)

    def _expire(self) -> None:
        with self._lock:
            if self._done:
                return
            self.expired = True
            for sock in self._sockets:
                # The base-class method: SSLSocket.shutdown would first tear down TLS state
                # that the reading thread is still using. OSError: already closed.
                with contextlib.suppress(OSError):
                    socket.socket.shutdown(sock, socket.SHUT_RDWR)

    def cancel(self) -> None:
        # Under the lock, so the watchdog never touches a socket (or a reused fd) after this.
        with self._lock:
            self._done = True
            self._timer.cancel()


@dataclass
class Guard:
    allowed_networks: tuple[Any, ...]
    connect_timeout: float
    deadline: Deadline


class _GuardedConnectionMixin:
    """Replaces urllib3's resolve-and-connect with resolve, vet every address, connect to it."""

    host: str
    port: int
    _dns_host: str

    def __init__(self, *args: Any, fetch_guard: Guard, **kwargs: Any) -> None:
        self._fetch_guard = fetch_guard
        super().__init__(*args, **kwargs)

    def _new_conn(self) -> socket.socket:
        guard = self._fetch_guard
        host = self._dns_host
        try:
            addresses = vet_host(
                host,
                self.port,
                guard.allowed_networks,
                timeout=min(guard.connect_timeout, guard.deadline.remaining()),
            )
        except ResolveTimeout as exc:
            raise FetchError(
                "timeout", f"Looking up {self.host} took too long.", transient=True
            ) from exc
        except AddressNotAllowed as exc:
            raise FetchError(
                "blocked_address",
                f"Refusing to fetch from {self.host}: {exc.why} ({exc.address}).",
            ) from exc
        except (socket.gaierror, UnicodeError) as exc:
            again = isinstance(exc, socket.gaierror) and exc.errno == socket.EAI_AGAIN
            raise FetchError(
                "dns", f"Could not resolve host name {self.host}.", transient=again
            ) from exc

        last_error: OSError | None = None
        for family, address in addresses:
            timeout = min(guard.connect_timeout, guard.deadline.remaining())
            if timeout <= 0:
                break
            sock = socket.socket(family, socket.SOCK_STREAM)
            try:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                sock.settimeout(timeout)
                sock.connect((address, self.port))
            except OSError as exc:
                sock.close()
                last_error = exc
                continue
            guard.deadline.register(sock)
            return sock
        if last_error is None or isinstance(last_error, TimeoutError):
            raise FetchError(
                "timeout", f"Connecting to {self.host} timed out.", transient=True
            ) from last_error
        raise FetchError(
            "connection", f"Could not connect to {self.host}: {last_error}.", transient=True
        ) from last_error


class _GuardedHTTPConnection(_GuardedConnectionMixin, HTTPConnection):
    pass


class _GuardedHTTPSConnection(_GuardedConnectionMixin, HTTPSConnection):
    def connect(self) -> None:
        super().connect()
        # The TLS socket took over the raw socket's descriptor; watch the new object.
        if self.sock is not None:
            self._fetch_guard.deadline.register(self.sock)


class _GuardedHTTPPool(urllib3.HTTPConnectionPool):
    ConnectionCls = _GuardedHTTPConnection


class _GuardedHTTPSPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _GuardedHTTPSConnection


def open_pool(
    scheme: str, host: str, port: int, policy: FetchPolicy, guard: Guard
) -> urllib3.HTTPConnectionPool:
    """A one-connection pool whose connections resolve, vet and connect under ``guard``."""
    common: dict[str, Any] = {
        "maxsize": 1,
        "retries": False,
        "fetch_guard": guard,
    }
    if scheme == "https":
        return _GuardedHTTPSPool(
            host,
            port,
            cert_reqs="CERT_REQUIRED",
            ca_certs=policy.ca_certs or certifi.where(),
            **common,
        )
    return _GuardedHTTPPool(host, port, **common)
