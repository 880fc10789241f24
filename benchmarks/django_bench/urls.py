"""The project's URLconf with one extra route: the bare view every ratio is measured against."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.urls import include, path


@login_not_required
def hello(request: HttpRequest) -> JsonResponse:
    """What a Django view costs with no database and no template: the 1.0 of every ratio."""
    return JsonResponse({"message": "Hello, World!"})


urlpatterns = [
    path("bench/hello", hello),
    path("", include("config.urls")),
]
