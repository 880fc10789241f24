"""The project's URLconf plus the uploaded photos, for the live server of the browser tests.

``config.urls`` serves media only with DEBUG (production leaves it to another server); a
browser test must see the thumbnails load, so it serves each test's temporary MEDIA_ROOT. And
one page that fails, so a browser can show that the 500 page works under the CSP.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import path, re_path
from django.views.static import serve

from config.urls import handler500
from config.urls import urlpatterns as project_urlpatterns


@login_not_required
def media(request: HttpRequest, name: str) -> HttpResponseBase:
    return serve(request, name, document_root=settings.MEDIA_ROOT)


@login_not_required
def failing_page(request: HttpRequest) -> HttpResponseBase:
    raise RuntimeError("a deliberate failure for the 500 page's browser test")


urlpatterns = [
    *project_urlpatterns,
    re_path(r"^media/(?P<name>.*)$", media),
    path("failing-page/", failing_page),
]
__all__ = ["handler500", "urlpatterns"]
