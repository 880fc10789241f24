import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from shared.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

User = get_user_model()

SIGNUP = {
    "username": "newcomer",
    "email": "newcomer@example.com",
    "password1": "a-long-unusual-passphrase",
    "password2": "a-long-unusual-passphrase",
}


# --- Sign-up ------------------------------------------------------------------------------


def test_signup_creates_an_ordinary_user_and_logs_them_in(client):
    response = client.post(reverse("signup"), SIGNUP, follow=True)

    user = User.objects.get(username="newcomer")
    assert not user.is_staff
    assert not user.is_superuser
    assert response.redirect_chain == [("/tickets/", 302)]
    assert response.context["user"] == user
    assert "Welcome, newcomer!" in response.content.decode()


def test_signup_cannot_be_talked_into_making_staff(client):
    client.post(reverse("signup"), {**SIGNUP, "is_staff": "on", "is_superuser": "on"})

    user = User.objects.get(username="newcomer")
    assert not user.is_staff
    assert not user.is_superuser


def test_signup_requires_an_email_and_matching_strong_passwords(client):
    response = client.post(
        reverse("signup"),
        {"username": "x", "email": "", "password1": "123", "password2": "456"},
    )

    assert response.status_code == 200
    assert {"email", "password2"} <= set(response.context["form"].errors)
    assert not User.objects.filter(username="x").exists()


def test_signup_page_is_public_and_sends_logged_in_users_home(client, user_client):
    assert client.get(reverse("signup")).status_code == 200
    assert user_client.get(reverse("signup")).url == "/"


# --- Login and logout ---------------------------------------------------------------------


def test_login_page_is_public(client):
    response = client.get("/accounts/login/")

    assert response.status_code == 200
    assert b"<title>Log in" in response.content


def test_login_with_the_right_password_goes_to_the_next_page(client, user):
    response = client.post(
        "/accounts/login/?next=/tickets/new/",
        {"username": user.username, "password": DEFAULT_PASSWORD, "next": "/tickets/new/"},
        follow=True,
    )

    assert response.redirect_chain == [("/tickets/new/", 302)]
    assert response.context["user"] == user
    assert f"Welcome back, {user.username}." in response.content.decode()


def test_login_with_a_wrong_password_is_a_form_error(client, user):
    response = client.post("/accounts/login/", {"username": user.username, "password": "nope"})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert "_auth_user_id" not in client.session


def test_logged_in_user_visiting_login_is_sent_home(user_client):
    assert user_client.get("/accounts/login/").url == "/"


def test_logout_is_post_only(user_client):
    assert user_client.get(reverse("logout")).status_code == 405
    assert "_auth_user_id" in user_client.session


def test_logout_by_post_ends_the_session_with_a_message(user_client):
    response = user_client.post(reverse("logout"), follow=True)

    assert response.redirect_chain == [("/accounts/login/", 302)]
    assert not response.context["user"].is_authenticated
    assert "You have been logged out." in response.content.decode()


# --- Password change ----------------------------------------------------------------------


def test_password_change_needs_a_login(client):
    assert client.get(reverse("password_change")).url.startswith("/accounts/login/")


def test_password_change_checks_the_old_password(user_client, user):
    response = user_client.post(
        reverse("password_change"),
        {
            "old_password": "wrong",
            "new_password1": "another-long-passphrase",
            "new_password2": "another-long-passphrase",
        },
    )

    assert "old_password" in response.context["form"].errors
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


def test_password_change_keeps_the_user_logged_in(user_client, user):
    response = user_client.post(
        reverse("password_change"),
        {
            "old_password": DEFAULT_PASSWORD,
            "new_password1": "another-long-passphrase",
            "new_password2": "another-long-passphrase",
        },
        follow=True,
    )

    user.refresh_from_db()
    assert user.check_password("another-long-passphrase")
    assert response.context["user"] == user
    assert "Your password has been changed." in response.content.decode()
