from django.apps import AppConfig
from django.db.models.signals import pre_delete


class GalleryConfig(AppConfig):
    name = "gallery"
    verbose_name = "Photo galleries"

    def ready(self) -> None:
        from gallery import files
        from recipes import cleanup
        from recipes.models import Recipe

        cleanup.register_file_references(files.named_by_photos)
        pre_delete.connect(
            files.release_deleted_recipe_photos,
            sender=Recipe,
            dispatch_uid="gallery.release_deleted_recipe_photos",
        )
