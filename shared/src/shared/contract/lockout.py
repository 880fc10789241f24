"""The login lockout (django-axes): five failed password checks, fifteen minutes, on every form.

Every form that checks a password reports to one count kept in the database, per username and
per address, so a lockout holds in every worker process and on every server: the project's own
login (``Deployment.login_url``), the admin's login, and each form that checks an old password
before changing it (``Deployment.password_change_urls``). The numbers are the READMEs': 5 and
15. The address counted is ``config.client_ip``'s: the TCP peer, or what the proxies the
deployment declares (``DJANGO_TRUSTED_PROXY_COUNT``) appended; no header a client sends
chooses it. What only one project has (the shop's token endpoint, the words of a page, what
becomes of a username longer than any account's) is tested in that project.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pytest
from django.apps import apps
from django.contrib.auth.models import AbstractUser
from django.test import Client
from pytest_django import Settings

from shared.contract import Deployment
from shared.factories import DEFAULT_PASSWORD, UserFactory

if TYPE_CHECKING:  # the test client's response: an HttpResponse with the request's context
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

ADMIN_LOGIN = "/admin/login/"
NEW_PASSWORD = "a-new-and-longer-secret-9"  # noqa: S105 - test accounts only
PROXY = "10.0.0.9"

#: Headers a client can send to claim another address, one kind at a time and all at once.
FORGED_HEADERS = {
    "x-forwarded-for": {"HTTP_X_FORWARDED_FOR": "203.0.113.{n}"},
    "x-real-ip": {"HTTP_X_REAL_IP": "203.0.113.{n}"},
    "forwarded": {"HTTP_FORWARDED": "for=203.0.113.{n}"},
    "all-three": {
        "HTTP_X_FORWARDED_FOR": "198.51.100.{n}, 203.0.113.{n}",
        "HTTP_X_REAL_IP": "192.0.2.{n}",
        "HTTP_FORWARDED": "for=192.0.2.{n};proto=https",
    },
}


def _attempts() -> Any:
    """django-axes' failure records (looked up by name: the projects install django-axes)."""
    return apps.get_model("axes", "AccessAttempt").objects


def _fail(
    client: Client, url: str, username: str, times: int, address: str = "10.0.0.1", **headers: Any
) -> Response:
    for _ in range(times):
        response = client.post(
            url, {"username": username, "password": "wrong"}, REMOTE_ADDR=address, **headers
        )
    return response


def _login(
    client: Client, url: str, username: str, address: str = "10.0.0.1", **headers: Any
) -> Response:
    return client.post(
        url, {"username": username, "password": DEFAULT_PASSWORD}, REMOTE_ADDR=address, **headers
    )


def _change_password(
    client: Client, url: str, old_password: str, address: str = "10.2.2.2", **headers: Any
) -> Response:
    return client.post(
        url,
        {
            "old_password": old_password,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
        REMOTE_ADDR=address,
        **headers,
    )


def _signed_in_staff() -> tuple[AbstractUser, Client]:
    """A staff member (the admin's password page needs one; a site's takes anyone) and a
    browser signed in as them without a password check, so no failure is counted before the
    test's own."""
    staff = UserFactory.create(is_staff=True)
    browser = Client()
    browser.force_login(staff)
    return staff, browser


def _age_failures(by: timedelta) -> None:
    """Move the recorded failures back in time instead of sleeping."""
    for attempt in _attempts().all():
        attempt.attempt_time -= by
        attempt.save(update_fields=["attempt_time"])


def _forged(kind: str, n: int) -> dict[str, str]:
    return {name: value.format(n=n) for name, value in FORGED_HEADERS[kind].items()}


@pytest.mark.django_db
class LoginLockoutContract:
    """Subclass as ``TestLoginLockout`` beside a ``deployment`` fixture."""

    def test_failures_are_counted_in_the_database_so_every_process_shares_them(
        self, settings: Settings
    ) -> None:
        assert settings.AXES_HANDLER == "axes.handlers.database.AxesDatabaseHandler"

    # --- The login form -----------------------------------------------------------------------

    def test_four_failures_are_ordinary_form_errors(
        self, deployment: Deployment, client: Client, user: AbstractUser
    ) -> None:
        response = _fail(client, deployment.login_url, user.username, 4)

        assert response.status_code == 200
        assert response.context["form"].non_field_errors()

    def test_the_fifth_failure_locks_the_account_out_with_a_429_page_saying_for_how_long(
        self, deployment: Deployment, client: Client, user: AbstractUser
    ) -> None:
        response = _fail(client, deployment.login_url, user.username, 5)

        assert response.status_code == 429
        page = response.content.decode()
        assert "Too many failed logins" in page
        assert "After 5 " in page
        assert "15 minutes" in page

    def test_a_locked_out_account_is_refused_even_with_the_right_password(
        self, deployment: Deployment, client: Client, user: AbstractUser
    ) -> None:
        _fail(client, deployment.login_url, user.username, 5)

        response = _login(client, deployment.login_url, user.username)

        assert response.status_code == 429
        assert "_auth_user_id" not in client.session

    def test_the_account_stays_locked_from_another_address(
        self, deployment: Deployment, client: Client, user: AbstractUser
    ) -> None:
        _fail(client, deployment.login_url, user.username, 5, address="10.0.0.1")

        assert _login(client, deployment.login_url, user.username, "10.9.9.9").status_code == 429

    def test_an_address_trying_many_accounts_is_locked_out(
        self, deployment: Deployment, client: Client
    ) -> None:
        for victim in UserFactory.create_batch(5):
            _fail(client, deployment.login_url, victim.username, 1, address="10.6.6.6")

        bystander = UserFactory.create()
        assert _login(client, deployment.login_url, bystander.username, "10.6.6.6").status_code == (
            429
        )
        assert _login(client, deployment.login_url, bystander.username, "10.7.7.7").status_code == (
            302
        )

    def test_other_accounts_from_other_addresses_still_log_in(
        self, deployment: Deployment, client: Client, user: AbstractUser, other_user: AbstractUser
    ) -> None:
        _fail(client, deployment.login_url, user.username, 5, address="10.0.0.1")

        assert _login(
            client, deployment.login_url, other_user.username, "10.0.0.2"
        ).status_code == (302)

    @pytest.mark.parametrize(
        ("elapsed", "status"),
        [(timedelta(minutes=14, seconds=50), 429), (timedelta(minutes=15, seconds=1), 302)],
        ids=["just-before-15-minutes", "just-after"],
    )
    def test_the_lockout_lasts_fifteen_minutes(
        self,
        deployment: Deployment,
        client: Client,
        user: AbstractUser,
        elapsed: timedelta,
        status: int,
    ) -> None:
        _fail(client, deployment.login_url, user.username, 5)
        _age_failures(elapsed)

        assert _login(client, deployment.login_url, user.username).status_code == status

    def test_logging_in_to_ones_own_account_does_not_wipe_failures_against_another(
        self, deployment: Deployment, client: Client, user: AbstractUser, other_user: AbstractUser
    ) -> None:
        """django-axes' reset on success deletes every failure counted from the client's
        address; it is off, or four guesses and one login of one's own would start again."""
        _fail(client, deployment.login_url, user.username, 4)
        assert _login(client, deployment.login_url, other_user.username).status_code == 302
        client.logout()

        response = _fail(client, deployment.login_url, user.username, 1)

        assert response.status_code == 429

    def test_the_admin_login_is_locked_out_too(self, client: Client) -> None:
        staff = UserFactory.create(is_staff=True)

        answers = [_fail(client, ADMIN_LOGIN, staff.username, 1, "10.1.1.1") for _ in range(5)]

        assert [answer.status_code for answer in answers] == [200, 200, 200, 200, 429]
        assert "Too many failed logins" in answers[-1].content.decode()
        assert _login(client, ADMIN_LOGIN, staff.username, "10.1.1.1").status_code == 429

    # --- Forms that check the old password before changing it ---------------------------------

    def test_the_right_old_password_still_changes_it(self, deployment: Deployment) -> None:
        for url in deployment.password_change_urls:
            staff, browser = _signed_in_staff()

            response = _change_password(browser, url, DEFAULT_PASSWORD)

            assert response.status_code == 302, url
            staff.refresh_from_db()
            assert staff.check_password(NEW_PASSWORD), url

    def test_a_wrong_old_password_is_a_form_error_counted_without_the_passwords_typed(
        self, deployment: Deployment
    ) -> None:
        for address, url in enumerate(deployment.password_change_urls, start=1):
            staff, browser = _signed_in_staff()

            response = _change_password(browser, url, "my-old-secret-guess", f"10.2.3.{address}")

            assert response.status_code == 200, url
            assert "old_password" in response.context["form"].errors, url
            attempt = _attempts().get(username=staff.username)
            assert (attempt.ip_address, attempt.failures_since_start) == (f"10.2.3.{address}", 1)
            assert "my-old-secret-guess" not in attempt.post_data, url
            assert NEW_PASSWORD not in attempt.post_data, url

    def test_five_wrong_old_passwords_lock_the_account_out_of_every_form(
        self, deployment: Deployment, client: Client
    ) -> None:
        for address, url in enumerate(deployment.password_change_urls, start=1):
            staff, browser = _signed_in_staff()
            here = f"10.2.2.{address}"

            answers = [_change_password(browser, url, "wrong", here) for _ in range(5)]

            assert [answer.status_code for answer in answers] == [200, 200, 200, 200, 429], url
            assert _change_password(browser, url, DEFAULT_PASSWORD, here).status_code == 429, url
            staff.refresh_from_db()
            assert staff.check_password(DEFAULT_PASSWORD), url
            assert _login(client, deployment.login_url, staff.username, "10.3.3.3").status_code == (
                429
            ), url

    def test_failures_on_every_form_add_up_to_one_count(
        self, deployment: Deployment, client: Client
    ) -> None:
        """A failure on each form, each from another address, the login making up four: the
        fifth, wherever it is, locks the account out of every form."""
        staff, browser = _signed_in_staff()
        _fail(client, deployment.login_url, staff.username, 1, "10.4.4.1")
        _fail(client, ADMIN_LOGIN, staff.username, 1, "10.4.4.2")
        for n, url in enumerate(deployment.password_change_urls, start=3):
            _change_password(browser, url, "wrong", f"10.4.4.{n}")
        for n in range(4 - 2 - len(deployment.password_change_urls)):
            _fail(client, deployment.login_url, staff.username, 1, f"10.4.5.{n}")

        fifth = _change_password(browser, deployment.password_change_urls[-1], "wrong", "10.5.5.5")

        assert fifth.status_code == 429
        assert _login(client, deployment.login_url, staff.username, "10.5.5.6").status_code == 429
        assert _login(client, ADMIN_LOGIN, staff.username, "10.5.5.7").status_code == 429

    # --- Headers a client controls never choose the address -----------------------------------

    @pytest.mark.parametrize("kind", FORGED_HEADERS)
    def test_a_new_forged_header_on_every_guess_does_not_escape_the_address_lockout(
        self, deployment: Deployment, client: Client, kind: str
    ) -> None:
        for n, victim in enumerate(UserFactory.create_batch(5)):
            _fail(client, deployment.login_url, victim.username, 1, "10.8.8.8", **_forged(kind, n))

        bystander = UserFactory.create()
        forged = _forged(kind, 99)
        response = _login(client, deployment.login_url, bystander.username, "10.8.8.8", **forged)

        assert response.status_code == 429
        assert set(_attempts().values_list("ip_address", flat=True)) == {"10.8.8.8"}

    def test_forged_forwarding_headers_do_not_lock_out_the_address_they_name(
        self, deployment: Deployment, client: Client
    ) -> None:
        for victim in UserFactory.create_batch(5):
            _fail(
                client,
                deployment.login_url,
                victim.username,
                1,
                "10.6.6.6",
                **_forged("all-three", 1),
            )

        bystander = UserFactory.create()
        for named in ("203.0.113.1", "198.51.100.1", "192.0.2.1"):
            assert _login(client, deployment.login_url, bystander.username, named).status_code == (
                302
            ), named
            client.logout()

    def test_a_forged_header_does_not_escape_the_password_change_lockout(
        self, deployment: Deployment
    ) -> None:
        for address, url in enumerate(deployment.password_change_urls, start=1):
            _, browser = _signed_in_staff()
            here = f"10.8.9.{address}"

            answers = [
                _change_password(browser, url, "wrong", here, **_forged("all-three", n))
                for n in range(5)
            ]

            assert [answer.status_code for answer in answers] == [200, 200, 200, 200, 429], url
            assert set(_attempts().values_list("ip_address", flat=True)) <= {
                f"10.8.9.{n}" for n in range(1, address + 1)
            }, url

    # --- Behind a reverse proxy (DJANGO_TRUSTED_PROXY_COUNT=1) --------------------------------

    @staticmethod
    def _via_proxy(
        client: Client,
        url: str,
        username: str,
        password: str,
        address: str,
        forged: str | None = None,
    ) -> Response:
        """One proxy in front, appending the address it received the request from."""
        return client.post(
            url,
            {"username": username, "password": password},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=f"{forged}, {address}" if forged else address,
            HTTP_X_REAL_IP=forged or "192.0.2.1",
        )

    def _lock_out_address_via_proxy(
        self, url: str, client: Client, address: str, forged: str | None = None
    ) -> None:
        for victim in UserFactory.create_batch(5):
            self._via_proxy(client, url, victim.username, "wrong", address, forged=forged)

    def test_behind_a_proxy_the_lockout_hits_the_clients_address_not_the_proxys(
        self, deployment: Deployment, client: Client, settings: Settings
    ) -> None:
        settings.TRUSTED_PROXY_COUNT = 1
        self._lock_out_address_via_proxy(deployment.login_url, client, "9.9.9.9")

        bystander = UserFactory.create()
        there = self._via_proxy(
            client, deployment.login_url, bystander.username, DEFAULT_PASSWORD, "9.9.9.9"
        )
        elsewhere = self._via_proxy(
            client, deployment.login_url, bystander.username, DEFAULT_PASSWORD, "8.8.4.4"
        )

        assert (there.status_code, elsewhere.status_code) == (429, 302)
        assert set(_attempts().values_list("ip_address", flat=True)) == {"9.9.9.9"}

    @pytest.mark.parametrize("forged", ["6.6.6.6", "6.6.6.6, 7.7.7.7", "not-an-address"])
    def test_behind_a_proxy_what_the_client_put_in_front_does_not_choose_the_address(
        self, deployment: Deployment, client: Client, settings: Settings, forged: str
    ) -> None:
        settings.TRUSTED_PROXY_COUNT = 1
        self._lock_out_address_via_proxy(deployment.login_url, client, "9.9.9.9", forged=forged)

        bystander = UserFactory.create()
        there = self._via_proxy(
            client, deployment.login_url, bystander.username, DEFAULT_PASSWORD, "9.9.9.9"
        )
        named = self._via_proxy(
            client, deployment.login_url, bystander.username, DEFAULT_PASSWORD, "6.6.6.6"
        )

        assert (there.status_code, named.status_code) == (429, 302)

    def test_without_the_setting_every_client_behind_a_proxy_shares_its_address(
        self, deployment: Deployment, client: Client
    ) -> None:
        """The default is direct connections: behind an undeclared proxy, its address counts."""
        self._lock_out_address_via_proxy(deployment.login_url, client, "9.9.9.9")

        bystander = UserFactory.create()
        response = self._via_proxy(
            client, deployment.login_url, bystander.username, DEFAULT_PASSWORD, "8.8.4.4"
        )

        assert response.status_code == 429
