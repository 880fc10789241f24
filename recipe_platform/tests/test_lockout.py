"""Login throttling with django-axes: failures are counted in the database, per username and
per address, so a lockout holds in every worker process and on every server."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from shared.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def _fail(client, username, times, address="10.0.0.1"):
    for _ in range(times):
        response = client.post(
            LOGIN, {"username": username, "password": "wrong"}, REMOTE_ADDR=address
        )
    return response


def _login(client, username, address="10.0.0.1"):
    return client.post(
        LOGIN, {"username": username, "password": DEFAULT_PASSWORD}, REMOTE_ADDR=address
    )


def test_the_database_handler_is_used_so_every_process_shares_the_count():
    assert settings.AXES_HANDLER == "axes.handlers.database.AxesDatabaseHandler"


def test_failures_below_the_limit_are_ordinary_form_errors(client, user):
    response = _fail(client, user.username, settings.AXES_FAILURE_LIMIT - 1)

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_reaching_the_limit_locks_the_account_out_with_429(client, user):
    response = _fail(client, user.username, settings.AXES_FAILURE_LIMIT)

    assert response.status_code == 429
    assert b"Too many failed logins" in response.content
    assert b"15 minutes" in response.content


def test_a_locked_out_account_is_refused_even_with_the_right_password(client, user):
    _fail(client, user.username, settings.AXES_FAILURE_LIMIT)

    response = _login(client, user.username)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_account_stays_locked_from_another_address(client, user):
    _fail(client, user.username, settings.AXES_FAILURE_LIMIT, address="10.0.0.1")

    assert _login(client, user.username, address="10.9.9.9").status_code == 429


def test_an_address_trying_many_accounts_is_locked_out(client):
    victims = UserFactory.create_batch(settings.AXES_FAILURE_LIMIT)
    for victim in victims:
        _fail(client, victim.username, 1, address="10.6.6.6")

    bystander = UserFactory.create()
    assert _login(client, bystander.username, address="10.6.6.6").status_code == 429
    assert _login(client, bystander.username, address="10.7.7.7").status_code == 302


def test_other_accounts_from_other_addresses_still_log_in(client, user, other_user):
    _fail(client, user.username, settings.AXES_FAILURE_LIMIT, address="10.0.0.1")

    assert _login(client, other_user.username, address="10.0.0.2").status_code == 302


def test_the_lockout_ends_after_the_cool_off(client, user):
    _fail(client, user.username, settings.AXES_FAILURE_LIMIT)
    # Age the recorded failures past the cool-off instead of sleeping.
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= settings.AXES_COOLOFF_TIME + timedelta(seconds=1)
        attempt.save(update_fields=["attempt_time"])

    assert _login(client, user.username).status_code == 302


def test_a_successful_login_resets_the_count(client, user):
    _fail(client, user.username, settings.AXES_FAILURE_LIMIT - 1)
    assert _login(client, user.username).status_code == 302
    client.logout()

    response = _fail(client, user.username, settings.AXES_FAILURE_LIMIT - 1)

    assert response.status_code == 200


def test_the_admin_login_is_throttled_too(client):
    staff = UserFactory.create(is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/admin/login/",
            {"username": staff.username, "password": "wrong"},
            REMOTE_ADDR="10.1.1.1",
        )

    response = client.post(
        "/admin/login/",
        {"username": staff.username, "password": DEFAULT_PASSWORD},
        REMOTE_ADDR="10.1.1.1",
    )

    assert response.status_code == 429


# --- Behind a reverse proxy ---------------------------------------------------------------

PROXY = "10.0.0.9"


@pytest.fixture
def behind_one_proxy(settings):
    """The documented settings for one proxy that appends the client's address."""
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    settings.AXES_IPWARE_PROXY_ORDER = "right-most"


def _via_proxy(client, username, password, address, forged=None):
    forwarded = f"{forged}, {address}" if forged else address
    return client.post(
        LOGIN,
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def _lock_out_address_via_proxy(client, address, forged=None):
    for victim in UserFactory.create_batch(settings.AXES_FAILURE_LIMIT):
        _via_proxy(client, victim.username, "wrong", address, forged=forged)


def test_behind_a_proxy_the_lockout_hits_the_clients_address_not_the_proxys(
    client, behind_one_proxy
):
    _lock_out_address_via_proxy(client, "9.9.9.9")

    bystander = UserFactory.create()
    assert _via_proxy(client, bystander.username, DEFAULT_PASSWORD, "9.9.9.9").status_code == 429
    assert _via_proxy(client, bystander.username, DEFAULT_PASSWORD, "8.8.4.4").status_code == 302


def test_behind_a_proxy_a_forged_forwarded_for_does_not_choose_the_address(
    client, behind_one_proxy
):
    _lock_out_address_via_proxy(client, "9.9.9.9", forged="6.6.6.6")

    bystander = UserFactory.create()
    assert _via_proxy(client, bystander.username, DEFAULT_PASSWORD, "9.9.9.9").status_code == 429
    assert _via_proxy(client, bystander.username, DEFAULT_PASSWORD, "6.6.6.6").status_code == 302
