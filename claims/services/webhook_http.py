"""What a webhook delivery puts on the wire: the signature its subscriber checks, and the POST
itself, made only to addresses that pass the safe fetcher's checks (vetted at connect time, no
redirects followed). The contract is in claims.services.webhooks and docs/api.md, "Webhooks".
"""

from __future__ import annotations

import hashlib
import hmac
import socket
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection

from claims.ingest.addresses import AddressNotAllowed, parse_networks, vet_host
from claims.services.fetching import fetch_policy

SIGNATURE_HEADER = "X-ClaimTracker-Signature"
TIMESTAMP_HEADER = "X-ClaimTracker-Timestamp"
EVENT_HEADER = "X-ClaimTracker-Event"
DELIVERY_HEADER = "X-ClaimTracker-Delivery"
USER_AGENT = "ClaimTracker-Webhooks/1.0"

DELIVERY_TIMEOUT = 10.0  # seconds for one attempt, connect included
MAX_RESPONSE_BYTES = 64 * 1024


@dataclass(frozen=True)
class AttemptResult:
    ok: bool
    status: int | None
    error: str


def webhook_signature(*, secret: str, timestamp: int, body: bytes) -> str:
    """``sha256=<hex>`` over ``b"<timestamp>." + body``, the value of the signature header."""
    message = str(timestamp).encode("ascii") + b"." + body
    digest = hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def webhook_signature_valid(
    *, secret: str, timestamp: str, body: bytes, signature: str, tolerance: int = 300
) -> bool:
    """What a receiver does (also used by our tests): recompute, compare, check freshness."""
    try:
        ts = int(timestamp)
    except (TypeError, ValueError):
        return False
    if abs(time.time() - ts) > tolerance:
        return False
    expected = webhook_signature(secret=secret, timestamp=ts, body=body)
    return hmac.compare_digest(expected, signature)


class _VettedConnectionMixin:
    """Connect only to addresses that pass the safe fetcher's checks, vetted at connect time."""

    host: str
    port: int
    _dns_host: str
    allowed_networks: tuple = ()
    connect_timeout: float = 5.0

    def _new_conn(self) -> socket.socket:
        addresses = vet_host(self._dns_host, self.port, self.allowed_networks)
        last_error: OSError | None = None
        for family, address in addresses:
            sock = socket.socket(family, socket.SOCK_STREAM)
            try:
                sock.settimeout(self.connect_timeout)
                sock.connect((address, self.port))
            except OSError as exc:
                sock.close()
                last_error = exc
                continue
            return sock
        raise OSError(f"could not connect to {self.host}: {last_error}")


def webhook_post(url: str, *, body: bytes, headers: dict[str, str]) -> AttemptResult:
    """One POST attempt; every failure (refused address, DNS, network, non-2xx) is a result."""
    policy = fetch_policy()
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return AttemptResult(False, None, "Only http and https webhook URLs are allowed.")
    if parts.username or parts.password:
        return AttemptResult(False, None, "Webhook URLs must not contain credentials.")
    allowed = parse_networks(tuple(policy.allowed_private_networks))
    timeout = min(DELIVERY_TIMEOUT, policy.timeout)
    attrs = {"allowed_networks": allowed, "connect_timeout": min(5.0, timeout)}
    conn_base = HTTPSConnection if scheme == "https" else HTTPConnection
    conn_cls = type("VettedConnection", (_VettedConnectionMixin, conn_base), attrs)
    pool_base = urllib3.HTTPSConnectionPool if scheme == "https" else urllib3.HTTPConnectionPool
    pool_cls = type("VettedPool", (pool_base,), {"ConnectionCls": conn_cls})
    port = parts.port or (443 if scheme == "https" else 80)
    extra: dict[str, Any] = {}
    if scheme == "https":
        import certifi

        extra = {"cert_reqs": "CERT_REQUIRED", "ca_certs": policy.ca_certs or certifi.where()}
    pool = pool_cls(parts.hostname, port, maxsize=1, retries=False, **extra)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    try:
        response = pool.urlopen(
            "POST",
            path,
            body=body,
            headers=headers,
            retries=False,
            redirect=False,  # a redirect could point anywhere; subscribers give the final URL
            timeout=urllib3.Timeout(connect=min(5.0, timeout), read=timeout),
            preload_content=False,
        )
        try:
            response.read(MAX_RESPONSE_BYTES, decode_content=False)
        finally:
            response.release_conn()
    except AddressNotAllowed as exc:
        return AttemptResult(False, None, f"Refused: {exc.why} ({exc.address}).")
    except socket.gaierror:
        return AttemptResult(False, None, f"Could not resolve {parts.hostname}.")
    except Exception as exc:  # every network failure is a failed attempt
        return AttemptResult(False, None, f"Connection failed: {exc}"[:500])
    finally:
        pool.close()
    ok = 200 <= response.status < 300
    error = "" if ok else f"The subscriber answered HTTP {response.status}."
    return AttemptResult(ok, response.status, error)
