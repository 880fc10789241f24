from django.apps import AppConfig


class RecipesConfig(AppConfig):
    name = "recipes"
    verbose_name = "Recipes"

    def ready(self) -> None:
        from recipes import page_cache

        page_cache.connect_invalidation()
