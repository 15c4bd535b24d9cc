"""Which URLs may be fetched: http and https only, no credentials, and (unless private
addresses are allowed) a host whose every address is public. The check runs on the URL
given and on every redirect, after DNS resolution, and again on the address actually
connected to, so a name that resolves differently the second time gains nothing."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
MAX_URL_LENGTH = 2048
_ALLOW_HINT = "set READINGROOM_FETCH_PRIVATE=true to allow addresses of your own network"


class UnsafeURL(ValueError):
    """A URL the reading room will not fetch; the message says why."""


def check_url(url: str) -> str:
    """The URL's host, if its form may be fetched (scheme, credentials, host, length)."""
    if len(url) > MAX_URL_LENGTH:
        raise UnsafeURL(f"URL is longer than {MAX_URL_LENGTH} characters")
    try:
        parts = urlsplit(url)
        port = parts.port  # raises on a port that is not a number
    except ValueError:
        raise UnsafeURL(f"not a valid URL: {url!r}") from None
    if parts.scheme.lower() not in ("http", "https"):
        shown = f"{parts.scheme}:" if parts.scheme else "no scheme"
        raise UnsafeURL(f"only http and https URLs can be fetched, not {shown}")
    if parts.username is not None or parts.password is not None:
        raise UnsafeURL("URLs with a user name or password are refused")
    if not parts.hostname:
        raise UnsafeURL(f"URL has no host: {url!r}")
    if port == 0:
        raise UnsafeURL("port 0 cannot be fetched")
    return parts.hostname


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address the host name resolves to; 'no such host' when there is none."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise UnsafeURL(f"no such host: {host}") from None
    found = {ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos}
    if not found:
        raise UnsafeURL(f"no such host: {host}")
    return sorted(found, key=str)


def check_address(host: str, address: IPAddress, *, allow_private: bool) -> None:
    """Refuse an address that is not on the public internet."""
    if allow_private:
        return
    kind = address_kind(address)
    if kind:
        shown = host if host == str(address) else f"{host} ({address})"
        raise UnsafeURL(f"refused: {shown} is a {kind} address; {_ALLOW_HINT}")


def check_host(host: str, port: int, *, allow_private: bool) -> None:
    for address in resolve(host, port):
        check_address(host, address, allow_private=allow_private)


def address_kind(address: IPAddress) -> str | None:
    """'loopback', 'private', … for an address that is not public; None for a public one."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    for kind, flag in (
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("unspecified", address.is_unspecified),
        ("private", address.is_private),
        ("reserved", address.is_reserved),
    ):
        if flag:
            return kind
    return None if address.is_global else "non-public"
