"""Production settings refuse to run insecurely; checked in a fresh interpreter each time."""

import json

import pytest
from shared.processes import PRODUCTION, STRONG_KEY

from tests.processes import run_python


def _run_with_production_settings(code: str, **env: str):
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


def test_default_sqlite_waits_for_the_write_lock_instead_of_failing():
    code = SETUP.replace(
        "print(settings.DEBUG)",
        "options = settings.DATABASES['default']['OPTIONS']; "
        "print(options['transaction_mode'], 'journal_mode=WAL' in options['init_command'], "
        "options['timeout'])",
    )
    result = run_python("config.settings.local", code)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "IMMEDIATE True 20"


def test_postgresql_from_database_url_keeps_health_checked_persistent_connections():
    """...and gives up connecting after 3 seconds: a database host that does not answer
    fails the request (503) instead of holding a worker."""
    code = SETUP.replace(
        "print(settings.DEBUG)",
        "db = settings.DATABASES['default']; "
        "print(db['ENGINE'], db['NAME'], db['CONN_MAX_AGE'], db['CONN_HEALTH_CHECKS'], "
        "db['OPTIONS']['connect_timeout'])",
    )
    result = _run_with_production_settings(
        code, DATABASE_URL="postgres://helpdesk:secret@db.internal:5432/helpdesk", **PRODUCTION
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.db.backends.postgresql helpdesk 60 True 3"


CACHE_BACKEND = SETUP.replace("settings.DEBUG", "settings.CACHES['default']['BACKEND']")


def test_production_cache_is_the_database_table_without_redis():
    result = _run_with_production_settings(CACHE_BACKEND, **PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.core.cache.backends.db.DatabaseCache"


def test_production_cache_is_redis_when_redis_url_is_set():
    result = _run_with_production_settings(
        CACHE_BACKEND, REDIS_URL="redis://127.0.0.1:6379/1", **PRODUCTION
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "config.cache.ResilientRedisCache"


TASKS = SETUP.replace(
    "print(settings.DEBUG)",
    "import json; print(json.dumps([settings.TASKS, getattr(settings, 'RQ_QUEUES', None), "
    "[app for app in settings.INSTALLED_APPS if 'rq' in app or 'tasks' in app]]))",
)


def test_production_tasks_go_to_the_database_queue_without_redis():
    result = _run_with_production_settings(TASKS, **PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["helpdesk"]}},
        None,
        ["django_tasks", "django_tasks_db"],
    ]


def test_production_tasks_go_to_rq_on_redis_in_a_queue_of_their_own():
    result = _run_with_production_settings(
        TASKS, REDIS_URL="redis://127.0.0.1:6379/1", DJANGO_TASKS_QUEUE="helpdesk-eu", **PRODUCTION
    )

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["helpdesk-eu"]}},
        {
            "helpdesk-eu": {
                "URL": "redis://127.0.0.1:6379/1?socket_connect_timeout=0.25&socket_timeout=1"
            }
        },
        ["django_tasks", "django_tasks_db", "django_rq", "django_tasks_rq"],
    ]


@pytest.mark.parametrize("name", ["", "Helpdesk", "help desk", "q" * 33, "rq:queue"])
def test_a_queue_name_redis_or_the_database_cannot_hold_refuses_to_start(name):
    result = _run_with_production_settings(SETUP, DJANGO_TASKS_QUEUE=name, **PRODUCTION)

    assert result.returncode != 0
    assert "DJANGO_TASKS_QUEUE must be 1 to 32 lowercase letters" in result.stderr


PROXY_COUNT = SETUP.replace(
    "print(settings.DEBUG)",
    "print(settings.TRUSTED_PROXY_COUNT, settings.AXES_CLIENT_IP_CALLABLE)",
)


def test_production_lockout_trusts_no_forwarding_header_by_default():
    result = _run_with_production_settings(PROXY_COUNT, **PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "0 config.client_ip.client_ip"


def test_production_lockout_trusts_the_proxies_the_environment_declares():
    result = _run_with_production_settings(
        PROXY_COUNT, DJANGO_TRUSTED_PROXY_COUNT="2", **PRODUCTION
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "2 config.client_ip.client_ip"


def test_a_negative_proxy_count_refuses_to_start():
    result = _run_with_production_settings(SETUP, DJANGO_TRUSTED_PROXY_COUNT="-1", **PRODUCTION)

    assert result.returncode != 0
    assert "DJANGO_TRUSTED_PROXY_COUNT must be 0 or a positive number" in result.stderr


def test_the_old_ipware_variables_no_longer_make_the_lockout_trust_a_header():
    code = SETUP.replace(
        "print(settings.DEBUG)",
        "from axes.helpers import get_client_ip_address; from django.test import RequestFactory; "
        "request = RequestFactory().get('/', REMOTE_ADDR='10.0.0.9', "
        "HTTP_X_FORWARDED_FOR='6.6.6.6'); print(get_client_ip_address(request))",
    )
    result = _run_with_production_settings(
        code,
        DJANGO_AXES_IPWARE_META_PRECEDENCE_ORDER="HTTP_X_FORWARDED_FOR,REMOTE_ADDR",
        DJANGO_AXES_IPWARE_PROXY_ORDER="left-most",
        **PRODUCTION,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "10.0.0.9"


HTTPS_LOGIN_PAGE_HEADERS = """
import django; django.setup()
from django.test import Client
response = Client().get("/accounts/login/", secure=True, HTTP_HOST="example.com")
print(response.status_code)
print(response["Strict-Transport-Security"])
"""


def test_production_pages_carry_one_year_of_hsts_with_subdomains_and_preload(collected_static):
    result = _run_with_production_settings(
        HTTPS_LOGIN_PAGE_HEADERS, DJANGO_STATIC_ROOT=str(collected_static), **PRODUCTION
    )

    assert result.returncode == 0, result.stderr
    status, hsts = result.stdout.strip().splitlines()
    assert status == "200"
    assert hsts == "max-age=31536000; includeSubDomains; preload"
