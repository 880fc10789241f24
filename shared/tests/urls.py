from django.http import HttpRequest, HttpResponse
from django.urls import path
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response


def whoami(request: HttpRequest) -> HttpResponse:
    return HttpResponse(request.user.get_username())


@api_view(["GET"])
def api_whoami(request: Request) -> Response:
    return Response({"username": request.user.get_username()})


urlpatterns = [path("whoami/", whoami), path("api/whoami/", api_whoami)]
