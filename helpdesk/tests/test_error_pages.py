import pytest
from django.template.loader import get_template
from django.test import Client
from django.urls import path

pytestmark = pytest.mark.django_db


def _boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", _boom)]


def test_404_page_is_friendly_and_styled(user_client):
    response = user_client.get("/no-such-page/")

    assert response.status_code == 404
    assert b"We couldn't find that" in response.content
    assert b"/static/css/site.css" in response.content


def test_500_page_renders_without_any_context():
    html = get_template("500.html").render()

    assert "Something went wrong on our side" in html


def test_unhandled_error_shows_the_friendly_500(settings, staff_user):
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)
    client.force_login(staff_user)

    response = client.get("/boom/")

    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.content


def test_static_css_is_served_locally(client):
    response = client.get("/static/css/site.css")

    assert response.status_code == 200
    assert b"badge-urgent" in b"".join(response.streaming_content)
