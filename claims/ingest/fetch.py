"""SSRF-safe HTTP(S) fetching for article pages and feeds.

How it stays safe (details and threat model in docs/security-fetching.md):

* Only http and https, no credentials in URLs.
* The host is resolved inside the connection's ``_new_conn`` and *every* resolved address must
  be public (``claims.ingest.addresses``); then the socket connects to one of those vetted
  addresses directly, so there is no second DNS lookup an attacker could answer differently
  (DNS rebinding). The Host header, TLS SNI and certificate verification still use the host
  name, because urllib3 only sees the socket we hand it.
* Redirects are followed by hand, each hop through a fresh, equally guarded connection.
* Proxy environment variables are ignored: urllib3 pools never read them, and we never build a
  ProxyManager. (trafilatura's fetcher skips its SSRF check when ``http_proxy`` is set.)
* Certificates are always verified; there is no insecure fallback.
* The body is streamed with a byte cap (decoded bytes, so gzip bombs count), and a watchdog
  shuts the socket down when the total time budget is spent, so a server trickling one byte at
  a time cannot hold a worker longer than ``policy.timeout``.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

import certifi
import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.exceptions import ConnectTimeoutError as Urllib3ConnectTimeout
from urllib3.exceptions import (
    DecodeError,
    LocationParseError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
)
from urllib3.exceptions import SSLError as Urllib3SSLError

from claims.ingest.addresses import AddressNotAllowed, ResolveTimeout, parse_networks, vet_host

__all__ = ["FetchError", "FetchPolicy", "FetchResult", "safe_fetch"]

_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_TRANSIENT_STATUSES = frozenset({408, 425, 429})
# Headers a caller may pass that must not follow a redirect to another origin.
_ORIGIN_BOUND_HEADERS = frozenset({"authorization", "cookie", "proxy-authorization"})
_CHUNK = 64 * 1024
_SAFE_PATH_CHARS = "/%:@!$&'()*+,;=-._~"
_SAFE_QUERY_CHARS = _SAFE_PATH_CHARS + "?"


@dataclass(frozen=True)
class FetchPolicy:
    """Limits for one fetch. The defaults are the production settings.

    ``allowed_private_networks`` is a TEST-ONLY allowlist (CIDR strings, e.g.
    ``("127.0.0.1/32",)``) that lets tests reach a local server; it is empty by default and
    production configuration must leave it empty. ``ca_certs`` (a PEM file) replaces the
    certifi bundle, for tests with a local certificate authority.
    """

    max_bytes: int = 10 * 1024 * 1024
    timeout: float = 20.0  # total, for the whole request including redirects
    connect_timeout: float = 5.0
    max_redirects: int = 5
    user_agent: str = "ClaimTracker/1.0 (+fact-checking)"
    allowed_private_networks: tuple[str, ...] = ()
    ca_certs: str | None = None


class FetchError(Exception):
    """A fetch that did not produce a usable response.

    ``reason`` is a short machine code (``blocked_address``, ``bad_url``, ``bad_scheme``,
    ``too_large``, ``timeout``, ``http_status``, ``too_many_redirects``, ``dns``,
    ``connection``, ``tls``, ``content_decoding``, ``unsupported_content``); ``message`` is
    readable and safe to show to users; ``transient`` is True only for failures worth retrying
    (network errors, timeouts, 5xx, 408/425/429). ``retry_after`` is the server's Retry-After
    in seconds (429/503), for a retry countdown.
    """

    def __init__(
        self,
        reason: str,
        message: str,
        transient: bool = False,
        status: int | None = None,
        url: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        # Positional args so the exception pickles (Celery result backends, multiprocessing).
        super().__init__(reason, message, transient, status, url, retry_after)
        self.reason = reason
        self.message = message
        self.transient = transient
        self.status = status
        self.url = url
        self.retry_after = retry_after

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class FetchResult:
    url: str  # final URL after redirects
    requested_url: str
    status: int
    headers: Mapping[str, str]  # lower-case names; repeated headers joined with ", "
    content: bytes
    content_type: str  # lower-case media type without parameters, "" if absent
    charset: str | None
    redirects: tuple[str, ...] = field(default=())

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class _Deadline:
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
class _Guard:
    allowed_networks: tuple[Any, ...]
    connect_timeout: float
    deadline: _Deadline


class _GuardedConnectionMixin:
    """Replaces urllib3's resolve-and-connect with resolve, vet every address, connect to it."""

    host: str
    port: int
    _dns_host: str

    def __init__(self, *args: Any, fetch_guard: _Guard, **kwargs: Any) -> None:
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


@dataclass(frozen=True)
class _Target:
    scheme: str
    host: str  # IDNA-encoded, lower-case, IPv6 without brackets
    port: int
    request_target: str  # path + query, percent-encoded

    @property
    def origin(self) -> tuple[str, str, int]:
        return (self.scheme, self.host, self.port)


def _parse_target(url: str) -> _Target:
    if any(ord(ch) <= 0x20 or ord(ch) == 0x7F for ch in url):
        raise FetchError("bad_url", "The URL contains spaces or control characters.", url=url)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise FetchError("bad_url", f"Not a valid URL: {url[:200]}", url=url) from exc
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        shown = scheme or "(none)"
        raise FetchError(
            "bad_scheme", f"Only http and https URLs can be fetched, not {shown}.", url=url
        )
    if parts.username is not None or parts.password is not None:
        raise FetchError("bad_url", "URLs with user names or passwords are not fetched.", url=url)
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise FetchError("bad_url", "The URL has no host name.", url=url)
    if "%" in host:  # IPv6 zone ids (RFC 6874) only name link-local addresses, never public
        raise FetchError("bad_url", "The URL's host name is not valid.", url=url)
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError as exc:
            raise FetchError("bad_url", "The URL's host name is not valid.", url=url) from exc
    path = quote(parts.path or "/", safe=_SAFE_PATH_CHARS)
    if parts.query:
        path += "?" + quote(parts.query, safe=_SAFE_QUERY_CHARS)
    default_port = 443 if scheme == "https" else 80
    return _Target(scheme, host.lower(), port or default_port, path)


def _split_content_type(value: str) -> tuple[str, str | None]:
    media_type, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        name, _, val = param.partition("=")
        if name.strip().lower() == "charset":
            charset = val.strip().strip("\"'").lower() or None
    return media_type.strip().lower(), charset


def _content_type_accepted(media_type: str, accepted: Collection[str]) -> bool:
    if not media_type:
        return True  # unknown: let the caller sniff the bytes
    for pattern in accepted:
        pattern = pattern.lower()
        if pattern == media_type or (
            pattern.endswith("/*") and media_type.startswith(pattern[:-1])
        ):
            return True
    return False


def _open_pool(target: _Target, policy: FetchPolicy, guard: _Guard) -> urllib3.HTTPConnectionPool:
    common: dict[str, Any] = {
        "maxsize": 1,
        "retries": False,
        "fetch_guard": guard,
    }
    if target.scheme == "https":
        return _GuardedHTTPSPool(
            target.host,
            target.port,
            cert_reqs="CERT_REQUIRED",
            ca_certs=policy.ca_certs or certifi.where(),
            **common,
        )
    return _GuardedHTTPPool(target.host, target.port, **common)


def _translate(exc: BaseException, deadline: _Deadline, url: str) -> FetchError:
    """Map urllib3/socket errors to FetchError; an expired deadline always reads as timeout."""
    if isinstance(exc, FetchError):
        return exc
    if deadline.expired or deadline.remaining() <= 0:
        return FetchError("timeout", "The server took too long to answer.", True, url=url)
    if isinstance(exc, (ReadTimeoutError, Urllib3ConnectTimeout, TimeoutError)):
        return FetchError("timeout", "The server took too long to answer.", True, url=url)
    if isinstance(exc, Urllib3SSLError) or "SSL" in type(exc).__name__:
        return FetchError(
            "tls", f"Secure connection failed (certificate or TLS error): {exc}", url=url
        )
    if isinstance(exc, DecodeError):
        return FetchError(
            "content_decoding", "The response body could not be decompressed.", url=url
        )
    if isinstance(exc, (ProtocolError, NewConnectionError, OSError)):
        return FetchError("connection", f"The connection failed: {exc}", True, url=url)
    return FetchError("connection", f"The request failed: {exc}", True, url=url)


def safe_fetch(
    url: str,
    *,
    policy: FetchPolicy = FetchPolicy(),
    headers: Mapping[str, str] | None = None,
    accept_content_types: Collection[str] | None = None,
) -> FetchResult:
    """GET ``url`` under ``policy``; see the module docstring for the guarantees.

    ``headers`` are sent on every hop to the same origin (e.g. ``If-None-Match`` and
    ``If-Modified-Since`` for a conditional GET; a 304 comes back as a result with empty
    content). ``accept_content_types`` (e.g. ``("text/html", "text/*")``) refuses other
    declared media types with ``unsupported_content`` before the body is downloaded.
    Raises FetchError for everything else, including any 4xx/5xx status.
    """
    try:
        allowed = parse_networks(tuple(policy.allowed_private_networks))
    except ValueError as exc:
        raise ValueError(f"Bad allowed_private_networks entry: {exc}") from exc

    base_headers = {
        "User-Agent": policy.user_agent,
        "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        "Accept-Encoding": "gzip, deflate",
    }
    extra = dict(headers or {})
    deadline = _Deadline(policy.timeout)
    guard = _Guard(allowed, policy.connect_timeout, deadline)
    current = url
    redirects: list[str] = []
    first_origin: tuple[str, str, int] | None = None
    try:
        while True:
            target = _parse_target(current)
            if first_origin is None:
                first_origin = target.origin
            request_headers = dict(base_headers)
            for name, value in extra.items():
                if target.origin != first_origin and name.lower() in _ORIGIN_BOUND_HEADERS:
                    continue
                request_headers[name] = value
            try:
                pool = _open_pool(target, policy, guard)
            except LocationParseError as exc:
                raise FetchError(
                    "bad_url", "The URL's host name is not valid.", url=current
                ) from exc
            try:
                remaining = deadline.remaining()
                if remaining <= 0:
                    raise FetchError("timeout", "The server took too long to answer.", True)
                timeout = urllib3.Timeout(
                    connect=min(policy.connect_timeout, remaining), read=remaining
                )
                try:
                    response = pool.urlopen(
                        "GET",
                        target.request_target,
                        headers=request_headers,
                        retries=False,
                        redirect=False,
                        assert_same_host=False,
                        preload_content=False,
                        decode_content=True,
                        timeout=timeout,
                    )
                except Exception as exc:
                    raise _translate(exc, deadline, current) from exc
                try:
                    result = _handle_response(
                        response, current, url, redirects, policy, deadline, accept_content_types
                    )
                finally:
                    response.release_conn()
                    response.close()
            finally:
                pool.close()
            if isinstance(result, FetchResult):
                return result
            # A redirect: ``result`` is the absolute next URL.
            if len(redirects) >= policy.max_redirects:
                raise FetchError(
                    "too_many_redirects",
                    f"Gave up after {policy.max_redirects} redirects.",
                    url=url,
                )
            redirects.append(result)
            current = result
    finally:
        deadline.cancel()


def _handle_response(
    response: urllib3.BaseHTTPResponse,
    current: str,
    requested: str,
    redirects: list[str],
    policy: FetchPolicy,
    deadline: _Deadline,
    accept_content_types: Collection[str] | None,
) -> FetchResult | str:
    status = response.status
    response_headers = {name.lower(): response.headers[name] for name in response.headers}
    if status in _REDIRECT_STATUSES and response_headers.get("location"):
        location = response_headers["location"].strip()
        next_url = urljoin(current, location)
        scheme = urlsplit(next_url).scheme.lower()
        if scheme not in ("http", "https"):
            raise FetchError(
                "bad_scheme",
                f"Redirect to a {scheme or 'schemeless'} URL refused; only http and https.",
                url=current,
            )
        return next_url
    if status >= 400 or (300 <= status < 400 and status != 304):
        transient = status >= 500 or status in _TRANSIENT_STATUSES
        raise FetchError(
            "http_status",
            f"The server answered HTTP {status} {response.reason or ''}".rstrip() + ".",
            transient,
            status=status,
            url=current,
            retry_after=_retry_after(response_headers.get("retry-after")) if transient else None,
        )
    media_type, charset = _split_content_type(response_headers.get("content-type", ""))
    if status == 304:
        body = b""
    else:
        if accept_content_types is not None and not _content_type_accepted(
            media_type, accept_content_types
        ):
            raise FetchError(
                "unsupported_content",
                f"The page is {media_type}, which cannot be processed.",
                url=current,
            )
        body = _read_capped(response, response_headers, policy.max_bytes, deadline, current)
    return FetchResult(
        url=current,
        requested_url=requested,
        status=status,
        headers=response_headers,
        content=body,
        content_type=media_type,
        charset=charset,
        redirects=tuple(redirects),
    )


def _retry_after(value: str | None) -> float | None:
    """Retry-After as seconds from now: delta-seconds or an HTTP date; None if absent/invalid."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - datetime.now(UTC)).total_seconds(), 0.0)


def _too_large(limit: int, url: str) -> FetchError:
    return FetchError(
        "too_large", f"The page is larger than the limit of {limit:,} bytes.", url=url
    )


def _read_capped(
    response: urllib3.BaseHTTPResponse,
    response_headers: Mapping[str, str],
    limit: int,
    deadline: _Deadline,
    url: str,
) -> bytes:
    declared = response_headers.get("content-length", "").strip()
    # Content-Length counts encoded bytes; still a cheap early refusal for honest servers.
    if declared.isdigit() and int(declared) > limit:
        raise _too_large(limit, url)
    chunks: list[bytes] = []
    total = 0
    try:
        for chunk in response.stream(_CHUNK, decode_content=True):
            total += len(chunk)
            if total > limit:  # counts decoded bytes, so compression bombs stop here too
                raise _too_large(limit, url)
            if deadline.expired:
                raise FetchError("timeout", "The server took too long to answer.", True, url=url)
            chunks.append(chunk)
    except FetchError:
        raise
    except Exception as exc:
        raise _translate(exc, deadline, url) from exc
    if deadline.expired:
        raise FetchError("timeout", "The server took too long to answer.", True, url=url)
    return b"".join(chunks)
