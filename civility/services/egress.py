"""Which addresses Civility's outgoing requests (webhooks) may reach.

A webhook URL is set by a site's admin, but the request is made from inside the operator's network: without a check
it could reach the cloud metadata service, a database on loopback or anything on a private network (SSRF). So only
http(s) URLs whose addresses are public are allowed, except hosts the operator names in ``webhook_allowed_hosts``.

The URL is checked when it is saved (literal addresses; a name cannot be judged until it is resolved) and again at
delivery, where the name is resolved once, every address is checked, and the connection goes to a checked address
(``Target``), so a second DNS answer cannot swap in an internal one (DNS rebinding). Redirects are not followed,
for the same reason.
"""

from __future__ import annotations

import ipaddress
import socket
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]

SCHEMES = {"http": 80, "https": 443}
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
_IDNA_DOTS = str.maketrans({"\u3002": ".", "\uff0e": ".", "\uff61": "."})  # label separators IDNA maps to "."


class EgressRefused(ValueError):
    """The URL or one of its addresses may not be reached; the message says why, for the admin who set it."""


@dataclass(frozen=True)
class Target:
    """Where to send a request: ``urls`` has the host replaced by each checked address, in resolver order;
    ``host_header`` and ``server_name`` (TLS SNI and certificate name) keep the name the URL gave."""

    urls: tuple[str, ...]
    host_header: str
    server_name: str | None


def normalise_host(host: str) -> str:
    return host.strip().strip("[]").rstrip(".").lower()


def refusal(address: IPAddress) -> str | None:
    """What kind of internal address ``address`` is ("a loopback address", …), or None when it is public."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            reason = refusal(embedded)
            return f"{reason} ({embedded} inside an IPv6 form)" if reason else None
    for kind in ("unspecified", "loopback", "link_local", "multicast", "private", "reserved"):
        if getattr(address, f"is_{kind}"):
            name = kind.replace("_", "-")
            return f"{'an' if name[0] in 'aeiou' else 'a'} {name} address"
    if address in _IPV4_COMPATIBLE:
        return "an IPv4-compatible IPv6 address"
    if not address.is_global:
        return "not a public address"
    return None


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 form carries (mapped, 6to4, NAT64), which is what the packet really reaches."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if any(address in network for network in _NAT64):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def literal_address(host: str) -> IPAddress | None:
    """The address a host names literally, including the old IPv4 spellings a resolver accepts (``127.1``,
    ``0x7f000001``, ``2130706433``, full-width digits); None for a name."""
    host = unicodedata.normalize("NFKC", host).translate(_IDNA_DOTS)
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if host and all(part.isalnum() for part in host.split(".")) and host.split(".")[-1][:1].isdigit():
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except (OSError, UnicodeError, ValueError):
            return None
    return None


def _parts(url: str) -> tuple[Any, str, int]:
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise EgressRefused(f"the URL is malformed ({exc})") from None
    if parts.scheme.lower() not in SCHEMES:
        raise EgressRefused("only http and https URLs are allowed")
    host = normalise_host(parts.hostname or "")
    if not host:
        raise EgressRefused("the URL has no host")
    return parts, host, port or SCHEMES[parts.scheme.lower()]


def _allowed(host: str, allowed_hosts: Iterable[str]) -> bool:
    return host in {normalise_host(entry) for entry in allowed_hosts}


def check_url(url: str, allowed_hosts: Iterable[str] = ()) -> None:
    """Raise EgressRefused unless ``url`` is http(s) and its host is allow-listed, a name, or a public address."""
    _, host, _ = _parts(url)
    if _allowed(host, allowed_hosts):
        return
    address = literal_address(host)
    reason = refusal(address) if address is not None else None
    if reason:
        raise EgressRefused(f"{address} is {reason}; name the host in webhook_allowed_hosts to allow it")


def system_resolver(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for ``host`` (TCP), in its order, without repeats."""
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise EgressRefused(f"{host} does not resolve ({type(exc).__name__})") from None
    return list(dict.fromkeys(str(info[4][0]).split("%")[0] for info in answers))


def resolve(url: str, allowed_hosts: Iterable[str] = (), resolver: Resolver = system_resolver) -> Target:
    """Resolve ``url``'s host once and check every address; the Target connects only to those addresses.

    Any refused address refuses the whole URL: a name that resolves to both a public and an internal address is
    treated as internal. An allow-listed host skips the check but is pinned the same way.
    """
    parts, host, port = _parts(url)
    address = literal_address(host)
    addresses = [address] if address is not None else [ipaddress.ip_address(found) for found in resolver(host, port)]
    if not addresses:
        raise EgressRefused(f"{host} has no address")
    if not _allowed(host, allowed_hosts):
        for candidate in addresses:
            reason = refusal(candidate)
            if reason:
                raise EgressRefused(f"{host} resolves to {candidate}, {reason}")
    userinfo = parts.netloc.rpartition("@")[0]
    urls = tuple(urlunsplit(parts._replace(netloc=_netloc(userinfo, candidate, parts.port))) for candidate in addresses)
    name = _ascii_name(host) if address is None else (f"[{host}]" if ":" in host else host)
    server_name = name if parts.scheme.lower() == "https" and address is None else None
    return Target(urls, name if parts.port is None else f"{name}:{parts.port}", server_name)


def _ascii_name(host: str) -> str:
    """The name as it goes on the wire (Host header, SNI): IDNA A-labels for a non-ASCII name."""
    if host.isascii():
        return host
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        raise EgressRefused(f"{host} is not a valid host name") from None


def _netloc(userinfo: str, address: IPAddress, port: int | None) -> str:
    shown = f"[{address}]" if address.version == 6 else str(address)
    shown = f"{shown}:{port}" if port is not None else shown
    return f"{userinfo}@{shown}" if userinfo else shown
