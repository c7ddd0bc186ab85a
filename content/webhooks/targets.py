"""Where a webhook may point: checked when a partner subscribes and again on every send.

A target is refused when any address its host resolves to is internal: loopback, private,
link-local, shared (CGNAT), reserved, multicast or unspecified, and every IPv6 form that
carries an IPv4 address a gateway or the host's own stack would turn back into IPv4
(IPv4-mapped and -compatible, NAT64, 6to4, Teredo), since `[::127.0.0.1]` or
`[64:ff9b::7f00:1]` would otherwise slip past a check made on the IPv6 address alone.

The host is resolved once per send and the connection goes to the address that was checked,
so a DNS answer that changes between the check and the connect (rebinding) cannot redirect it.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# IPv6 ranges that embed an IPv4 address: refused whole, whatever the embedded address is.
EMBEDDING_V4 = tuple(
    ipaddress.ip_network(net)
    for net in (
        "::/96",  # IPv4-compatible (deprecated), and :: itself
        "::ffff:0:0/96",  # IPv4-mapped
        "::ffff:0:0:0/96",  # IPv4-translated (SIIT)
        "64:ff9b::/96",  # NAT64, well-known prefix
        "64:ff9b:1::/48",  # NAT64, local use
        "2002::/16",  # 6to4
        "2001::/32",  # Teredo
    )
)


class TargetRefused(Exception):
    """Why a webhook may not be sent to (or subscribed at) this URL."""


class Unresolvable(TargetRefused):
    """The name has no address now; at send that is a failure, at subscription not yet a refusal."""


@dataclass(frozen=True)
class TargetPolicy:
    """Where webhooks may be sent: internal addresses and plain HTTP allowed or not."""

    allow_internal: bool = False  # tests and closed networks only: lets a partner reach the LAN
    https_only: bool = False


@dataclass(frozen=True)
class Target:
    """A URL's host, port and the one checked address the connection must go to."""

    url: str
    host: str
    address: IPAddress

    @property
    def is_ip_literal(self) -> bool:
        """Whether the URL named an IP address rather than a host name."""
        try:
            ipaddress.ip_address(self.host)
        except ValueError:
            return False
        return True


def internal_reason(address: IPAddress) -> str | None:
    """Why this address is inside the network (not to be called), or None."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.scope_id:
            return f"{address}, scoped to a local interface"
        for net in EMBEDDING_V4:
            if address in net:
                return f"{address}, which embeds an IPv4 address ({net})"
    if (
        not address.is_global
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or address.is_loopback
        or address.is_link_local
        or address.is_private
    ):
        return f"{address}, an internal address"
    return None


def _resolve(host: str, port: int) -> list[IPAddress]:
    try:
        return [
            ipaddress.ip_address(str(info[4][0])) for info in socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
        ]
    except (socket.gaierror, UnicodeError, ValueError) as exc:
        raise Unresolvable(f"cannot resolve {host}: {exc}") from exc


def resolve(url: str, policy: TargetPolicy) -> Target:
    """The URL's host resolved once and every answer checked; refused with the reason otherwise."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if policy.https_only and parts.scheme != "https":
        raise TargetRefused("only https URLs are accepted on this server")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise TargetRefused(f"bad port in {url}") from exc
    addresses = _resolve(host, port)
    if not addresses:
        raise Unresolvable(f"{host} resolves to no address")
    if not policy.allow_internal:
        for address in addresses:
            reason = internal_reason(address)
            if reason:
                raise TargetRefused(f"{host} resolves to {reason}")
    return Target(url, host, addresses[0])
