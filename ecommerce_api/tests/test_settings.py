"""Production settings refuse to run insecurely; checked in a fresh interpreter each time."""

import subprocess

import pytest
from shared.processes import STRONG_KEY

from tests.processes import run_python


def _run_with_production_settings(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    return run_python("config.settings.production", code, **env)


SETUP = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"


def test_production_refuses_to_start_without_a_secret_key():
    result = _run_with_production_settings(SETUP, DJANGO_ALLOWED_HOSTS="example.com")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.parametrize("weak_key", ["short", "django-insecure-" + "x" * 60])
def test_production_refuses_a_weak_or_development_secret_key(weak_key):
    result = _run_with_production_settings(
        SETUP, DJANGO_SECRET_KEY=weak_key, DJANGO_ALLOWED_HOSTS="example.com"
    )

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be a random value" in result.stderr


def test_production_refuses_debug_mode():
    result = _run_with_production_settings(
        SETUP,
        DJANGO_SECRET_KEY=STRONG_KEY,
        DJANGO_ALLOWED_HOSTS="example.com",
        DJANGO_DEBUG="true",
    )

    assert result.returncode != 0
    assert "DJANGO_DEBUG must not be enabled" in result.stderr


def test_production_requires_allowed_hosts():
    result = _run_with_production_settings(SETUP, DJANGO_SECRET_KEY=STRONG_KEY)

    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


def test_production_runs_with_debug_off_when_configured():
    result = _run_with_production_settings(
        SETUP, DJANGO_SECRET_KEY=STRONG_KEY, DJANGO_ALLOWED_HOSTS="example.com"
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_production_passes_the_deployment_checklist():
    code = (
        "import sys; from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])"
    )
    result = _run_with_production_settings(
        code, DJANGO_SECRET_KEY=STRONG_KEY, DJANGO_ALLOWED_HOSTS="example.com"
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_trusts_the_proxy_header_only_when_told():
    code = SETUP.replace("settings.DEBUG", "settings.SECURE_PROXY_SSL_HEADER")
    result = _run_with_production_settings(
        code,
        DJANGO_SECRET_KEY=STRONG_KEY,
        DJANGO_ALLOWED_HOSTS="example.com",
        DJANGO_SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "('HTTP_X_FORWARDED_PROTO', 'https')"


def test_local_settings_run_with_debug_on_and_no_environment():
    result = run_python("config.settings.local", SETUP)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_sqlite_waits_for_the_write_lock_instead_of_failing():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "options = settings.DATABASES['default']['OPTIONS']; "
        "print(options['transaction_mode'], options['timeout'], options['init_command'])"
    )

    result = run_python("config.settings.local", code)  # no DATABASE_URL: the SQLite default

    assert result.returncode == 0, result.stderr
    mode, timeout, init_command = result.stdout.split(" ", 2)
    assert mode == "IMMEDIATE"
    assert int(timeout) >= 5
    assert "journal_mode=WAL" in init_command


def test_a_negative_trusted_proxy_count_is_refused():
    result = run_python("config.settings.local", SETUP, DJANGO_TRUSTED_PROXY_COUNT="-1")

    assert result.returncode != 0
    assert "DJANGO_TRUSTED_PROXY_COUNT must be 0 or a positive number" in result.stderr


def test_the_trusted_proxy_count_reaches_the_throttles_and_the_lockout():
    code = SETUP.replace(
        "settings.DEBUG",
        "settings.TRUSTED_PROXY_COUNT, settings.REST_FRAMEWORK['NUM_PROXIES'], "
        "settings.AXES_CLIENT_IP_CALLABLE",
    )

    default = run_python("config.settings.local", code)
    behind_two = run_python("config.settings.local", code, DJANGO_TRUSTED_PROXY_COUNT="2")

    assert default.stdout.split() == ["0", "0", "config.client_ip.client_ip"]
    assert behind_two.stdout.split() == ["2", "2", "config.client_ip.client_ip"]


def test_the_idempotency_replay_window_is_read_in_hours():
    code = SETUP.replace("settings.DEBUG", "settings.IDEMPOTENCY_REPLAY_WINDOW")

    default = run_python("config.settings.local", code)
    two_days = run_python("config.settings.local", code, DJANGO_IDEMPOTENCY_WINDOW_HOURS="48")

    assert default.stdout.strip() == "1 day, 0:00:00"
    assert two_days.stdout.strip() == "2 days, 0:00:00"


def test_an_idempotency_replay_window_of_zero_is_refused():
    result = run_python("config.settings.local", SETUP, DJANGO_IDEMPOTENCY_WINDOW_HOURS="0")

    assert result.returncode != 0
    assert "DJANGO_IDEMPOTENCY_WINDOW_HOURS must be a positive number" in result.stderr
