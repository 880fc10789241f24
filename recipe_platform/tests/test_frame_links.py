"""The frame's links, reversed once per process (config/context_processors.py), stay true."""

import pytest
from django.test import Client
from django.urls import reverse, set_script_prefix

from config.context_processors import FRAME_LINKS, _frame_links

# Written out again here, so a link pointed at the wrong page fails (not only a stale one).
EXPECTED = {
    "recipes": "recipes:list",
    "top_rated": "community:top_rated",
    "my_recipes": "recipes:mine",
    "shopping_list": "shopping:list",
    "favourites": "community:favourites",
    "import": "importer:import",
    "admin": "admin:index",
    "logout": "logout",
    "share": "recipes:create",
    "login": "login",
    "signup": "signup",
}
A_COOKS_LINKS = ["recipes:mine", "shopping:list", "community:favourites", "importer:import"]


@pytest.mark.parametrize(("key", "name"), EXPECTED.items())
def test_each_frame_link_is_what_reverse_gives(key, name):
    assert _frame_links("/")[key] == reverse(name)


def test_the_frame_has_no_link_the_test_does_not_know():
    assert set(FRAME_LINKS) == set(EXPECTED)


def test_links_follow_the_script_prefix_of_a_site_served_under_a_path():
    set_script_prefix("/kitchen/")
    try:
        assert _frame_links("/kitchen/")["top_rated"] == reverse("community:top_rated")
        assert _frame_links("/kitchen/")["top_rated"].startswith("/kitchen/")
    finally:
        set_script_prefix("/")
    assert _frame_links("/")["top_rated"] == "/community/top-rated/"


@pytest.mark.django_db
def test_a_visitors_frame_links_the_lists_log_in_and_sign_up(client):
    html = client.get(reverse("recipes:list")).content.decode()

    for name in ["recipes:list", "community:top_rated", "login", "signup"]:
        assert f'href="{reverse(name)}"' in html
    for name in [*A_COOKS_LINKS, "admin:index"]:
        assert f'href="{reverse(name)}"' not in html
    # The search form of the list sends its query to the list.
    assert f'action="{reverse("recipes:list")}" role="search"' in html


@pytest.mark.django_db
def test_a_cooks_frame_links_their_pages_and_logs_out_by_post(user_client):
    html = user_client.get(reverse("recipes:list")).content.decode()

    for name in [*A_COOKS_LINKS, "recipes:create"]:
        assert f'href="{reverse(name)}"' in html
    assert f'<form method="post" action="{reverse("logout")}"' in html
    assert f'href="{reverse("admin:index")}"' not in html


@pytest.mark.django_db
def test_staff_see_the_admin_link(staff_client):
    html = staff_client.get(reverse("recipes:list")).content.decode()

    assert f'href="{reverse("admin:index")}">Admin</a>' in html


@pytest.mark.django_db
def test_the_not_found_and_expired_form_pages_keep_the_frames_links(user_client, user):
    """Django renders these two pages itself; both still get the context processors."""
    not_found = user_client.get("/recipes/no-such-recipe/")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    expired = strict.post(reverse("recipes:create"), {})

    assert not_found.status_code == 404
    assert expired.status_code == 403
    for response in (not_found, expired):
        assert f'href="{reverse("recipes:mine")}"' in response.content.decode()
