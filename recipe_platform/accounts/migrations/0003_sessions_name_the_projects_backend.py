"""Sessions name the backend that logged their user in: Django's becomes the project's.

``config.auth.ModelBackend`` replaced Django's ``ModelBackend`` in ``AUTHENTICATION_BACKENDS``
(the same rules; the user is read without composing a query on each request). Django loads a
session's user only through a backend still listed there, so every session from before the
change would be logged out by the upgrade; this renames the backend in each live session
instead. Expired and unreadable sessions are left alone: they log nobody in either way.
"""

from collections.abc import Callable
from typing import Any

from django.db import migrations
from django.utils import timezone

BACKEND_SESSION_KEY = "_auth_user_backend"
DJANGO_BACKEND = "django.contrib.auth.backends.ModelBackend"
PROJECT_BACKEND = "config.auth.ModelBackend"


def renaming(old: str, new: str) -> Callable[[Any, Any], None]:
    """A ``RunPython`` function that makes the sessions naming ``old`` name ``new``."""

    def rename(apps: Any, schema_editor: Any) -> None:
        # The database store's signed encoding (its salt is its class name, as config.sessions').
        from django.contrib.sessions.backends.db import SessionStore

        session_model = apps.get_model("sessions", "Session")
        live = session_model.objects.using(schema_editor.connection.alias).filter(
            expire_date__gt=timezone.now()
        )
        codec = SessionStore()
        for key, data in live.values_list("session_key", "session_data").iterator():
            session = codec.decode(data)
            if session.get(BACKEND_SESSION_KEY) == old:
                session[BACKEND_SESSION_KEY] = new
                live.filter(session_key=key).update(session_data=codec.encode(session))

    return rename


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_create_cache_table"),
        ("sessions", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(
            renaming(DJANGO_BACKEND, PROJECT_BACKEND),
            renaming(PROJECT_BACKEND, DJANGO_BACKEND),
        ),
    ]
