from django.urls import path

from versions import views

app_name = "versions"

# Under /recipes/<slug>/history/ (config/urls.py).
urlpatterns = [
    path("", views.HistoryView.as_view(), name="history"),
    path("compare/", views.CompareView.as_view(), name="compare"),
    path("<int:version_id>/restore/", views.RestoreView.as_view(), name="restore"),
]
