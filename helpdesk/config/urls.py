"""URLconf of the helpdesk project."""

from django.contrib import admin
from django.urls import include, path

from config.health import healthz

# A database error raised before any view (reading the session) answers 503, not 500.
handler500 = "config.middleware.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("", include("attachments.urls")),
    path("inbound/", include("inbound.urls")),
    path("canned/", include("canned.urls")),
    path("reports/", include("reports.urls")),
    path("rate/", include("satisfaction.urls")),
    path("", include("tickets.urls")),
]
