"""django_tasks_db's task results in the admin, with the site's checked changelist.

django_tasks_db registers its own admin class, whose filters (status, priority, queue) passed a
NUL byte on to PostgreSQL, which refuses it in a query: a 500. It is registered again here on
top of ``config.admin.CheckedChangeListMixin``, once the admin has discovered every app's admin
module (``config.apps.ProjectConfig.ready``), as ``accounts.admin`` does for django-axes.
"""

from __future__ import annotations

from django.contrib import admin
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from config.admin import CheckedChangeListMixin


class CheckedDBTaskResultAdmin(CheckedChangeListMixin, DBTaskResultAdmin):
    """django_tasks_db's read-only list of task results, refusing impossible lookups."""


def register() -> None:
    admin.site.unregister(DBTaskResult)
    admin.site.register(DBTaskResult, CheckedDBTaskResultAdmin)
