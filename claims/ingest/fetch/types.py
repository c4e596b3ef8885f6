"""The fetcher's policy, result and error types."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["FetchError", "FetchPolicy", "FetchResult"]


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
