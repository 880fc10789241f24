"""The project's URLconf plus the uploaded photos, for the live server of the browser tests.

``config.urls`` serves media only with DEBUG (production leaves it to another server); a
browser test must see the thumbnails load, so it serves each test's temporary MEDIA_ROOT.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import re_path
from django.views.static import serve

from config.urls import urlpatterns as project_urlpatterns


@login_not_required
def media(request: HttpRequest, path: str) -> HttpResponseBase:
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [*project_urlpatterns, re_path(r"^media/(?P<path>.*)$", media)]
