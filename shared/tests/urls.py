"""Views for the shared package's tests: who is logged in, and pages that crash on hostile input.

``fragile`` views are written the way the walker must catch: an unchecked ``int()`` on a query
value, a path integer passed to a database lookup, a form field parsed without validation.
``HOSTILE_ROUTES`` lets a test mount them only when it wants them.
"""

from urllib.parse import parse_qsl, urlsplit

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.urls import path
from rest_framework.decorators import api_view
from rest_framework.renderers import TemplateHTMLRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


def whoami(request: HttpRequest) -> HttpResponse:
    return HttpResponse(request.user.get_username())


@api_view(["GET"])
def api_whoami(request: Request) -> Response:
    return Response({"username": request.user.get_username()})


def search_page(request: HttpRequest) -> HttpResponse:
    """A page with a GET filter form whose field it reads without validation."""
    limit = int(request.GET.get("limit", "10"))
    return HttpResponse(
        f'<form method="get"><input name="limit" value="{limit}"></form>',
        content_type="text/html",
    )


def order_form(request: HttpRequest) -> HttpResponse:
    """A page with a POST form whose quantity it parses without validation."""
    if request.method == "POST":
        return HttpResponse(str(int(request.POST["quantity"]) * 2))
    return HttpResponse(
        '<form method="post"><input name="quantity"><input type="submit"></form>',
        content_type="text/html",
    )


def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A database lookup of a path integer (Django turns 2**64 into "no such row")."""
    exists = get_user_model().objects.filter(pk=pk).exists()
    return HttpResponse(status=200 if exists else 404)


def unlisted_name(request: HttpRequest) -> HttpResponse:
    """Reads a query name that no form shows and no list of names carries."""
    return HttpResponse(str(int(request.GET.get("offset", "0"))))


def full_path_echo(request: HttpRequest) -> HttpResponse:
    """Reads its page number back out of the full path, never through ``request.GET``."""
    query = dict(parse_qsl(urlsplit(request.get_full_path()).query))
    return HttpResponse(str(int(query.get("page", "1"))))


def forwarded_for(request: HttpRequest) -> HttpResponse:
    """Trusts a header a client controls."""
    hops = int(request.headers.get("X-Forwarded-For", "0"))
    return HttpResponse(str(hops))


class HtmlOnlyPage(APIView):  # type: ignore[misc] # DRF has no type stubs here
    """A DRF page with an HTML template as its only renderer (as drf-spectacular's Swagger UI):
    DRF answers OPTIONS with metadata for that renderer, which has no template to render it."""

    renderer_classes = [TemplateHTMLRenderer]

    def get(self, request: Request) -> HttpResponse:
        return HttpResponse("<p>The API's documentation.</p>")


urlpatterns = [
    path("whoami/", whoami, name="whoami"),
    path("api/whoami/", api_whoami, name="api-whoami"),
    path("users/<int:pk>/", user_detail, name="user-detail"),
    path("admin/", admin.site.urls),
]

HOSTILE_ROUTES = [
    path("search/", search_page, name="search"),
    path("order/", order_form, name="order"),
    path("hops/", forwarded_for, name="hops"),
    path("offset/", unlisted_name, name="offset"),
    path("echo/", full_path_echo, name="echo"),
    path("html-only/", HtmlOnlyPage.as_view(), name="html-only"),
]
