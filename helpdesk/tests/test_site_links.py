"""The frame's links reversed once per process (config/context_processors.py) stay true."""

import pytest
from django.urls import reverse, set_script_prefix

from config.context_processors import FRAME_LINKS, _frame_links

# Written out again here, so a link pointed at the wrong page fails (not only a stale one).
EXPECTED = {
    "home": "tickets:home",
    "dashboard": "tickets:dashboard",
    "canned": "canned:list",
    "reports": "reports:report",
    "my_tickets": "tickets:list",
    "new_ticket": "tickets:create",
    "admin": "admin:index",
    "notifications": "notifications",
    "password_change": "password_change",
    "logout": "logout",
    "login": "login",
    "signup": "signup",
}


@pytest.mark.parametrize(("key", "name"), EXPECTED.items())
def test_each_frame_link_is_what_reverse_gives(key, name):
    assert _frame_links("/")[key] == reverse(name)


def test_the_frame_has_no_link_the_test_does_not_know():
    assert set(FRAME_LINKS) == set(EXPECTED)


def test_links_follow_the_script_prefix_of_a_site_served_under_a_path():
    set_script_prefix("/support/")
    try:
        assert _frame_links("/support/")["my_tickets"] == reverse("tickets:list")
        assert _frame_links("/support/")["my_tickets"].startswith("/support/")
    finally:
        set_script_prefix("/")
    assert _frame_links("/")["my_tickets"] == "/tickets/"


@pytest.mark.django_db
def test_a_staff_page_frame_links_every_staff_destination(staff_client):
    html = staff_client.get(reverse("tickets:list")).content.decode()

    for name in [
        "tickets:home",
        "tickets:dashboard",
        "canned:list",
        "reports:report",
        "tickets:list",
        "tickets:create",
        "notifications",
        "password_change",
    ]:
        assert f'href="{reverse(name)}"' in html
    assert f'action="{reverse("logout")}"' in html


@pytest.mark.django_db
def test_an_anonymous_page_frame_links_log_in_and_sign_up(client):
    html = client.get(reverse("login")).content.decode()

    assert f'href="{reverse("login")}"' in html
    assert f'href="{reverse("signup")}"' in html


@pytest.mark.django_db
def test_a_superuser_frame_links_the_admin(superuser_client):
    html = superuser_client.get(reverse("tickets:list")).content.decode()

    assert f'href="{reverse("admin:index")}">Admin</a>' in html
