"""The address a lockout counts: one rule, set by the deployment, never by the client.

``X-Forwarded-For``, ``X-Real-IP`` and ``Forwarded`` are ordinary request headers: a client can
send any of them with any value. Trusting one of them by default would let an attacker pick a
new address for every guess and never be locked out. So with ``DJANGO_TRUSTED_PROXY_COUNT=0``
(the default: clients connect straight to gunicorn) the address is the TCP peer, ``REMOTE_ADDR``,
and every such header is ignored.

Behind N proxies that each append the address they received the request from to
``X-Forwarded-For``, the Nth entry from the right is the one the outermost trusted proxy wrote:
everything left of it came from the client and may be forged. With fewer entries than that, or
an entry that is not an IP address, the header cannot be trusted and ``REMOTE_ADDR`` is used.

django-axes reads it through ``AXES_CLIENT_IP_CALLABLE``.
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's address as the deployment's ``TRUSTED_PROXY_COUNT`` proxies report it."""
    remote_addr: str = request.META.get("REMOTE_ADDR", "")
    proxies: int = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote_addr
    forwarded_for = request.headers.get("x-forwarded-for", "")
    entries = [entry.strip() for entry in forwarded_for.split(",")] if forwarded_for else []
    if len(entries) < proxies:
        return remote_addr
    candidate = entries[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote_addr
