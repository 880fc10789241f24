from django.apps import AppConfig


class DiagramAppConfig(AppConfig):
    name = "tests.diagram_app"
    label = "library"
    default_auto_field = "django.db.models.BigAutoField"
