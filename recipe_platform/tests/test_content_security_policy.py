"""The Content-Security-Policy header on every HTML page: the site's, the admin's, error pages.

The expected policy is the shared contract's, written out directive by directive as the README
states it (``shared.contract.csp.POLICY``), never read back from the settings; the contract
(``TestContentSecurityPolicy`` in tests/test_contract.py) also checks the login, admin, lockout
and CSRF failure pages and scans the templates. Here are this site's own pages and what its
policy adds: a fresh nonce for the recipe page's JSON-LD and the 500 page's style, and the
photos' domain.
"""

from __future__ import annotations

import re
from unittest import mock

import pytest
from django.test import Client
from pytest_django.asserts import assertContains
from shared.contract.csp import POLICY, policy_of

from recipes.views import RecipeListView
from tests.factories import RecipeFactory

pytestmark = pytest.mark.django_db


def _nonce(response) -> str:
    match = re.fullmatch(r"'self' 'nonce-([A-Za-z0-9+/=]+)'", policy_of(response)["script-src"])
    assert match, policy_of(response)["script-src"]
    return match.group(1)


@pytest.mark.parametrize(
    "path",
    [
        "/recipes/",
        "/recipes/new/",
        "/recipes/mine/",
        "/admin/recipes/recipe/",
        "/admin/recipes/recipe/add/",
        "/recipes/no-such-recipe/",
    ],
)
def test_every_kind_of_page_gets_the_policy(superuser_client, path):
    RecipeFactory.create(photo=True)

    response = superuser_client.get(path)

    assert response.status_code in {200, 404}
    assert policy_of(response) == POLICY


def test_the_recipe_page_allows_its_json_ld_by_a_fresh_nonce(client):
    recipe = RecipeFactory.create()

    first = client.get(recipe.get_absolute_url())
    second = client.get(recipe.get_absolute_url())

    nonce = _nonce(first)
    assert policy_of(first)["style-src"] == f"'self' 'nonce-{nonce}'"
    assert {**policy_of(first), "script-src": "'self'", "style-src": "'self'"} == POLICY
    assertContains(first, f'<script type="application/ld+json" nonce="{nonce}">')
    assert _nonce(first) != _nonce(second)


def test_the_500_page_styles_itself_with_the_responses_nonce():
    client = Client(raise_request_exception=False)

    with mock.patch.object(RecipeListView, "get", side_effect=RuntimeError("broken")):
        response = client.get("/recipes/")

    assert response.status_code == 500
    nonce = _nonce(response)
    assertContains(response, f'<style nonce="{nonce}">', status_code=500)
    assert policy_of(response)["style-src"] == f"'self' 'nonce-{nonce}'"
    assert {**policy_of(response), "script-src": "'self'", "style-src": "'self'"} == POLICY


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

    assert policy_of(response)["img-src"] == f"'self' data: {source}"
    assertContains(response, f'src="{media_url}recipes/')


def test_photos_on_this_site_need_no_other_source(client, settings):
    settings.MEDIA_URL = "/media/"

    assert policy_of(client.get("/recipes/"))["img-src"] == "'self' data:"
