from django.urls import path

from attachments import views

app_name = "attachments"

urlpatterns = [
    path("attachments/<int:pk>/", views.download, name="download"),
    path("attachments/<int:pk>/preview/", views.thumbnail, name="thumbnail"),
]
