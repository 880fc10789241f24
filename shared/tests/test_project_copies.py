"""The plumbing modules each project keeps its own copy of (a project deploys alone and imports
nothing from another) stay the same file in each: a fix made in one copy and not the
others fails here, not in production. A module only some projects need is compared between
those that keep it."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROJECTS = ("helpdesk", "ecommerce_api", "recipe_platform")


@pytest.mark.parametrize(
    "module",
    [
        "config/composed.py",
        "config/sessions.py",
        "config/planner_statistics.py",
        "config/integer_lookups.py",
        "config/query_links.py",
    ],
)
def test_each_project_keeps_the_same_copy(module):
    copies = {
        project: (ROOT / project / module).read_text()
        for project in PROJECTS
        if (ROOT / project / module).exists()
    }

    assert len(copies) >= 2
    assert len(set(copies.values())) == 1, f"{module} differs between {', '.join(copies)}"
