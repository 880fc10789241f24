"""The project's own app configs: wiring that belongs to no domain app, done once at start-up.

They live apart from ``config/admin.py`` because app configs are imported before any model, and
the admin site's forms import models.
"""

from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class ProjectConfig(AppConfig):
    name = "config"
    verbose_name = "Project configuration"

    def ready(self) -> None:
        from config import admin, integer_lookups, planner_statistics

        integer_lookups.register()
        planner_statistics.connect()
        admin.register_task_results()


class ShopAdminConfig(AdminConfig):
    """``django.contrib.admin`` with the project's site (``config.admin.ShopAdminSite``), listed
    in ``INSTALLED_APPS`` in its place, so ``admin.site`` and every ``@admin.register`` (third
    parties' included) use that site."""

    default_site = "config.admin.ShopAdminSite"
