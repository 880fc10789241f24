"""Upkeep of what logging in leaves behind."""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.utils import timezone


def clear_expired_sessions() -> dict[str, int]:
    """Delete the sessions past their expiry date; returns how many rows went.

    Sessions live in the database (Django's default engine): each login adds a row that nothing
    else ever deletes, and an expired one is refused anyway. This is ``manage.py clearsessions``
    with a count to report. Other engines expire sessions themselves (the cache) or store none
    (signed cookies): their ``clear_expired`` is run as it is.
    """
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if not issubclass(store, DatabaseSessionStore):
        store.clear_expired()
        return {"deleted": 0}
    deleted, _ = store.get_model_class().objects.filter(expire_date__lt=timezone.now()).delete()
    return {"deleted": deleted}
