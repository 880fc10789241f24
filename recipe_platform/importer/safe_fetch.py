"""Fetching a page or a photo a user named, without letting them reach our own network.

A recipe import makes the server request an address the user typed: server-side request
forgery (Mealie's import still lets a user reach the server's loopback, its private network and
the cloud's metadata service at 169.254.169.254). Here:

- only ``http`` and ``https`` addresses are taken, on their usual ports or any other;
- the host name is resolved here, once, and refused if *any* address it resolves to is not a
  public one (:func:`is_public`: loopback, private, link-local, shared, multicast, reserved,
  unspecified, and IPv6 forms that carry one of those: IPv4-mapped, NAT64, 6to4, Teredo);
- the connection goes to the address that was checked, never to the name again, so a DNS
  answer that changes between the check and the connection (DNS rebinding) changes nothing;
  the TLS handshake still names the original host (SNI) and checks its certificate, and the
  ``Host`` header is the original one;
- redirects are followed by hand, each target checked the same way, at most
  :data:`MAX_REDIRECTS`; the whole fetch, redirects included, has :data:`TOTAL_SECONDS`; the body
  is read in chunks and refused past its cap (whatever ``Content-Length`` claims); the
  ``Content-Type`` must be one the caller expects.

Tests serve pages from 127.0.0.1, which this module refuses; ``RECIPE_IMPORT_ALLOW_LOOPBACK``
lets loopback through (and nothing else), and the production settings refuse to start with it.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import urllib3
from django.conf import settings

MAX_REDIRECTS = 3
TOTAL_SECONDS = 10.0
CONNECT_SECONDS = 5.0
READ_SECONDS = 5.0
_CHUNK = 64 * 1024
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
USER_AGENT = "CommunityKitchenImporter/1.0 (+recipe import; one page per request)"

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
#: Host name and port -> the addresses they resolve to. A module attribute, so that tests can
#: make a name resolve to a private address.
Resolver = Callable[[str, int], list[str]]


class FetchRefused(Exception):
    """The address may not be fetched, or what it answered is not acceptable. ``str()`` is a
    sentence for the user."""


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    content_type: str
    body: bytes
    charset: str | None


def system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


resolver: Resolver = system_resolver


def is_public(ip: IPAddress) -> bool:
    """Whether ``ip`` is a public unicast address, the only kind an import may connect to."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return is_public(ip.ipv4_mapped)
        if any(ip in network for network in _NAT64):
            return is_public(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
        if ip.sixtofour is not None and not is_public(ip.sixtofour):
            return False
        if ip.teredo is not None or ip.is_site_local:
            return False
    return ip.is_global and not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def _allowed(ip: IPAddress) -> bool:
    if is_public(ip):
        return True
    return bool(getattr(settings, "RECIPE_IMPORT_ALLOW_LOOPBACK", False)) and ip.is_loopback


def _checked_target(url: str) -> tuple[str, str, int, str, str]:
    """(scheme, host, port, pinned address, path with query) for ``url``, or FetchRefused."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise FetchRefused("This address is not valid.") from error
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchRefused("Only http:// and https:// addresses can be imported.")
    host = parts.hostname
    if not host:
        raise FetchRefused("This address has no host name.")
    if parts.username is not None or parts.password is not None:
        raise FetchRefused("Addresses with a user name or password cannot be imported.")
    port = port or (443 if scheme == "https" else 80)
    try:
        literal: IPAddress | None = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        addresses = [literal]
    else:
        try:
            resolved = resolver(host.rstrip("."), port)
        except (OSError, UnicodeError) as error:
            raise FetchRefused("This site's name could not be found.") from error
        try:
            addresses = [ipaddress.ip_address(address.split("%")[0]) for address in resolved]
        except ValueError as error:
            raise FetchRefused("This site's name could not be found.") from error
    if not addresses:
        raise FetchRefused("This site's name could not be found.")
    if not all(_allowed(address) for address in addresses):
        raise FetchRefused("This address is on a private network and cannot be imported.")
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return scheme, host, port, str(addresses[0]), path


def fetch(url: str, *, accept: Collection[str], max_bytes: int) -> Fetched:
    """GET ``url`` safely (see the module); ``FetchRefused`` for anything not acceptable.

    ``accept`` lists the media types taken (``text/html``...); ``max_bytes`` caps the body.
    """
    deadline = time.monotonic() + TOTAL_SECONDS
    for _hop in range(MAX_REDIRECTS + 1):
        scheme, host, port, address, path = _checked_target(url)
        response = _request(scheme, host, port, address, path, deadline)
        try:
            if response.status in _REDIRECTS:
                location = response.headers.get("Location")
                if not location:
                    raise FetchRefused("The site answered with a redirect to nowhere.")
                url = urljoin(url, location)
                continue
            if response.status != 200:
                raise FetchRefused(f"The site answered with an error ({response.status}).")
            content_type, charset = _content_type(response.headers.get("Content-Type", ""))
            if content_type not in accept:
                raise FetchRefused(_not_accepted_message(accept))
            body = _read_capped(response, max_bytes, deadline)
            return Fetched(url=url, content_type=content_type, body=body, charset=charset)
        finally:
            response.release_conn()
    raise FetchRefused(f"The site redirected more than {MAX_REDIRECTS} times.")


def _request(
    scheme: str, host: str, port: int, address: str, path: str, deadline: float
) -> urllib3.BaseHTTPResponse:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise FetchRefused(_too_slow_message())
    # Each wait is bounded too, so one stalled read cannot outlast the deadline by much.
    timeout = urllib3.Timeout(
        connect=min(CONNECT_SECONDS, remaining), read=min(READ_SECONDS, remaining)
    )
    default_port = 443 if scheme == "https" else 80
    host_header = _bracketed(host) if port == default_port else f"{_bracketed(host)}:{port}"
    pool: urllib3.HTTPConnectionPool
    if scheme == "https":
        # Connect to the checked address; the handshake names (and verifies) the host.
        pool = urllib3.HTTPSConnectionPool(
            address,
            port,
            timeout=timeout,
            retries=False,
            maxsize=1,
            server_hostname=host,
            assert_hostname=host,
            cert_reqs="CERT_REQUIRED",
        )
    else:
        pool = urllib3.HTTPConnectionPool(address, port, timeout=timeout, retries=False, maxsize=1)
    try:
        return pool.urlopen(
            "GET",
            path,
            headers={"Host": host_header, "User-Agent": USER_AGENT, "Accept": "*/*"},
            redirect=False,
            retries=False,
            preload_content=False,
            assert_same_host=False,
        )
    except urllib3.exceptions.NewConnectionError as error:  # a TimeoutError subclass, but refused
        raise FetchRefused("The site could not be reached.") from error
    except urllib3.exceptions.TimeoutError as error:
        raise FetchRefused(_too_slow_message()) from error
    except urllib3.exceptions.SSLError as error:
        raise FetchRefused("The site's secure connection could not be verified.") from error
    except urllib3.exceptions.HTTPError as error:
        raise FetchRefused("The site could not be reached.") from error


def _read_capped(response: urllib3.BaseHTTPResponse, max_bytes: int, deadline: float) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchRefused(_too_big_message(max_bytes))
    chunks: list[bytes] = []
    size = 0
    try:
        while True:
            if time.monotonic() > deadline:
                raise FetchRefused(_too_slow_message())
            chunk = response.read1(_CHUNK)
            if not chunk:
                break
            size += len(chunk)
            if size > max_bytes:
                raise FetchRefused(_too_big_message(max_bytes))
            chunks.append(chunk)
    except urllib3.exceptions.TimeoutError as error:
        raise FetchRefused(_too_slow_message()) from error
    except urllib3.exceptions.HTTPError as error:
        raise FetchRefused("The site stopped answering halfway.") from error
    return b"".join(chunks)


def _content_type(header: str) -> tuple[str, str | None]:
    media_type, _, parameters = header.partition(";")
    charset = None
    for parameter in parameters.split(";"):
        name, _, value = parameter.strip().partition("=")
        if name.lower() == "charset" and value:
            charset = value.strip("\"' ")
    return media_type.strip().lower(), charset


def _bracketed(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _too_slow_message() -> str:
    return f"The site took longer than {TOTAL_SECONDS:g} seconds to answer."


def _too_big_message(max_bytes: int) -> str:
    return f"The site's answer is larger than {max_bytes // (1024 * 1024)} MB."


def _not_accepted_message(accept: Collection[str]) -> str:
    if "text/html" in accept:
        return "This address is not a web page."
    return "This address is not a JPEG, PNG or WebP photo."
