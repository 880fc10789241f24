import json
from pathlib import Path

import pytest

from shared.processes import PRODUCTION, STRONG_KEY, clean_environment, collect_static, run_python

PRINT_ENVIRONMENT = "import json, os; print(json.dumps(dict(os.environ)))"
PRODUCTION_SETTINGS = """
import os
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
ALLOWED_HOSTS = os.environ["DJANGO_ALLOWED_HOSTS"].split(",")
INSTALLED_APPS = ["django.contrib.staticfiles"]
STATIC_URL = "static/"
STATIC_ROOT = os.environ["DJANGO_STATIC_ROOT"]
STATICFILES_DIRS = ["assets"]
"""


def _project(root: Path, settings: str = PRODUCTION_SETTINGS) -> Path:
    """A minimal project folder: config/settings/production.py and one static file."""
    (root / "config" / "settings").mkdir(parents=True)
    (root / "config" / "__init__.py").touch()
    (root / "config" / "settings" / "__init__.py").touch()
    (root / "config" / "settings" / "production.py").write_text(settings)
    (root / "assets").mkdir()
    (root / "assets" / "site.css").write_text("body { color: black; }")
    return root


def test_clean_environment_drops_every_project_setting_of_the_caller(monkeypatch):
    for name in ("DJANGO_DEBUG", "GUNICORN_HOST", "DATABASE_URL", "REDIS_URL", "PORT"):
        monkeypatch.setenv(name, "from-the-caller")
    monkeypatch.setenv("WEB_CONCURRENCY", "9")

    environment = clean_environment("config.settings.test")

    assert not {"DJANGO_DEBUG", "GUNICORN_HOST", "DATABASE_URL", "REDIS_URL", "PORT"} & set(
        environment
    )
    assert "WEB_CONCURRENCY" not in environment


def test_clean_environment_keeps_the_rest_and_adds_the_settings_module_and_given_values(
    monkeypatch,
):
    monkeypatch.setenv("HOME_OF_THE_TEST", "kept")

    environment = clean_environment("config.settings.production", DJANGO_DEBUG="false")

    assert environment["HOME_OF_THE_TEST"] == "kept"
    assert environment["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
    assert environment["DJANGO_DEBUG"] == "false"


def test_production_environment_has_a_strong_key_and_an_allowed_host():
    assert PRODUCTION["DJANGO_SECRET_KEY"] == STRONG_KEY
    assert len(set(STRONG_KEY)) >= 5
    assert len(STRONG_KEY) >= 50
    assert PRODUCTION["DJANGO_ALLOWED_HOSTS"] == "example.com"


def test_run_python_runs_in_the_project_folder_with_only_the_chosen_environment(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("DJANGO_SECRET_KEY", "leaked-from-the-caller")

    result = run_python(
        tmp_path,
        "config.settings.local",
        PRINT_ENVIRONMENT + "; print(os.getcwd())",
        REDIS_URL="redis://127.0.0.1:6379/3",
    )

    assert result.returncode == 0, result.stderr
    printed_environment, cwd = result.stdout.splitlines()
    environment = json.loads(printed_environment)
    assert Path(cwd).resolve() == tmp_path.resolve()
    assert environment["DJANGO_SETTINGS_MODULE"] == "config.settings.local"
    assert environment["REDIS_URL"] == "redis://127.0.0.1:6379/3"
    assert "DJANGO_SECRET_KEY" not in environment


def test_run_python_reports_a_failing_interpreter_instead_of_raising(tmp_path):
    result = run_python(tmp_path, "config.settings.local", "raise SystemExit('refused')")

    assert result.returncode == 1
    assert "refused" in result.stderr


def test_collect_static_copies_the_static_files_with_production_settings(tmp_path):
    project = _project(tmp_path / "project")
    static_root = tmp_path / "static"

    collect_static(project, static_root)

    assert (static_root / "site.css").read_text() == "body { color: black; }"


def test_collect_static_fails_with_the_commands_error_output(tmp_path):
    project = _project(tmp_path / "project", PRODUCTION_SETTINGS + "\nraise ValueError('no key')\n")

    with pytest.raises(RuntimeError, match=r"(?s)collectstatic failed.*no key"):
        collect_static(project, tmp_path / "static")
