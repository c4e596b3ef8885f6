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

from claims.ingest.fetch.client import safe_fetch
from claims.ingest.fetch.types import FetchError, FetchPolicy, FetchResult

__all__ = ["FetchError", "FetchPolicy", "FetchResult", "safe_fetch"]
