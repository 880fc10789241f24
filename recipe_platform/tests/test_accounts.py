import pytest
from django.contrib.auth import get_user_model
from pytest_django.asserts import assertContains, assertRedirects
from shared.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

STRONG_PASSWORD = "a-long-kitchen-password-42"


def test_signing_up_logs_the_new_cook_in_and_invites_a_recipe(client):
    response = client.post(
        "/accounts/signup/",
        {
            "username": "newcook",
            "email": "newcook@example.com",
            "password1": STRONG_PASSWORD,
            "password2": STRONG_PASSWORD,
        },
        follow=True,
    )

    assertRedirects(response, "/recipes/new/")
    assertContains(response, "Welcome, newcook!")
    assert response.context["user"].username == "newcook"


def test_sign_up_refuses_a_weak_password_with_a_message_next_to_it(client):
    response = client.post(
        "/accounts/signup/",
        {"username": "newcook", "email": "", "password1": "123", "password2": "123"},
    )

    assert response.status_code == 200
    assert "password2" in response.context["form"].errors
    assert not get_user_model().objects.filter(username="newcook").exists()


def test_sign_up_refuses_a_username_taken_in_another_case(client, user):
    response = client.post(
        "/accounts/signup/",
        {
            "username": user.username.upper(),
            "password1": STRONG_PASSWORD,
            "password2": STRONG_PASSWORD,
        },
    )

    assert "username" in response.context["form"].errors


def test_a_logged_in_user_is_sent_away_from_sign_up(user_client):
    assertRedirects(user_client.get("/accounts/signup/"), "/recipes/")


def test_the_sign_up_and_login_pages_are_public(client):
    assertContains(client.get("/accounts/signup/"), "<title>Sign up · Community Kitchen</title>")
    assertContains(client.get("/accounts/login/"), "<title>Log in · Community Kitchen</title>")


def test_logging_in_greets_the_user_and_follows_next(client, user):
    response = client.post(
        "/accounts/login/",
        {"username": user.username, "password": DEFAULT_PASSWORD, "next": "/recipes/mine/"},
        follow=True,
    )

    assertRedirects(response, "/recipes/mine/")
    assertContains(response, f"Welcome back, {user.username}.")


def test_a_wrong_password_shows_an_error(client, user):
    response = client.post("/accounts/login/", {"username": user.username, "password": "nope"})

    assertContains(response, "Please enter a correct username and password")


def test_logging_out_takes_a_post(user_client):
    assert user_client.get("/accounts/logout/").status_code == 405

    response = user_client.post("/accounts/logout/", follow=True)

    assertContains(response, "You are logged out.")
    assert not response.context["user"].is_authenticated
