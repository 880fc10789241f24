"""``shared.rule_map``: the "Where each rule lives" table must point at code that exists."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from shared.rule_map import (
    END_MARKER,
    START_MARKER,
    Reference,
    RuleMapError,
    broken_references,
    defines,
    references,
)

MODULE = """\
LIMIT = 5
TIMEOUT: float = 1.5


def place_order():
    pass


class OrderQuerySet:
    owned_by = None

    def for_customer(self):
        pass

    class Inner:
        def deep(self):
            pass
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "orders").mkdir()
    (tmp_path / "orders" / "services.py").write_text(MODULE, encoding="utf-8")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "base.html").write_text("<html></html>", encoding="utf-8")
    return tmp_path


def table(*rows: str) -> str:
    body = "\n".join(rows)
    return textwrap.dedent(
        f"""\
        # Project

        Outside the table `orders/gone.py::nothing` is not checked.

        {START_MARKER}
        | Rule | Enforced by | Proved by |
        |---|---|---|
        {body}
        {END_MARKER}
        """
    ).replace("        |", "|")


@pytest.mark.parametrize(
    "name",
    [
        "LIMIT",
        "TIMEOUT",
        "place_order",
        "OrderQuerySet",
        "OrderQuerySet.for_customer",
        "OrderQuerySet.owned_by",
        "OrderQuerySet.Inner.deep",
    ],
)
def test_functions_classes_methods_and_module_constants_are_found(project, name):
    assert defines(project / "orders" / "services.py", name)


@pytest.mark.parametrize(
    "name",
    ["place_orders", "OrderQuerySet.missing", "Missing.for_customer", "for_customer", "deep"],
)
def test_a_misspelt_or_moved_name_is_not_found(project, name):
    assert not defines(project / "orders" / "services.py", name)


def test_a_name_inside_a_file_that_is_not_python_is_never_found(project):
    assert not defines(project / "templates" / "base.html", "html")


def test_only_references_in_the_tables_rows_are_read(project):
    readme = table(
        "| No oversell | `orders/services.py::place_order` | `tests/test_orders.py` |",
        "| Layout | `templates/base.html`, `templates/` | seen |",
    )

    assert references(readme) == [
        Reference("orders/services.py", "place_order"),
        Reference("tests/test_orders.py", None),
        Reference("templates/base.html", None),
        Reference("templates/", None),
    ]


def test_a_table_that_matches_the_code_has_no_broken_reference(project):
    readme = table(
        "| Limit | `orders/services.py::LIMIT` | `orders/services.py::OrderQuerySet.Inner.deep` |",
        "| Layout | `templates/base.html` | `templates/` |",
    )

    assert broken_references(readme, project) == []


def test_renamed_functions_and_moved_files_are_each_reported(project):
    readme = table(
        "| Oversell | `orders/services.py::place_order_atomically` | `orders/tests.py` |",
        "| Scope | `orders/services.py::OrderQuerySet.for_customer` | `templates/base.html` |",
    )

    assert broken_references(readme, project) == [
        "orders/services.py::place_order_atomically: place_order_atomically is not defined there",
        "orders/tests.py: no such file or folder",
    ]


@pytest.mark.parametrize(
    "readme",
    [
        "no table at all",
        f"{START_MARKER}\n| Rule | Where |\n|---|---|\n| words only | nothing |\n{END_MARKER}",
        f"{START_MARKER}\n{START_MARKER}\n| x | `a.py` |\n{END_MARKER}",
    ],
)
def test_a_missing_or_empty_table_is_an_error_not_a_pass(readme):
    with pytest.raises(RuleMapError):
        references(readme)
