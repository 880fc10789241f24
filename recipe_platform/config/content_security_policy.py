"""django-csp's middleware, with the photos' origin added to ``img-src`` when it is not ours.

The policy itself is ``CONTENT_SECURITY_POLICY`` in ``config/settings/base.py``. Photos are the
one thing a page loads from elsewhere: Django's security guide asks for user uploads to be
served from a domain of their own (``DJANGO_MEDIA_URL=https://media.example.com/``), and with
object storage they come from the bucket's host or its custom domain. Where exactly depends on
the storage backend (django-storages asks botocore, which picks virtual-hosted or path-style
addresses, regional hosts, ...), so rather than guess it from the settings, the origin is read
from a URL the storage itself makes: whatever the pages link, ``img-src`` allows, and nothing
else. It is computed once per process (a URL for a name that need not exist; no network call
beyond what signing a photo URL needs anyway) and again when a test changes the storage.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from django.core.files.storage import default_storage
from django.core.signals import setting_changed
from django.dispatch import receiver

if TYPE_CHECKING:
    from csp.middleware import PolicyParts
    from django.http import HttpRequest, HttpResponseBase

PROBE_NAME = "recipes/probe.webp"


@cache
def media_origin() -> str | None:
    """The origin photos are served from, as a CSP source; None when it is this site's own."""
    address = urlsplit(default_storage.url(PROBE_NAME))
    if not address.netloc:
        return None
    # A scheme-relative MEDIA_URL (//media.example.com/) gives a host source, which CSP matches
    # with the page's own scheme.
    return f"{address.scheme}://{address.netloc}" if address.scheme else address.netloc


@receiver(setting_changed)
def _forget_media_origin(*, setting: str, **kwargs: Any) -> None:
    if setting in {"STORAGES", "MEDIA_URL"}:
        media_origin.cache_clear()


class CSPMiddleware(BaseCSPMiddleware):
    """Adds :func:`media_origin` to the policy's ``img-src`` (django-csp's documented hook)."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if origin := media_origin():
            update = dict(parts.update or {})
            update["img-src"] = [*update.get("img-src", ()), origin]
            parts.update = update
        return parts
