from django.urls import path

from importer import views

app_name = "importer"

urlpatterns = [
    path("", views.import_recipe, name="import"),
]
