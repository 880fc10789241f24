"""The Content-Security-Policy header on every HTML page: the site's, the admin's, error pages.

The expected policy is written out here, directive by directive, as the README states it; it is
never read back from the settings. django-csp writes the directives in no fixed order, so the
header is compared as a mapping of directive to sources.
"""

from __future__ import annotations

import re
from pathlib import Path
from unittest import mock

import pytest
from django.test import Client
from pytest_django.asserts import assertContains

from recipes.views import RecipeListView
from tests.factories import RecipeFactory

pytestmark = pytest.mark.django_db

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def _policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return dict(directive.split(" ", 1) for directive in header.split("; "))


def _nonce(response) -> str:
    match = re.fullmatch(r"'self' 'nonce-([A-Za-z0-9+/=]+)'", _policy(response)["script-src"])
    assert match, _policy(response)["script-src"]
    return match.group(1)


def test_an_html_page_gets_exactly_the_documented_policy(client):
    RecipeFactory.create(photo=True)

    response = client.get("/recipes/")

    assert _policy(response) == POLICY


@pytest.mark.parametrize(
    "path",
    [
        "/recipes/",
        "/recipes/new/",
        "/recipes/mine/",
        "/admin/",
        "/admin/recipes/recipe/",
        "/admin/recipes/recipe/add/",
        "/admin/password_change/",
        "/recipes/no-such-recipe/",
    ],
)
def test_every_kind_of_page_gets_the_policy(superuser_client, path):
    RecipeFactory.create(photo=True)

    response = superuser_client.get(path)

    assert response.status_code in {200, 404}
    assert _policy(response) == POLICY


def test_the_recipe_page_allows_its_json_ld_by_a_fresh_nonce(client):
    recipe = RecipeFactory.create()

    first = client.get(recipe.get_absolute_url())
    second = client.get(recipe.get_absolute_url())

    nonce = _nonce(first)
    assert _policy(first)["style-src"] == f"'self' 'nonce-{nonce}'"
    assert {**_policy(first), "script-src": "'self'", "style-src": "'self'"} == POLICY
    assertContains(first, f'<script type="application/ld+json" nonce="{nonce}">')
    assert _nonce(first) != _nonce(second)


def test_the_500_page_styles_itself_with_the_responses_nonce():
    client = Client(raise_request_exception=False)

    with mock.patch.object(RecipeListView, "get", side_effect=RuntimeError("broken")):
        response = client.get("/recipes/")

    assert response.status_code == 500
    nonce = _nonce(response)
    assertContains(response, f'<style nonce="{nonce}">', status_code=500)
    assert _policy(response)["style-src"] == f"'self' 'nonce-{nonce}'"
    assert {**_policy(response), "script-src": "'self'", "style-src": "'self'"} == POLICY


def test_the_lockout_and_csrf_pages_get_the_policy(user):
    for _ in range(5):
        locked_out = Client().post(
            "/accounts/login/", {"username": user.username, "password": "wrong"}
        )
    csrf_failure = Client(enforce_csrf_checks=True).post("/accounts/login/", {})

    assert (locked_out.status_code, csrf_failure.status_code) == (429, 403)
    assert _policy(locked_out) == POLICY
    assert _policy(csrf_failure) == POLICY


@pytest.mark.parametrize(
    ("media_url", "source"),
    [
        ("https://media.example.org/", "https://media.example.org"),
        ("https://cdn.example.net:8443/photos/", "https://cdn.example.net:8443"),
        ("//media.example.org/", "media.example.org"),
    ],
)
def test_photos_on_another_domain_are_allowed_and_nothing_else(client, settings, media_url, source):
    settings.MEDIA_URL = media_url
    recipe = RecipeFactory.create(photo=True)

    response = client.get(recipe.get_absolute_url())

    assert _policy(response)["img-src"] == f"'self' data: {source}"
    assertContains(response, f'src="{media_url}recipes/')


def test_photos_on_this_site_need_no_other_source(client, settings):
    settings.MEDIA_URL = "/media/"

    assert _policy(client.get("/recipes/"))["img-src"] == "'self' data:"


# --- What the policy forbids is not in the templates -----------------------------------------


def _templates() -> list[Path]:
    return sorted(TEMPLATES.rglob("*.html"))


@pytest.mark.parametrize("template", _templates(), ids=lambda path: path.name)
def test_no_template_has_an_inline_style_attribute_or_event_handler(template):
    markup = template.read_text()

    assert not re.search(r"\sstyle=", markup)
    assert not re.search(r"\son[a-z]+=", markup)


@pytest.mark.parametrize("template", _templates(), ids=lambda path: path.name)
def test_every_inline_script_or_style_in_the_templates_carries_the_nonce(template):
    for tag in re.findall(r"<(?:script|style)\b[^>]*>", template.read_text()):
        assert "src=" in tag or "nonce=" in tag, tag
