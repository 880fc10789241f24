"""The token endpoint counts toward the one lockout: five failures, fifteen minutes.

The token endpoint, the browsable API's session login, the admin's login and the admin's
"change password" (which checks the old password) all report to django-axes, which counts the
failures in the database per username and per client address (``config.client_ip``). The
lockout on the forms is the shared contract's (``shared.contract.lockout``, run by
tests/test_contract.py as ``TestLoginLockout``); what is tested here is the shop's own: the
token endpoint's JSON answers, the page's words, and what django-axes is handed.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from rest_framework.authtoken.models import Token
from shared.factories import DEFAULT_PASSWORD, SuperuserFactory

pytestmark = pytest.mark.django_db

TOKEN_URL = reverse("auth-token")
SESSION_LOGIN_URL = reverse("rest_framework:login")
ADMIN_LOGIN_URL = reverse("admin:login")
ADMIN_PASSWORD_CHANGE_URL = reverse("admin:password_change")
WRONG = "not-the-password"
FORGED = [
    {
        "HTTP_X_FORWARDED_FOR": f"203.0.113.{n}",
        "HTTP_X_REAL_IP": f"198.51.100.{n}",
        "HTTP_FORWARDED": f"for=192.0.2.{n}",
    }
    for n in range(1, 8)
]


@pytest.fixture(autouse=True)
def _no_throttle(settings):
    """Token requests are throttled too (10 a minute); these tests are about the lockout."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"order_placement": "1000/minute", "auth_token": "1000/minute"},
    }


def _token(client, username, password, **headers):
    return client.post(TOKEN_URL, {"username": username, "password": password}, **headers)


def _session_login(client, username, password):
    return client.post(SESSION_LOGIN_URL, {"username": username, "password": password})


def _admin_login(client, username, password):
    return client.post(ADMIN_LOGIN_URL, {"username": username, "password": password})


# --- the token endpoint -------------------------------------------------------------------------


def test_four_wrong_passwords_still_let_the_right_one_in(api_client, user):
    for _ in range(4):
        assert _token(api_client, user.username, WRONG).status_code == 400

    assert _token(api_client, user.username, DEFAULT_PASSWORD).status_code == 200


def test_the_fifth_wrong_password_locks_the_token_endpoint_for_fifteen_minutes(api_client, user):
    answers = [_token(api_client, user.username, WRONG) for _ in range(5)]
    locked = _token(api_client, user.username, DEFAULT_PASSWORD)

    assert [answer.status_code for answer in answers] == [400, 400, 400, 400, 429]
    assert locked.status_code == 429
    assert locked.json() == {
        "code": "locked_out",
        "detail": "Too many failed logins; try again in 15 minutes.",
    }
    assert locked["Retry-After"] == "900"
    assert not Token.objects.exists()


def test_the_lockout_ends_fifteen_minutes_after_the_last_failure(api_client, user):
    for _ in range(5):
        _token(api_client, user.username, WRONG)
    attempts = AccessAttempt.objects.filter(username=user.username)

    attempts.update(attempt_time=attempts.get().attempt_time - timedelta(minutes=14, seconds=50))
    assert _token(api_client, user.username, DEFAULT_PASSWORD).status_code == 429
    # That attempt counted too and started the fifteen minutes again.
    attempts.update(attempt_time=attempts.get().attempt_time - timedelta(minutes=15, seconds=1))
    assert _token(api_client, user.username, DEFAULT_PASSWORD).status_code == 200


def test_failures_are_counted_in_the_database(api_client, user):
    _token(api_client, user.username, WRONG)

    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address, attempt.failures_since_start) == (
        user.username,
        "127.0.0.1",
        1,
    )
    assert WRONG not in attempt.post_data


def test_five_failures_from_one_address_lock_it_out_for_every_username(api_client, user):
    for n in range(5):
        _token(api_client, f"nobody-{n}", WRONG)

    assert _token(api_client, user.username, DEFAULT_PASSWORD).status_code == 429


def test_forged_forwarding_headers_do_not_escape_the_lockout(api_client, user):
    """A new X-Forwarded-For, X-Real-IP and Forwarded on every guess: still one address."""
    for n in range(5):
        _token(api_client, f"nobody-{n}", WRONG, **FORGED[n])

    assert _token(api_client, user.username, DEFAULT_PASSWORD, **FORGED[5]).status_code == 429


def test_behind_one_trusted_proxy_the_lockout_counts_the_address_it_appended(
    api_client, user, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(5):
        _token(api_client, f"nobody-{n}", WRONG, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 198.51.100.7")

    from_there = _token(
        api_client, user.username, DEFAULT_PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7"
    )
    from_elsewhere = _token(
        api_client, user.username, DEFAULT_PASSWORD, HTTP_X_FORWARDED_FOR="10.0.0.1, 198.51.100.8"
    )

    assert (from_there.status_code, from_elsewhere.status_code) == (429, 200)


def test_logging_in_to_ones_own_account_does_not_wipe_failures_against_another(
    api_client, user, other_user
):
    """django-axes' reset on success deletes every failure counted from the client's address;
    it is off, or four guesses and one login of one's own would start the count again."""
    for _ in range(4):
        _token(api_client, user.username, WRONG)
    assert _token(api_client, other_user.username, DEFAULT_PASSWORD).status_code == 200

    _token(api_client, user.username, WRONG)

    assert _token(api_client, user.username, DEFAULT_PASSWORD).status_code == 429


@pytest.mark.parametrize(
    "credentials",
    [
        {"username": "x" * 5000, "password": WRONG},
        {"username": "customer", "password": "x" * 5000},
        {"username": "a\x00b", "password": WRONG},
        {"username": 10**30, "password": 1.5},
        {"username": {"nested": ["junk"]}, "password": [WRONG]},
    ],
)
def test_odd_credentials_are_a_400_never_a_server_error(api_client, user, credentials):
    response = api_client.post(TOKEN_URL, credentials, format="json")

    assert response.status_code == 400


# --- the browsable API's lockout page, odd usernames, every entry point at once -----------------


def test_the_browsable_apis_lockout_page_says_when_to_come_back(client, user):
    """The contract locks this form out (``TestLoginLockout``); the shop's page says it in its
    own words, and ``Retry-After`` says it to a program."""
    for _ in range(5):
        _session_login(client, user.username, WRONG)

    locked = _session_login(client, user.username, DEFAULT_PASSWORD)

    assert locked.status_code == 429
    assert locked["Retry-After"] == "900"
    page = locked.content.decode()
    assert "After 5 wrong passwords" in page
    assert "paused for 15 minutes" in page


@pytest.mark.parametrize("login_url", [SESSION_LOGIN_URL, ADMIN_LOGIN_URL])
def test_a_very_long_username_is_recorded_as_much_as_fits_never_a_server_error(client, login_url):
    """Django's login form leaves the username's length to the database; django-axes' column
    holds 255 characters, and PostgreSQL refuses more with an error (a 500, before the fix)."""
    client.raise_request_exception = False

    response = client.post(login_url, {"username": "x" * 5000, "password": WRONG})

    assert response.status_code == 200
    assert AccessAttempt.objects.get().username == "x" * 255


def _change_password(client, old_password):
    return client.post(
        ADMIN_PASSWORD_CHANGE_URL,
        {
            "old_password": old_password,
            "new_password1": "a-new-long-password-9",
            "new_password2": "a-new-long-password-9",
        },
    )


def test_every_entry_point_counts_toward_the_same_lockout(client, api_client):
    """Two wrong tokens, one wrong session login, one wrong admin login, one wrong old
    password: five failures for one username, and every door is closed."""
    admin = SuperuserFactory()
    _token(api_client, admin.username, WRONG)
    _token(api_client, admin.username, WRONG)
    _session_login(client, admin.username, WRONG)
    _admin_login(client, admin.username, WRONG)
    client.force_login(admin)
    _change_password(client, WRONG)
    client.logout()

    assert _token(api_client, admin.username, DEFAULT_PASSWORD).status_code == 429
    assert _session_login(client, admin.username, DEFAULT_PASSWORD).status_code == 429
    assert _admin_login(client, admin.username, DEFAULT_PASSWORD).status_code == 429


# --- what django-axes is handed -----------------------------------------------------------------


def test_axes_records_the_username_as_much_as_fits_without_nul_bytes(rf):
    from accounts.lockout import username_for_lockout

    assert username_for_lockout(rf.get("/"), {"username": "ann"}) == "ann"
    assert username_for_lockout(rf.get("/"), {"username": "a\x00b"}) == "ab"
    assert username_for_lockout(rf.get("/"), {"username": "x" * 300}) == "x" * 255
    assert username_for_lockout(rf.post("/", {"username": "from-the-form"})) == "from-the-form"
    assert username_for_lockout(rf.post("/", {})) is None


def test_a_views_own_429_is_kept_over_the_lockout_page(rf):
    from django.http import JsonResponse

    from accounts.lockout import lockout_response

    own = JsonResponse({"code": "locked_out"}, status=429)

    assert lockout_response(rf.post("/"), own) is own
