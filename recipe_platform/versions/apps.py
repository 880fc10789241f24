from django.apps import AppConfig


class VersionsConfig(AppConfig):
    """A recipe's version history: its pages, the diff and the restore (``recipes.history``
    records the versions)."""

    name = "versions"
    verbose_name = "Version history"
