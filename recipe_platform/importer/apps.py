from django.apps import AppConfig


class ImporterConfig(AppConfig):
    name = "importer"
    verbose_name = "Import from a URL"

    def ready(self) -> None:
        from importer import checks  # noqa: F401 - registers the deployment check
