from django.apps import AppConfig


class AttachmentsConfig(AppConfig):
    name = "attachments"
    verbose_name = "Attachments"

    def ready(self) -> None:
        # A ticket or comment deleted anywhere (the admin, a cascade) queues its files' deletion.
        from attachments import signals  # noqa: F401
