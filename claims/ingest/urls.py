"""URL and content identity for de-duplication.

Two submissions are the same article when their canonical URLs match (``url_hash``) or when
their main texts match (``content_hash``), e.g. one story reached through a feed link with
tracking parameters and through a pasted share link.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

__all__ = ["as_uri", "canonicalize_url", "content_hash", "url_hash"]

_DEFAULT_PORTS = {"http": 80, "https": 443}
# Query parameters that only track the reader or the campaign, never select content.
_TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid",
        "igshid", "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "oly_anon_id",
        "oly_enc_id", "vero_id", "ref_src", "ref_url", "cmpid", "wt_mc", "wt.mc_id", "ns_mchannel",
        "ns_source", "ns_campaign", "ns_linkname", "ns_fee", "at_medium", "at_campaign",
        "spm", "share", "s_cid", "xtor", "icid", "ocid", "smid", "sr_share",
    }
)  # fmt: skip
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "at_", "ga_", "hsa_")
_UNRESERVED = "-._~"
_PCT = re.compile(r"%[0-9A-Fa-f]{2}")


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in _TRACKING_PARAMS or lowered.startswith(_TRACKING_PREFIXES)


def _normalise_percent_encoding(component: str, safe: str) -> str:
    # Decode, then re-encode once: "%7e" and "~" and "%7E" become one spelling, spaces and
    # non-ASCII characters get encoded, while reserved characters that were encoded stay so.
    def fix(match: re.Match[str]) -> str:
        char = unquote(match.group(0))
        if char.isascii() and (char.isalnum() or char in _UNRESERVED):
            return char
        return match.group(0).upper()

    component = _PCT.sub(fix, component)
    return quote(component, safe=safe + "%")


def canonicalize_url(url: str) -> str:
    """One spelling per article URL.

    Lower-cases scheme and host (IDNA-encoded), drops default ports, userinfo, the fragment and
    tracking parameters (utm_*, fbclid, gclid, ...), sorts the remaining query parameters,
    normalises percent-encoding and an empty path to "/". Paths keep their case and trailing
    slash: servers may treat them as different pages. Raises ValueError (with a message fit for
    users) for non-http(s) URLs, URLs without a host and ports outside 1-65535.
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise ValueError(f"Not an http(s) URL: {url[:200]}")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise ValueError(f"URL without a host: {url[:200]}")
    if not host.isascii():
        host = host.encode("idna").decode("ascii")
    host = host.lower()
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = 0
    if port == 0:  # out of range (urlsplit raises) or 0: no server listens there
        raise ValueError(f"The port in {url[:200]} is not a valid port number (1-65535).")
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"

    path = _normalise_percent_encoding(parts.path or "/", safe="/:@!$&'()*+,;=")
    pairs = [
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if not _is_tracking(name)
    ]
    pairs.sort()
    query = urlencode(pairs, quote_via=quote, safe="/:@!$'()*,;")
    return urlunsplit((scheme, netloc, path, query, ""))


def as_uri(url: str) -> str:
    """The URI spelling of a web address (an IRI such as ``https://bücher.example/straße``):
    IDNA host, percent-encoded path and query. Anything else is left as it is."""
    from django.utils.encoding import iri_to_uri

    parts = urlsplit(url)
    host = parts.hostname or ""
    if not host.isascii():
        try:
            ascii_host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return iri_to_uri(url)
        userinfo, _, hostport = parts.netloc.rpartition("@")
        _, colon, port = hostport.rpartition(":") if "]" not in hostport else ("", "", "")
        netloc = (f"{userinfo}@" if userinfo else "") + ascii_host + (f":{port}" if colon else "")
        parts = parts._replace(netloc=netloc)
    return iri_to_uri(urlunsplit(parts))


def url_hash(url: str) -> str:
    """sha256 hex of the canonical URL (64 characters; fits a unique indexed column)."""
    return hashlib.sha256(canonicalize_url(url).encode("utf-8")).hexdigest()


def content_hash(text: str) -> str:
    """sha256 hex of the text after NFKC, case folding and collapsing all whitespace, so the
    same article re-extracted with different line breaks or capitalised headings matches."""
    normalised = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()
