"""Which IP addresses an outbound fetch may connect to, and host name resolution.

The rule is "public unicast only". Python's ``ipaddress`` flags are not enough on their own
(see docs/security-fetching.md): ``100.64.0.0/10`` is not ``is_private``, ``224.0.0.1`` is
``is_global`` on Python 3.11, and IPv6 forms that embed an IPv4 address (IPv4-mapped, NAT64,
6to4, IPv4-compatible) report the properties of the IPv6 range, not of the embedded address.
So we check every flag and unwrap embedded IPv4 addresses before deciding.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# Ranges that carry an IPv4 address in their low 32 bits. Checked via the embedded address.
_NAT64_WELL_KNOWN = ipaddress.IPv6Network("64:ff9b::/96")  # RFC 6052
_NAT64_LOCAL_USE = ipaddress.IPv6Network("64:ff9b:1::/48")  # RFC 8215, never routed publicly
_IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")  # deprecated RFC 4291 "::a.b.c.d"

# Ranges Python 3.11 does not flag (or flags inconsistently) that must never be fetched from.
_EXTRA_DENIED: tuple[IPNetwork, ...] = (
    ipaddress.IPv4Network("0.0.0.0/8"),  # "this network"; 0.0.0.0 reaches localhost on Linux
    ipaddress.IPv4Network("100.64.0.0/10"),  # CGNAT, shared address space
    ipaddress.IPv4Network("192.0.0.0/24"),  # IETF protocol assignments
    ipaddress.IPv4Network("198.18.0.0/15"),  # benchmarking
    ipaddress.IPv4Network("224.0.0.0/4"),  # multicast
    ipaddress.IPv4Network("240.0.0.0/4"),  # reserved, incl. broadcast
    ipaddress.IPv6Network("fc00::/7"),  # unique local
    ipaddress.IPv6Network("fe80::/10"),  # link-local
    ipaddress.IPv6Network("fec0::/10"),  # deprecated site-local
    ipaddress.IPv6Network("ff00::/8"),  # multicast
    ipaddress.IPv6Network("100::/64"),  # discard-only
    ipaddress.IPv6Network("2001:db8::/32"),  # documentation
    _NAT64_LOCAL_USE,
)


class AddressNotAllowed(Exception):
    """An address or host that policy forbids connecting to."""

    def __init__(self, address: str, why: str) -> None:
        super().__init__(f"{address}: {why}")
        self.address = address
        self.why = why


@lru_cache(maxsize=64)
def parse_networks(networks: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    """Parse an allowlist such as ``("127.0.0.1/32",)``; raises ValueError on bad entries."""
    return tuple(ipaddress.ip_network(n, strict=False) for n in networks)


def embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for, if it is one of the embedding forms."""
    if ip.ipv4_mapped is not None:  # ::ffff:a.b.c.d
        return ip.ipv4_mapped
    if ip in _NAT64_WELL_KNOWN or ip in _IPV4_COMPATIBLE:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip.sixtofour is not None:  # 2002:AABB:CCDD::/48
        return ip.sixtofour
    if ip.teredo is not None:  # 2001:0::/32, client address is the obfuscated one
        return ip.teredo[1]
    return None


def why_denied(ip: IPAddress) -> str | None:
    """A short reason if ``ip`` is not a public unicast address, else None (no allowlist here)."""
    # ::1 and :: sit inside the IPv4-compatible range; name them for what they are first.
    if ip.is_unspecified:
        return "unspecified address"
    if ip.is_loopback:
        return "loopback address"
    if isinstance(ip, ipaddress.IPv6Address):
        inner = embedded_ipv4(ip)
        if inner is not None:
            inner_reason = why_denied(inner)
            if inner_reason is not None:
                return f"embeds {inner} ({inner_reason})"
            if ip in _IPV4_COMPATIBLE:
                return "deprecated IPv4-compatible IPv6 address"
            # NAT64 / 6to4 / mapped forms of a *public* IPv4 address are as safe as the address.
            return None
    if ip.is_link_local:
        return "link-local address"
    if ip.is_multicast:
        return "multicast address"
    if ip.is_reserved:
        return "reserved address"
    if ip.is_private:
        return "private address"
    if any(ip in net for net in _EXTRA_DENIED if net.version == ip.version):
        return "non-public address"
    if not ip.is_global:
        return "not a globally routable address"
    return None


def check_ip(address: str, allowed_networks: Iterable[IPNetwork] = ()) -> IPAddress:
    """Return the parsed address if a fetch may connect to it, else raise AddressNotAllowed.

    ``allowed_networks`` is the test-only allowlist: an address inside it is accepted even when
    private (e.g. the local test server on 127.0.0.1). Embedded forms are not matched against
    the allowlist, so allowing 127.0.0.1/32 does not allow ::ffff:127.0.0.1.
    """
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone id
    except ValueError as exc:
        raise AddressNotAllowed(address, "not an IP address") from exc
    if any(ip.version == net.version and ip in net for net in allowed_networks):
        return ip
    reason = why_denied(ip)
    if reason is not None:
        raise AddressNotAllowed(address, reason)
    return ip


class ResolveTimeout(TimeoutError):
    """The resolver did not answer within the time budget."""


def _getaddrinfo_within(host: str, port: int, timeout: float | None) -> list[Any]:
    """socket.getaddrinfo with a time limit.

    getaddrinfo blocks in C and cannot be interrupted, so it runs in a daemon thread that is
    abandoned (it finishes on its own within the resolver's timeouts) when time is up.
    """

    def lookup() -> list[Any]:
        return socket.getaddrinfo(
            host, port, socket.AF_UNSPEC, socket.SOCK_STREAM, socket.IPPROTO_TCP
        )

    if timeout is None:
        return lookup()
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = lookup()
        except BaseException as exc:  # handed to the caller's thread below
            outcome["error"] = exc

    worker = threading.Thread(target=run, name=f"resolve {host}", daemon=True)
    worker.start()
    worker.join(max(timeout, 0.0))
    if worker.is_alive():
        raise ResolveTimeout(f"resolving {host} took longer than {timeout:.1f} s")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def resolve(
    host: str, port: int, timeout: float | None = None
) -> list[tuple[socket.AddressFamily, str]]:
    """Resolve ``host`` to (family, address) pairs for TCP, in resolver order, without duplicates.

    Numeric forms are parsed by the C library exactly as a connect() would see them, so legacy
    literals like ``2130706433`` or ``0x7f.1`` come back as ``127.0.0.1`` and get checked.
    Raises socket.gaierror, or ResolveTimeout after ``timeout`` seconds.
    """
    infos = _getaddrinfo_within(host, port, timeout)
    seen: set[str] = set()
    result: list[tuple[socket.AddressFamily, str]] = []
    for family, _type, _proto, _canon, sockaddr in infos:
        if family not in (socket.AF_INET, socket.AF_INET6):
            continue
        addr = str(sockaddr[0])
        if addr not in seen:
            seen.add(addr)
            result.append((family, addr))
    return result


def vet_host(
    host: str,
    port: int,
    allowed_networks: Iterable[IPNetwork] = (),
    timeout: float | None = None,
) -> list[tuple[socket.AddressFamily, str]]:
    """Resolve ``host`` and check every address; one bad address rejects the whole host.

    Rejecting on any bad address (rather than skipping it) keeps the decision independent of
    which address a later connect happens to try first.
    """
    nets = tuple(allowed_networks)
    try:
        literal = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        literal = None
    if literal is not None:  # canonical IP literal: check it as written, no resolver involved
        check_ip(host, nets)
        family = socket.AF_INET6 if literal.version == 6 else socket.AF_INET
        return [(family, host)]
    addresses = resolve(host, port, timeout)
    if not addresses:
        raise AddressNotAllowed(host, "host has no IPv4/IPv6 address")
    for _family, addr in addresses:
        check_ip(addr, nets)
    return addresses
