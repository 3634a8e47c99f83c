"""Where webhooks may go: SSRF protection by address classification.

A URL's host is resolved once; the delivery then connects to that very
address (pinned), so a DNS answer cannot change between the check and the
request. Refused: loopback, private (RFC 1918, unique-local), link-local
(including the 169.254.169.254 cloud metadata service), shared, reserved,
multicast and unspecified addresses, and IPv6 forms that embed one of them
(IPv4-mapped, 6to4, NAT64, Teredo). Hosts written as decimal, octal or hex
numbers ("2130706433", "0x7f.1") are resolved by the system resolver like
any other and refused by the address they turn out to be.

`WEBHOOKS_ALLOW_PRIVATE` (local use) allows loopback and private addresses;
link-local, metadata, multicast and unspecified addresses stay refused.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

METADATA = {
    ipaddress.ip_address("169.254.169.254"),
    ipaddress.ip_address("fd00:ec2::254"),
    ipaddress.ip_address("100.100.100.200"),
}
NAT64 = ipaddress.ip_network("64:ff9b::/96")


class TargetRefused(Exception):
    """The URL may not receive webhooks; the message says why."""


@dataclass(frozen=True)
class Target:
    """A checked URL and the address to connect to."""

    url: str
    scheme: str
    host: str
    port: int
    address: str


def embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    if address.ipv4_mapped:
        return address.ipv4_mapped
    if address.sixtofour:
        return address.sixtofour
    if address.teredo:
        return address.teredo[1]
    if address in NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def refusal(address: IPAddress, allow_private: bool) -> str:
    """Why `address` may not be a webhook target ("" when it may)."""
    inner = embedded_ipv4(address)
    if inner is not None:
        reason = refusal(inner, allow_private)
        return f"{reason} (embedded in {address})" if reason else ""
    if address in METADATA:
        return f"{address} is a cloud metadata address"
    if address.is_link_local:
        return f"{address} is link-local"
    if address.is_multicast or address.is_unspecified:
        return f"{address} is not a unicast address"
    if address.is_loopback:
        return "" if allow_private else f"{address} is a loopback address"
    if address.is_private or not address.is_global:
        return "" if allow_private else f"{address} is a private or reserved address"
    return ""


def resolve(host: str, port: int) -> list[IPAddress]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise TargetRefused(f"{host} does not resolve ({exc}).") from None
    seen: list[IPAddress] = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if address not in seen:
            seen.append(address)
    return seen


def check(url: str, allow_private: bool | None = None) -> Target:
    """Resolve `url` once and return it pinned to a permitted address, or raise TargetRefused.

    Every address the name resolves to must be permitted: a name that also
    points inside the network is refused as a whole.
    """
    if allow_private is None:
        allow_private = settings.WEBHOOKS_ALLOW_PRIVATE
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise TargetRefused("Only http and https URLs can receive webhooks.")
    if not parts.hostname:
        raise TargetRefused("The URL has no host.")
    if parts.username or parts.password:
        raise TargetRefused("Credentials in the URL are not allowed; use the signature.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise TargetRefused("The URL's port is not valid.") from None
    addresses = resolve(parts.hostname, port)
    if not addresses:
        raise TargetRefused(f"{parts.hostname} does not resolve.")
    for address in addresses:
        reason = refusal(address, allow_private)
        if reason:
            raise TargetRefused(f"{parts.hostname} is refused: {reason}.")
    return Target(url, parts.scheme, parts.hostname, port, str(addresses[0]))
