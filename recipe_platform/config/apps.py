"""The project's own app configs: wiring that belongs to no domain app, done once at start-up."""

from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class ProjectConfig(AppConfig):
    name = "config"
    verbose_name = "Project configuration"

    def ready(self) -> None:
        from config import integer_lookups, planner_statistics, task_admin

        integer_lookups.register()
        planner_statistics.connect()
        # After the admin's autodiscovery, which runs first ("config.apps.RecipeAdminConfig"
        # leads INSTALLED_APPS): django_tasks_db has registered its own admin class by then.
        task_admin.register()


class RecipeAdminConfig(AdminConfig):
    """``django.contrib.admin`` with the project's site, ``config.admin.RecipeAdminSite``.

    Listed in ``INSTALLED_APPS`` instead of ``django.contrib.admin``. The site lives in its own
    module because app configs are imported before any model, and the site's forms import models.
    """

    default_site = "config.admin.RecipeAdminSite"
