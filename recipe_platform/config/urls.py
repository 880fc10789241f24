"""URLconf of the recipe_platform project."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from django.views.static import serve

from config.health import healthz

# The 500 page carries the response's CSP nonce for its inline style (config/error_pages.py).
handler500 = "config.error_pages.server_error"

urlpatterns = [
    path("", login_not_required(RedirectView.as_view(pattern_name="recipes:list")), name="home"),
    path("recipes/", include("recipes.urls")),
    path("recipes/<slug:slug>/history/", include("versions.urls")),
    path("accounts/", include("accounts.urls")),
    path("community/", include("community.urls")),
    path("import/", include("importer.urls")),
    path("shopping/", include("shopping.urls")),
    path("gallery/", include("gallery.urls")),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

# Photos served by Django itself: on a developer's machine (DEBUG), or a one-machine demo that
# asks for it (DJANGO_SERVE_MEDIA). A real deployment serves them from another domain or the
# object store (MEDIA_URL is then a full address, and nothing is added here).
if (settings.DEBUG or settings.SERVE_MEDIA) and not urlsplit(settings.MEDIA_URL).netloc:
    # django.conf.urls.static.static() would do, but LoginRequiredMiddleware must let photos out.
    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns += [
        re_path(
            rf"^{media_prefix}(?P<path>.*)$",
            login_not_required(serve),
            {"document_root": settings.MEDIA_ROOT},
        ),
    ]
