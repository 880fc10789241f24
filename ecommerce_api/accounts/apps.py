from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        """Let DRF's generic classes take type parameters (``ModelSerializer[Order]``), as
        djangorestframework-stubs declares them.

        Done here, not next to Django's own patch in the settings, because DRF reads the
        settings when it is imported. This app is the project's first, so its ``ready()`` runs
        before the URLconf imports any serializer or view.
        """
        import django_stubs_ext
        from rest_framework import fields, generics, serializers, viewsets

        django_stubs_ext.monkeypatch(
            extra_classes=[
                fields.Field,
                serializers.BaseSerializer,
                serializers.Serializer,
                serializers.ModelSerializer,
                serializers.ListSerializer,
                generics.GenericAPIView,
                viewsets.GenericViewSet,
                viewsets.ReadOnlyModelViewSet,
            ]
        )
