"""Who the client is, for every rate limit and lockout: the one place that reads an address.

A header such as ``X-Forwarded-For``, ``X-Real-IP`` or ``Forwarded`` is written by whoever sends
the request, so it can only be believed for the part a proxy the deployment trusts appended.
``DJANGO_TRUSTED_PROXY_COUNT`` (``settings.TRUSTED_PROXY_COUNT``) says how many such proxies
stand in front of the application:

- 0 (the default): the TCP peer, ``REMOTE_ADDR``; every client-controlled header is ignored.
- N: the Nth address from the right of ``X-Forwarded-For``, the one the outermost trusted proxy
  appended. Whatever a client wrote there itself is further left and never read. With fewer
  entries than N, or an entry that is not an IP address, the request did not come through the
  proxies as configured, and ``REMOTE_ADDR`` is used instead.

django-axes reads it through ``AXES_CLIENT_IP_CALLABLE``, the DRF throttles through their
``get_ident`` (``config/throttles.py``).
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's address as this deployment can vouch for it (see the module docstring)."""
    remote_addr = str(request.META.get("REMOTE_ADDR", ""))
    trusted_proxies: int = settings.TRUSTED_PROXY_COUNT
    if trusted_proxies <= 0:
        return remote_addr
    forwarded_for = [
        entry.strip() for entry in request.headers.get("X-Forwarded-For", "").split(",")
    ]
    if len(forwarded_for) < trusted_proxies:
        return remote_addr
    try:
        return str(ipaddress.ip_address(forwarded_for[-trusted_proxies]))
    except ValueError:
        return remote_addr
