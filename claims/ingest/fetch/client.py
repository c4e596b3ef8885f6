"""safe_fetch: URL checks, the redirect loop, status handling and the capped body read."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import quote, urljoin, urlsplit

import urllib3
from urllib3.exceptions import ConnectTimeoutError as Urllib3ConnectTimeout
from urllib3.exceptions import (
    DecodeError,
    LocationParseError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
)
from urllib3.exceptions import SSLError as Urllib3SSLError

from claims.ingest.addresses import parse_networks
from claims.ingest.fetch.connection import Deadline, Guard, open_pool
from claims.ingest.fetch.types import FetchError, FetchPolicy, FetchResult

__all__ = ["DEFAULT_POLICY", "safe_fetch"]

DEFAULT_POLICY = FetchPolicy()  # frozen: safe to share

_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_TRANSIENT_STATUSES = frozenset({408, 425, 429})
# Headers a caller may pass that must not follow a redirect to another origin.
_ORIGIN_BOUND_HEADERS = frozenset({"authorization", "cookie", "proxy-authorization"})
_CHUNK = 64 * 1024
_SAFE_PATH_CHARS = "/%:@!$&'()*+,;=-._~"
_SAFE_QUERY_CHARS = _SAFE_PATH_CHARS + "?"


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


def _translate(exc: BaseException, deadline: Deadline, url: str) -> FetchError:
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
    policy: FetchPolicy = DEFAULT_POLICY,
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
    deadline = Deadline(policy.timeout)
    guard = Guard(allowed, policy.connect_timeout, deadline)
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
                pool = open_pool(target.scheme, target.host, target.port, policy, guard)
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
    deadline: Deadline,
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
    deadline: Deadline,
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
