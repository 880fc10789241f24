from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = "Ratings, comments and favourites"

    def ready(self) -> None:
        from community import receivers

        receivers.connect()
