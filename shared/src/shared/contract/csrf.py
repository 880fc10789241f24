"""Cross-site request forgery: a POST without the page's token is refused and changes nothing.

Django's ``CsrfViewMiddleware`` guards every form; what the contract checks is that nothing
exempts the forms that matter most (signing in and out) and that a refusal is the project's
own 403 (its policy-safe page, or the API's JSON), while the token a real page hands out is
accepted. The cookies' flags in production (``Secure``, the session's ``HttpOnly``) are
``shared.contract.settings``'.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AbstractUser
from django.test import Client

from shared.contract import Deployment
from shared.factories import DEFAULT_PASSWORD


def _token_of(browser: Client, page: str) -> str:
    """The token a real browser would submit: the one the page's form was rendered with."""
    response = browser.get(page)
    assert response.status_code == 200, page
    return str(response.context["csrf_token"])


@pytest.mark.django_db
class CsrfContract:
    """Subclass as ``TestCsrf`` beside a ``deployment`` fixture."""

    @pytest.fixture
    def browser(self) -> Client:
        return Client(enforce_csrf_checks=True)

    def test_a_login_without_the_token_is_refused_and_with_the_pages_token_it_works(
        self, deployment: Deployment, browser: Client, user: AbstractUser
    ) -> None:
        credentials = {"username": user.username, "password": DEFAULT_PASSWORD}

        refused = browser.post(deployment.login_url, credentials)
        assert refused.status_code == 403
        assert "_auth_user_id" not in browser.session

        token = _token_of(browser, deployment.login_url)
        accepted = browser.post(deployment.login_url, {**credentials, "csrfmiddlewaretoken": token})
        assert accepted.status_code == 302
        assert browser.session["_auth_user_id"] == str(user.pk)

    def test_the_admin_login_without_the_token_is_refused(
        self, browser: Client, user: AbstractUser
    ) -> None:
        response = browser.post(
            "/admin/login/", {"username": user.username, "password": DEFAULT_PASSWORD}
        )

        assert response.status_code == 403
        assert "_auth_user_id" not in browser.session

    def test_a_logout_without_the_token_is_refused_and_keeps_the_session(
        self, deployment: Deployment, browser: Client, user: AbstractUser
    ) -> None:
        browser.force_login(user)

        response = browser.post(deployment.logout_url)

        assert response.status_code == 403
        assert browser.session["_auth_user_id"] == str(user.pk)

    def test_a_password_change_without_the_token_is_refused_and_changes_nothing(
        self, deployment: Deployment, browser: Client, staff_user: AbstractUser
    ) -> None:
        browser.force_login(staff_user)
        new = "a-new-and-longer-secret-9"

        for url in deployment.password_change_urls:
            response = browser.post(
                url,
                {"old_password": DEFAULT_PASSWORD, "new_password1": new, "new_password2": new},
            )

            assert response.status_code == 403, url
            staff_user.refresh_from_db()
            assert staff_user.check_password(DEFAULT_PASSWORD), url
