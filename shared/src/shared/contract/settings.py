"""Production settings refuse to run insecurely; the environment chooses the rest the same way.

Every environment below is read by one probe process (:mod:`shared.settings_probe`) per test
session, instead of one interpreter per check; what needs Django set up (the deployment
checklist, a page's headers, django-axes' view of a request) runs in one more process.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from shared.contract import Deployment
from shared.processes import PRODUCTION, STRONG_KEY, run_python
from shared.settings_probe import Case, Outcome, read_settings

NAMES = (
    "DEBUG",
    "ALLOWED_HOSTS",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "DATABASES",
    "CACHES",
    "TASKS",
    "TASKS_QUEUE_NAME",
    "RQ_QUEUES",
    "INSTALLED_APPS",
    "TRUSTED_PROXY_COUNT",
    "AXES_CLIENT_IP_CALLABLE",
    "AXES_FAILURE_LIMIT",
    "AXES_COOLOFF_TIME",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SECURE",
)
HOST = {"DJANGO_ALLOWED_HOSTS": "example.com"}
POSTGRES_URL = "postgres://app:secret@db.internal:5432/app"
REDIS_URL = "redis://cache.internal:6379/1"
UNFIT_QUEUE_NAMES = ("", "Helpdesk", "help desk", "q" * 33, "rq:queue")

# Each environment the production (or local) settings are read under, by name.
PRODUCTION_ENVIRONMENTS: dict[str, dict[str, str]] = {
    "no secret key": HOST,
    "short secret key": {**HOST, "DJANGO_SECRET_KEY": "short"},
    "development secret key": {**HOST, "DJANGO_SECRET_KEY": "django-insecure-" + "x" * 60},
    "debug": {**PRODUCTION, "DJANGO_DEBUG": "true"},
    "no allowed hosts": {"DJANGO_SECRET_KEY": STRONG_KEY},
    "defaults": dict(PRODUCTION),
    "behind a proxy": {
        **PRODUCTION,
        "DJANGO_SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
        "DJANGO_TRUSTED_PROXY_COUNT": "2",
    },
    "negative proxy count": {**PRODUCTION, "DJANGO_TRUSTED_PROXY_COUNT": "-1"},
    "postgresql and redis": {**PRODUCTION, "DATABASE_URL": POSTGRES_URL, "REDIS_URL": REDIS_URL},
    "second deployment": {**PRODUCTION, "REDIS_URL": REDIS_URL, "DJANGO_TASKS_QUEUE": "site-2"},
    **{
        f"queue name {name!r}": {**PRODUCTION, "DJANGO_TASKS_QUEUE": name}
        for name in UNFIT_QUEUE_NAMES
    },
}

# Run with Django set up under the production defaults, behind nothing, with the variables of
# the lockout's old django-ipware configuration left over in the environment.
STARTED = """
import io, json
import django
django.setup()
from axes.helpers import get_client_ip_address
from django.core.management import call_command
from django.test import Client, RequestFactory, override_settings

report = {}
check = io.StringIO()
call_command("check", "--deploy", "--fail-level", "WARNING", stdout=check)
report["check"] = check.getvalue()
page = Client().get(PAGE, secure=True, HTTP_HOST="example.com")
report["page"] = [page.status_code, page.get("Strict-Transport-Security")]
csrf_cookie = page.cookies["csrftoken"]
report["csrf cookie"] = {"secure": csrf_cookie["secure"], "samesite": csrf_cookie["samesite"]}
forged = RequestFactory().get(
    "/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="6.6.6.6", HTTP_X_REAL_IP="7.7.7.7"
)
report["lockout address"] = get_client_ip_address(forged)
with override_settings(TRUSTED_PROXY_COUNT=1):
    report["lockout address behind one proxy"] = get_client_ip_address(forged)
print(json.dumps(report))
"""


class ProductionSettingsContract:
    """Subclass as ``TestProductionSettings`` beside a ``deployment`` fixture."""

    @pytest.fixture(scope="class")
    @classmethod
    def read(cls, deployment: Deployment) -> dict[str, Outcome]:
        """Every environment above, read in one probe process, by name (plus the local
        settings, with and without ``REDIS_URL``)."""
        cases = [
            Case(deployment.production_settings, env, NAMES)
            for env in PRODUCTION_ENVIRONMENTS.values()
        ]
        cases.append(Case(deployment.local_settings, {}, NAMES))
        cases.append(Case(deployment.local_settings, {"REDIS_URL": REDIS_URL}, NAMES))
        outcomes = read_settings(deployment.project_dir, cases)
        names = [*PRODUCTION_ENVIRONMENTS, "local", "local with redis"]
        return dict(zip(names, outcomes, strict=True))

    @pytest.fixture(scope="class")
    @classmethod
    def started(cls, deployment: Deployment, collected_static: Path) -> dict[str, Any]:
        """What a production process reports once Django is set up (see ``STARTED``)."""
        result = run_python(
            deployment.project_dir,
            deployment.production_settings,
            f"PAGE = {deployment.html_page!r}\n{STARTED}",
            **PRODUCTION,
            DJANGO_STATIC_ROOT=str(collected_static),
            DATABASE_URL=f"sqlite:///{collected_static.parent / 'never-written.sqlite3'}",
            DJANGO_AXES_IPWARE_META_PRECEDENCE_ORDER="HTTP_X_FORWARDED_FOR,REMOTE_ADDR",
            DJANGO_AXES_IPWARE_PROXY_ORDER="left-most",
        )
        assert result.returncode == 0, result.stdout + result.stderr
        report: dict[str, Any] = json.loads(result.stdout.splitlines()[-1])
        return report

    # --- Refusals ---------------------------------------------------------------------------

    def test_production_refuses_to_start_without_a_secret_key(
        self, read: dict[str, Outcome]
    ) -> None:
        assert read["no secret key"].values is None
        assert "DJANGO_SECRET_KEY" in str(read["no secret key"].error)

    @pytest.mark.parametrize("environment", ["short secret key", "development secret key"])
    def test_production_refuses_a_weak_or_development_secret_key(
        self, read: dict[str, Outcome], environment: str
    ) -> None:
        assert "DJANGO_SECRET_KEY must be a random value" in str(read[environment].error)

    def test_production_refuses_debug_mode(self, read: dict[str, Outcome]) -> None:
        assert "DJANGO_DEBUG must not be enabled" in str(read["debug"].error)

    def test_production_requires_allowed_hosts(self, read: dict[str, Outcome]) -> None:
        assert read["no allowed hosts"].values is None
        assert "DJANGO_ALLOWED_HOSTS" in str(read["no allowed hosts"].error)

    def test_a_negative_proxy_count_refuses_to_start(self, read: dict[str, Outcome]) -> None:
        error = str(read["negative proxy count"].error)
        assert "DJANGO_TRUSTED_PROXY_COUNT must be 0 or a positive number" in error

    @pytest.mark.parametrize("name", UNFIT_QUEUE_NAMES)
    def test_a_queue_name_redis_or_the_database_cannot_hold_refuses_to_start(
        self, read: dict[str, Outcome], name: str
    ) -> None:
        error = str(read[f"queue name {name!r}"].error)
        assert "DJANGO_TASKS_QUEUE must be 1 to 32 lowercase letters" in error

    # --- What production runs with ----------------------------------------------------------

    def test_production_runs_with_debug_off_when_configured(self, read: dict[str, Outcome]) -> None:
        assert read["defaults"]["DEBUG"] is False
        assert read["defaults"]["ALLOWED_HOSTS"] == ["example.com"]

    def test_local_settings_run_with_debug_on_and_no_environment(
        self, read: dict[str, Outcome]
    ) -> None:
        assert read["local"]["DEBUG"] is True

    def test_production_passes_the_deployment_checklist(self, started: dict[str, Any]) -> None:
        assert "no issues" in started["check"]

    def test_production_pages_carry_one_year_of_hsts_with_subdomains_and_preload(
        self, read: dict[str, Outcome], started: dict[str, Any]
    ) -> None:
        defaults = read["defaults"]
        assert defaults["SECURE_HSTS_SECONDS"] == 31536000
        assert defaults["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
        assert defaults["SECURE_HSTS_PRELOAD"] is True
        assert started["page"] == [200, "max-age=31536000; includeSubDomains; preload"]

    def test_production_cookies_go_over_https_only_and_the_session_out_of_scripts_reach(
        self, read: dict[str, Outcome], started: dict[str, Any]
    ) -> None:
        """The CSRF cookie stays readable by scripts (Django's default; forms carry the token)."""
        defaults = read["defaults"]
        assert defaults["SESSION_COOKIE_SECURE"] is True
        assert defaults["CSRF_COOKIE_SECURE"] is True
        assert defaults["SESSION_COOKIE_HTTPONLY"] is True
        assert started["csrf cookie"] == {"secure": True, "samesite": "Lax"}

    def test_production_trusts_the_proxy_header_only_when_told(
        self, read: dict[str, Outcome]
    ) -> None:
        assert read["defaults"]["SECURE_PROXY_SSL_HEADER"] is None
        assert read["behind a proxy"]["SECURE_PROXY_SSL_HEADER"] == [
            "HTTP_X_FORWARDED_PROTO",
            "https",
        ]

    # --- The database -----------------------------------------------------------------------

    def test_default_sqlite_waits_for_the_write_lock_instead_of_failing(
        self, read: dict[str, Outcome]
    ) -> None:
        for environment in ("local", "defaults"):
            options = read[environment]["DATABASES"]["default"]["OPTIONS"]
            assert options["transaction_mode"] == "IMMEDIATE"
            assert "journal_mode=WAL" in options["init_command"]
            assert options["timeout"] == 20

    def test_postgresql_from_database_url_keeps_health_checked_persistent_connections(
        self, read: dict[str, Outcome]
    ) -> None:
        """...and gives up connecting after 3 seconds: a database host that does not answer
        fails the request (503) instead of holding a worker."""
        database = read["postgresql and redis"]["DATABASES"]["default"]

        assert database["ENGINE"] == "django.db.backends.postgresql"
        assert (database["NAME"], database["HOST"]) == ("app", "db.internal")
        assert database["CONN_MAX_AGE"] == 60
        assert database["CONN_HEALTH_CHECKS"] is True
        assert database["OPTIONS"]["connect_timeout"] == 3
        assert "transaction_mode" not in database["OPTIONS"]

    # --- The cache and the task queue -------------------------------------------------------

    def test_without_redis_the_cache_is_a_database_table_every_process_shares(
        self, read: dict[str, Outcome]
    ) -> None:
        """Never the per-process local memory: throttles and lockouts must add up across
        gunicorn's workers."""
        for environment in ("defaults", "local"):
            caches = read[environment]["CACHES"].values()
            assert {cache["BACKEND"] for cache in caches} == {
                "django.core.cache.backends.db.DatabaseCache"
            }

    def test_with_redis_url_the_cache_is_the_resilient_redis_cache(
        self, read: dict[str, Outcome]
    ) -> None:
        for environment in ("postgresql and redis", "local with redis"):
            caches = read[environment]["CACHES"].values()
            assert {cache["BACKEND"] for cache in caches} == {"config.cache.ResilientRedisCache"}
            assert all(cache["LOCATION"].startswith(REDIS_URL) for cache in caches)

    def test_production_tasks_go_to_the_database_queue_without_redis(
        self, read: dict[str, Outcome], deployment: Deployment
    ) -> None:
        defaults = read["defaults"]
        assert defaults["TASKS"] == {
            "default": {
                "BACKEND": "django_tasks_db.DatabaseBackend",
                "QUEUES": [deployment.queue_name],
            }
        }
        assert {"django_tasks", "django_tasks_db"} <= set(defaults["INSTALLED_APPS"])
        assert "django_rq" not in defaults["INSTALLED_APPS"]

    def test_production_tasks_go_to_rq_on_redis_when_redis_url_is_set(
        self, read: dict[str, Outcome], deployment: Deployment
    ) -> None:
        configured = read["postgresql and redis"]
        assert configured["TASKS"] == {
            "default": {
                "BACKEND": "django_tasks_rq.RQBackend",
                "QUEUES": [deployment.queue_name],
            }
        }
        assert deployment.queue_name in configured["RQ_QUEUES"]
        assert configured["RQ_QUEUES"][deployment.queue_name]["URL"].startswith(REDIS_URL)
        assert {"django_rq", "django_tasks", "django_tasks_rq"} <= set(configured["INSTALLED_APPS"])

    def test_the_task_queue_can_be_renamed_for_a_second_deployment_on_one_redis(
        self, read: dict[str, Outcome]
    ) -> None:
        second = read["second deployment"]
        assert second["TASKS_QUEUE_NAME"] == "site-2"
        assert second["TASKS"]["default"]["QUEUES"] == ["site-2"]
        assert "site-2" in second["RQ_QUEUES"]
        assert second["RQ_QUEUES"]["site-2"]["URL"].startswith(REDIS_URL)

    # --- The login lockout ------------------------------------------------------------------

    def test_the_readmes_lockout_is_five_failures_for_15_minutes(
        self, read: dict[str, Outcome]
    ) -> None:
        assert read["defaults"]["AXES_FAILURE_LIMIT"] == 5
        assert read["defaults"]["AXES_COOLOFF_TIME"] == "0:15:00"

    def test_production_lockout_trusts_no_forwarding_header_by_default(
        self, read: dict[str, Outcome], started: dict[str, Any]
    ) -> None:
        assert read["defaults"]["TRUSTED_PROXY_COUNT"] == 0
        assert read["defaults"]["AXES_CLIENT_IP_CALLABLE"] == "config.client_ip.client_ip"
        assert started["lockout address"] == "10.0.0.9"

    def test_production_lockout_trusts_the_proxies_the_environment_declares(
        self, read: dict[str, Outcome], started: dict[str, Any]
    ) -> None:
        assert read["behind a proxy"]["TRUSTED_PROXY_COUNT"] == 2
        assert started["lockout address behind one proxy"] == "6.6.6.6"

    def test_the_old_ipware_variables_no_longer_make_the_lockout_trust_a_header(
        self, started: dict[str, Any]
    ) -> None:
        """``started`` runs with them set: the address is still the peer's (config.client_ip)."""
        assert started["lockout address"] == "10.0.0.9"
