"""Check a README's "Where each rule lives" table against the code it points at.

The table maps each rule a reviewer looks for to the function that enforces it and the test that
proves it, written as code references: `` `tickets/models.py::TicketQuerySet.visible_to` ``.
A rename that the table does not follow would send the reader to nothing, so each project's
test calls :func:`broken_references` on its README and expects an empty list.

A reference is ``path`` (a file or folder, relative to the project) optionally followed by
``::`` and a dotted name defined in that Python file: a class, a function, a method, or a
module-level assignment (a setting, a constant). Names are found by parsing the file
(:mod:`ast`), never by importing it, so the check needs no settings and runs no project code.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

START_MARKER = "<!-- rules:start -->"
END_MARKER = "<!-- rules:end -->"

# `path/to/file.py::Name.attribute` or `path/to/folder/` inside backticks, in a table row.
_REFERENCE = re.compile(
    r"`(?P<path>[\w./-]+\.(?:py|html|toml|txt|md)|[\w./-]+/)(?:::(?P<name>[\w.]+))?`"
)


class RuleMapError(ValueError):
    """The README has no rules table between one clean pair of markers."""


@dataclass(frozen=True)
class Reference:
    """One code reference of the table: ``path`` and, for a Python file, an optional ``name``."""

    path: str
    name: str | None

    def __str__(self) -> str:
        return f"{self.path}::{self.name}" if self.name else self.path


def references(readme: str) -> list[Reference]:
    """Every code reference in the table rows between the markers of ``readme``."""
    start = readme.find(START_MARKER)
    end = readme.find(END_MARKER)
    if start < 0 or end < start or readme.count(START_MARKER) != 1:
        raise RuleMapError(f"expected one {START_MARKER} ... {END_MARKER} pair")
    rows = [line for line in readme[start:end].splitlines() if line.startswith("|")]
    found = [
        Reference(match["path"], match["name"])
        for row in rows
        for match in _REFERENCE.finditer(row)
    ]
    if not found:
        raise RuleMapError("the rules table holds no code reference")
    return found


def broken_references(readme: str, project_dir: Path) -> list[str]:
    """One line per reference of the table that names a missing file or an undefined name."""
    problems = []
    for reference in references(readme):
        target = project_dir / reference.path
        if not target.exists():
            problems.append(f"{reference}: no such file or folder")
        elif reference.name and not defines(target, reference.name):
            problems.append(f"{reference}: {reference.name} is not defined there")
    return problems


def defines(python_file: Path, dotted_name: str) -> bool:
    """Whether ``python_file`` defines ``dotted_name`` (a class, ``Class.method``, a constant)."""
    if python_file.suffix != ".py":
        return False
    scope: list[ast.stmt] = ast.parse(python_file.read_text(encoding="utf-8")).body
    *outer, last = dotted_name.split(".")
    for part in outer:
        classes = [node for node in scope if isinstance(node, ast.ClassDef) and node.name == part]
        if not classes:
            return False
        scope = classes[0].body
    return last in _names_defined(scope)


def _names_defined(body: list[ast.stmt]) -> set[str]:
    names: set[str] = set()
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(target.id for target in node.targets if isinstance(target, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names
