"""shared.settings_probe: many imports of a settings module, one interpreter."""

import pytest

from shared.settings_probe import Case, Outcome, read_settings

SETTINGS = """
import os
from pathlib import Path

if os.environ.get("REFUSE"):
    raise ValueError("REFUSE must not be set")
DEBUG = os.environ.get("DEBUG") == "1"
WHERE = Path.cwd().name
"""


@pytest.fixture
def project(tmp_path):
    package = tmp_path / "project" / "config" / "settings"
    package.mkdir(parents=True)
    for init in (package / "__init__.py", package.parent / "__init__.py"):
        init.write_text("")
    (package / "production.py").write_text(SETTINGS)
    (package / "base.py").write_text("from .production import *  # noqa: F403\nBASE = True\n")
    return tmp_path / "project"


def test_each_case_is_a_fresh_import_under_its_own_environment(project):
    outcomes = read_settings(
        project,
        [
            Case("config.settings.production", {"DEBUG": "1"}, ["DEBUG", "WHERE"]),
            Case("config.settings.production", {}, ["DEBUG"]),
            Case("config.settings.base", {"DEBUG": "1"}, ["DEBUG", "BASE", "MISSING"]),
        ],
    )

    assert [outcome.values for outcome in outcomes] == [
        {"DEBUG": True, "WHERE": "project"},
        {"DEBUG": False},
        {"DEBUG": True, "BASE": True, "MISSING": None},
    ]
    assert outcomes[0]["WHERE"] == "project"


def test_a_module_that_refuses_to_load_is_an_outcome_not_a_failure(project):
    refused, loaded = read_settings(
        project,
        [
            Case("config.settings.production", {"REFUSE": "yes"}, ["DEBUG"]),
            Case("config.settings.production", {}, ["DEBUG"]),
        ],
    )

    assert refused == Outcome(values=None, error="ValueError: REFUSE must not be set")
    assert loaded.values == {"DEBUG": False}
    with pytest.raises(AssertionError, match="refused to load: ValueError"):
        refused["DEBUG"]


def test_the_callers_project_variables_never_reach_a_case(project, monkeypatch):
    monkeypatch.setenv("DJANGO_DEBUG", "leaked")
    (project / "config" / "settings" / "production.py").write_text(
        "import os\nLEAKED = os.environ.get('DJANGO_DEBUG')\n"
    )

    (outcome,) = read_settings(project, [Case("config.settings.production", {}, ["LEAKED"])])

    assert outcome.values == {"LEAKED": None}


def test_a_probe_that_cannot_finish_raises_with_its_error_output(project):
    """An exit is not a refusal to report: it stops the probe itself."""
    (project / "config" / "settings" / "production.py").write_text("raise SystemExit('gone')\n")

    with pytest.raises(RuntimeError, match="the settings probe failed:\ngone"):
        read_settings(project, [Case("config.settings.production")])
