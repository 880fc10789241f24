from django.apps import AppConfig
from django.db.models.signals import post_delete, pre_delete


class RecipesConfig(AppConfig):
    name = "recipes"
    verbose_name = "Recipes"

    def ready(self) -> None:
        from recipes import cleanup, history, page_cache
        from recipes.models import Recipe

        page_cache.connect_invalidation()
        history.register()
        pre_delete.connect(
            history.release_deleted_recipe_versions,
            sender=Recipe,
            dispatch_uid="recipes.release_deleted_recipe_versions",
        )
        post_delete.connect(
            cleanup.release_deleted_recipe_files,
            sender=Recipe,
            dispatch_uid="recipes.release_deleted_recipe_files",
        )
