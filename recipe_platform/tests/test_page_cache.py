"""The recipe list is cached for anonymous visitors, and every change to what it shows is seen."""

import os
import time

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory
from pytest_django.asserts import assertContains, assertNotContains

from config.content_security_policy import CSPMiddleware
from recipes import page_cache, services
from recipes.models import Recipe
from tests.factories import RecipeFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/recipes/"


def _cached_page(client, url=LIST_URL, **params):
    """Fill the cache with the page, then return it as the cache serves it (no query)."""
    client.get(url, params)
    return client.get(url, params)


def test_an_anonymous_visitor_gets_the_page_from_the_cache_without_a_query(
    client, django_assert_num_queries
):
    RecipeFactory.create(title="Borscht")
    first = client.get(LIST_URL)

    with django_assert_num_queries(0):
        second = client.get(LIST_URL)

    assert second.content == first.content
    assertContains(second, "Borscht")


def test_each_category_and_page_is_cached_separately(client, categories):
    RecipeFactory.create(title="Pea soup", categories=[categories["soup"]])
    RecipeFactory.create(title="Brownies", categories=[categories["dessert"]])
    client.get(LIST_URL)

    response = _cached_page(client, category="dessert")

    assertContains(response, "Brownies")
    assertNotContains(response, "Pea soup")


@pytest.mark.parametrize("params", [{"q": "soup"}, {"utm_source": "mail"}])
def test_searches_and_unknown_parameters_are_never_cached(
    client, django_assert_num_queries, params
):
    RecipeFactory.create(title="Pea soup")
    client.get(LIST_URL, params)

    # Rendered again: categories, the page with authors, their categories (one page, no count),
    # and for a search first the count of its matches that picks its plan (recipes.search).
    with django_assert_num_queries(3 + ("q" in params)):
        client.get(LIST_URL, params)


JUNK_QUERIES = [
    {"category": "pizza"},  # no such category: 404
    {"category": "Soup"},  # slugs are lower case: 404
    {"category": ""},
    {"category": ["soup", "salad"]},
    {"category": ["soup", "soup"]},
    {"page": "999"},  # past the end: 404
    {"page": "0"},
    {"page": "01"},
    {"page": "001"},
    {"page": "+1"},
    {"page": " 1"},
    {"page": "1 "},
    {"page": "\u0661"},  # ARABIC-INDIC DIGIT ONE, which int() reads as 1
    {"page": "1_0"},
    {"page": "last"},
    {"page": ["1", "1"]},
    {"page": str(2**64)},
    {"q": "soup"},
    {"utm_source": "mail"},
]


@pytest.fixture
def stored_pages(monkeypatch):
    """The keys of every page the cache stores from now on (whatever the cache backend)."""
    keys = []
    real_set = cache.set

    def recording_set(key, *args, **kwargs):
        if key.startswith("recipes:anonymous-page:"):
            keys.append(key)
        return real_set(key, *args, **kwargs)

    monkeypatch.setattr(cache, "set", recording_set)
    return keys


def test_a_flood_of_made_up_parameters_adds_no_cache_entries(client, categories, stored_pages):
    RecipeFactory.create_batch(13, categories=[categories["soup"]])

    for round_number in range(3):
        for query in JUNK_QUERIES:
            client.get(LIST_URL, query)
        client.get(LIST_URL, {"category": f"made-up-{round_number}"})
        client.get(LIST_URL, {"page": "0" * (round_number + 1) + "2"})

    assert stored_pages == []


def test_the_pages_the_site_links_are_stored_once_each(client, categories, stored_pages):
    RecipeFactory.create_batch(13, categories=[categories["soup"]])
    addresses = [
        "/recipes/",
        "/recipes/?page=2",
        "/recipes/?category=soup",
        "/recipes/?category=soup&page=2",
        "/recipes/?page=2&category=soup",  # the same page, the other way round
    ]

    for _ in range(2):
        for address in addresses:
            assert client.get(address).status_code == 200

    assert len(stored_pages) == len(set(stored_pages)) == 4


@pytest.mark.parametrize("query", JUNK_QUERIES, ids=lambda query: repr(query)[:40])
def test_a_made_up_address_is_served_fresh_every_time(client, categories, query):
    RecipeFactory.create(categories=[categories["soup"]])

    first = client.get(LIST_URL, query)
    second = client.get(LIST_URL, query)

    assert second.status_code == first.status_code
    assert "Cookie" in second.get("Vary", "Cookie")


def test_a_page_that_used_the_csp_nonce_is_not_stored(stored_pages):
    @page_cache.cache_for_anonymous
    def view_with_an_inline_script(request):
        return HttpResponse(f'<script nonce="{request.csp_nonce}"></script>')

    request = RequestFactory().get(LIST_URL)
    request.user = AnonymousUser()
    CSPMiddleware(lambda request: HttpResponse()).process_request(request)
    view_with_an_inline_script(request)

    assert stored_pages == []


def test_cached_and_fresh_pages_vary_on_the_cookie(client):
    RecipeFactory.create()

    fresh = client.get(LIST_URL)
    cached = client.get(LIST_URL)

    assert "Cookie" in fresh["Vary"]
    assert "Cookie" in cached["Vary"]
    assert "csrftoken" not in cached.cookies


def test_a_logged_in_visitor_never_gets_the_anonymous_page(client, user_client, user):
    RecipeFactory.create()
    _cached_page(client)

    response = user_client.get(LIST_URL)

    assertContains(response, f"({user.username})")
    assertContains(response, "csrfmiddlewaretoken")


def test_a_logged_in_visitors_page_is_never_cached_for_anyone(client, user_client, user):
    RecipeFactory.create()
    user_client.get(LIST_URL)
    user_client.get(LIST_URL)

    response = client.get(LIST_URL)

    assertNotContains(response, user.username)
    assertNotContains(response, "csrfmiddlewaretoken")
    assertContains(response, "Log in")


def test_a_visitor_with_a_pending_message_gets_a_fresh_page_that_is_not_cached(client, user_client):
    RecipeFactory.create()
    _cached_page(client)

    after_logout = user_client.post("/accounts/logout/", follow=True)
    assertContains(after_logout, "You are logged out.")

    assertNotContains(client.get(LIST_URL), "You are logged out.")


def test_a_page_that_sets_the_csrf_cookie_is_not_cached():
    calls = []

    @page_cache.cache_for_anonymous
    def view_with_a_form(request):
        calls.append(request)
        return HttpResponse(get_token(request))

    for _ in range(2):
        request = RequestFactory().get(LIST_URL)
        request.user = AnonymousUser()
        view_with_a_form(request)

    assert len(calls) == 2


def test_an_error_page_is_not_cached(client, django_assert_num_queries):
    client.get(LIST_URL, {"page": 9})

    with django_assert_num_queries(2):  # categories, the count
        assert client.get(LIST_URL, {"page": 9}).status_code == 404


def test_a_page_is_rendered_again_when_its_generation_was_evicted(client):
    RecipeFactory.create(title="Borscht")
    client.get(LIST_URL)
    cache.delete(page_cache.GENERATION_KEY)

    assertContains(_cached_page(client), "Borscht")


@pytest.mark.skipif(bool(os.environ.get("REDIS_URL")), reason="Redis expires keys on its clock")
def test_a_cached_page_expires(client, monkeypatch, django_assert_num_queries):
    RecipeFactory.create()
    client.get(LIST_URL)
    later = time.time() + page_cache.PAGE_TIMEOUT + 1
    monkeypatch.setattr(time, "time", lambda: later)

    with django_assert_num_queries(3):  # rendered again
        client.get(LIST_URL)


# --- Every change the page shows makes the cached pages stale ----------------------------------


def test_a_new_recipe_appears_at_once(client):
    _cached_page(client)

    RecipeFactory.create(title="Borscht")

    assertContains(client.get(LIST_URL), "Borscht")


def test_an_edited_recipe_changes_at_once(client, categories):
    recipe = RecipeFactory.create(title="Borscht")
    _cached_page(client)

    recipe.title = "Red borscht"
    services.save_recipe(recipe=recipe, categories=[categories["soup"]])

    response = client.get(LIST_URL)
    assertContains(response, "Red borscht")
    assertContains(response, 'href="/recipes/?category=soup"')


def test_a_deleted_recipe_disappears_at_once(client):
    recipe = RecipeFactory.create(title="Borscht")
    _cached_page(client)

    services.delete_recipe(recipe=recipe)

    assertNotContains(client.get(LIST_URL), "Borscht")


def test_a_renamed_category_changes_at_once(client, categories):
    RecipeFactory.create(categories=[categories["soup"]])
    _cached_page(client)

    soup = categories["soup"]
    soup.name = "Soups and stews"
    soup.save()

    assertContains(client.get(LIST_URL), "Soups and stews")


def test_a_recipe_taken_off_a_category_changes_at_once(client, categories):
    recipe = RecipeFactory.create(categories=[categories["soup"]])
    _cached_page(client, category="soup")

    recipe.categories.clear()

    assertContains(client.get(LIST_URL, {"category": "soup"}), "No recipes")


def test_a_renamed_author_changes_at_once(client):
    recipe = RecipeFactory.create()
    _cached_page(client)

    recipe.author.username = "chef-renamed"
    recipe.author.save(update_fields=["username"])

    assertContains(client.get(LIST_URL), "chef-renamed")


def test_an_author_logging_in_leaves_the_cache_alone(client, user):
    RecipeFactory.create(author=user)
    client.get(LIST_URL)
    generation = cache.get(page_cache.GENERATION_KEY)

    client.force_login(user)  # saves last_login only

    assert cache.get(page_cache.GENERATION_KEY) == generation


def test_bulk_writes_change_the_page_at_once(client):
    recipe = RecipeFactory.create(title="Borscht")
    _cached_page(client)

    Recipe.objects.filter(pk=recipe.pk).update(title="Beet soup")
    assertContains(client.get(LIST_URL), "Beet soup")

    recipe.title = "Cold beet soup"
    Recipe.objects.bulk_update([recipe], ["title"])
    assertContains(client.get(LIST_URL), "Cold beet soup")

    Recipe.objects.bulk_create([RecipeFactory.build(author=recipe.author, title="Okroshka")])
    assertContains(client.get(LIST_URL), "Okroshka")


def test_a_change_invalidates_again_when_its_transaction_commits(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        RecipeFactory.create()
    before_commit = cache.get(page_cache.GENERATION_KEY)

    for callback in callbacks:
        callback()

    assert cache.get(page_cache.GENERATION_KEY) != before_commit
