"""Mermaid entity-relationship diagrams of a project's own models, generated from Django's metadata.

A README diagram drawn by hand is wrong the week after it is drawn. This one is written by
``nox -s "diagrams(<project>)"`` between two markers in the project's README, and each project has
a test that renders it again and compares: a model change that forgets the diagram fails CI.

What a reviewer wants from the picture decides what is in it: the project's own models (not
Django's or a library's), each field the project declares (fields inherited from a library's
abstract base, such as the two dozen of ``AbstractUser``, are left out unless the project
redeclares them), keys, relations with their ``on_delete``, and every database constraint by
name. The syntax stays within what GitHub's Mermaid has rendered for years: plain entity names,
attribute types without commas, every label quoted.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeGuard

if TYPE_CHECKING:
    from django.db.models import Field, Model

START_MARKER = "<!-- models:start -->"
END_MARKER = "<!-- models:end -->"

# Characters Mermaid accepts inside a quoted label; anything else becomes a space.
_UNSAFE_IN_LABEL = re.compile(r'["\n\r{}<>#;]')


class DiagramError(ValueError):
    """The README has no (or a broken) pair of diagram markers."""


def project_models(base_dir: Path) -> list[type[Model]]:
    """The concrete models of the apps whose code lives under ``base_dir``, in a stable order."""
    from django.apps import apps

    root = base_dir.resolve()
    models = [
        model
        for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(root)
        for model in config.get_models()
        if not model._meta.proxy
    ]
    return sorted(models, key=lambda model: (model._meta.app_label, model.__name__))


def render(models: Sequence[type[Model]]) -> str:
    """The Markdown block (an app index and a fenced ``erDiagram``) for ``models``."""
    names = _entity_names(models)
    lines = ["```mermaid", "erDiagram"]
    for model in models:
        lines.append(f"    {names[model]} {{")
        lines.extend(f"        {attribute}" for attribute in _attributes(model))
        lines.append("    }")
    lines.extend(f"    {relation}" for relation in _relations(models, names))
    lines.append("```")
    return "\n".join([*_app_index(models, names), "", *lines])


def replace_block(readme: str, block: str) -> str:
    """``readme`` with the text between the markers replaced by ``block``."""
    start, end = _marker_span(readme)
    return f"{readme[:start]}\n{block}\n{readme[end:]}"


def committed_block(readme: str) -> str:
    """The diagram block currently between the markers of ``readme``."""
    start, end = _marker_span(readme)
    return readme[start:end].strip("\n")


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m shared.model_diagram README.md [--check]``, run with the project's settings."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("readme", type=Path, help="the project's README, holding the markers")
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if the README's diagram is out of date"
    )
    arguments = parser.parse_args(argv)

    import django

    django.setup()
    readme_path: Path = arguments.readme
    readme = readme_path.read_text(encoding="utf-8")
    block = render(project_models(readme_path.resolve().parent))
    if arguments.check:
        if committed_block(readme) != block:
            sys.stderr.write(f"{readme_path}: the model diagram is out of date.\n")
            return 1
        return 0
    readme_path.write_text(replace_block(readme, block), encoding="utf-8")
    return 0


def _marker_span(readme: str) -> tuple[int, int]:
    start = readme.find(START_MARKER)
    end = readme.find(END_MARKER)
    if start < 0 or end < 0 or end < start or readme.count(START_MARKER) != 1:
        raise DiagramError(f"expected one {START_MARKER} ... {END_MARKER} pair")
    return start + len(START_MARKER), end


def _entity_names(models: Sequence[type[Model]]) -> dict[type[Model], str]:
    """Model names, prefixed with their app's label only where two apps share a name."""
    counts: dict[str, int] = {}
    for model in models:
        counts[model.__name__] = counts.get(model.__name__, 0) + 1
    return {
        model: (
            model.__name__
            if counts[model.__name__] == 1
            else f"{model._meta.app_label}_{model.__name__}"
        )
        for model in models
    }


def _app_index(models: Sequence[type[Model]], names: dict[type[Model], str]) -> list[str]:
    by_app: dict[str, list[str]] = {}
    for model in models:
        by_app.setdefault(model._meta.app_label, []).append(names[model])
    return [f"- `{app}`: {', '.join(entities)}" for app, entities in by_app.items()]


def _declared_fields(model: type[Model]) -> list[Field[Any, Any]]:
    """Concrete fields of ``model`` minus those a library's abstract base declares unchanged.

    A field copied from an abstract base keeps the base field's ``creation_counter``; one the
    project redeclares gets a new one, so it stays in the picture.
    """
    project_root = Path(model._meta.app_config.path).resolve().parent
    inherited = {
        (field.name, field.creation_counter)
        for base in model.__mro__[1:]
        if _is_library_abstract_base(base, project_root=project_root)
        for field in base._meta.local_fields
    }
    return [
        field
        for field in model._meta.concrete_fields
        if (field.name, field.creation_counter) not in inherited
    ]


def _inherited_summary(model: type[Model], drawn: set[str]) -> list[str]:
    """One line per library base naming the fields it adds: ``User`` still shows ``is_staff``."""
    project_root = Path(model._meta.app_config.path).resolve().parent
    lines = []
    for base in model.__mro__[1:]:
        if not _is_library_abstract_base(base, project_root=project_root):
            continue
        names = [field.name for field in base._meta.local_fields if field.name not in drawn]
        drawn.update(names)
        if names:
            lines.append(f'inherits {base.__name__} "{_label(", ".join(names))}"')
    return lines


def _is_library_abstract_base(base: type, *, project_root: Path) -> TypeGuard[type[Model]]:
    """Whether ``base`` is an abstract model whose code lives outside the project (a library's)."""
    meta = getattr(base, "_meta", None)
    if meta is None or not getattr(meta, "abstract", False):
        return False
    module_file = getattr(sys.modules.get(base.__module__), "__file__", None)
    return module_file is None or not Path(module_file).resolve().is_relative_to(project_root)


def _attributes(model: type[Model]) -> list[str]:
    fields = sorted(_declared_fields(model), key=lambda field: (not field.primary_key,))
    lines = [_attribute(field) for field in fields]
    lines.extend(_inherited_summary(model, {field.name for field in fields}))
    lines.extend(_constraint(constraint) for constraint in model._meta.constraints)
    return lines


def _attribute(field: Field[Any, Any]) -> str:
    key = "PK" if field.primary_key else "FK" if field.is_relation else "UK" if field.unique else ""
    notes: list[str] = []
    if field.is_relation and field.related_model is not None:
        remote = field.related_model._meta.label
        on_delete = getattr(getattr(field, "remote_field", None), "on_delete", None)
        notes.append(f"to {remote} on delete {getattr(on_delete, '__name__', '?')}")
    if field.get_internal_type() == "DecimalField":
        digits, places = getattr(field, "max_digits", None), getattr(field, "decimal_places", None)
        notes.append(f"{digits} digits, {places} decimals")
    if field.null:
        notes.append("null")
    if field.choices and not field.is_relation:
        notes.append("choices " + " or ".join(str(value) for value, _label in field.flatchoices))
    if getattr(field, "db_index", False) and not field.is_relation and not field.unique:
        notes.append("indexed")
    column = field.attname
    parts = [_field_type(field), column, key, f'"{_label(", ".join(notes))}"' if notes else ""]
    return " ".join(part for part in parts if part)


def _field_type(field: Field[Any, Any]) -> str:
    internal = field.get_internal_type()
    target_field = getattr(field, "target_field", None) if field.is_relation else None
    if target_field is not None:
        internal = target_field.get_internal_type()
        internal = {"AutoField": "IntegerField", "BigAutoField": "BigIntegerField"}.get(
            internal, internal
        )
    name = internal.removesuffix("Field") or internal
    max_length = getattr(field, "max_length", None)
    if max_length and name in {"Char", "Slug", "Email", "URL"}:
        return f"{name}({max_length})"
    return name


def _constraint(constraint: object) -> str:
    from django.db.models import CheckConstraint, UniqueConstraint

    name = getattr(constraint, "name", "")
    if isinstance(constraint, UniqueConstraint):
        kind = "unique"
        detail = ", ".join(constraint.fields) or ", ".join(
            _describe_value(expression) for expression in constraint.expressions
        )
        if constraint.condition is not None:
            detail += " where " + _describe_condition(constraint.condition)
    elif isinstance(constraint, CheckConstraint):
        kind, detail = "check", _describe_condition(constraint.condition)
    else:
        kind, detail = "constraint", type(constraint).__name__
    return f'{kind} {name} "{_label(detail)}"'


# ``F(name)`` and ``Value(1)`` in an expression's repr: the name or value is what a reader wants.
_EXPRESSION_NOISE = re.compile(r"\b(?:F|Value)\(([^()]*)\)")

# Words, not symbols: "<" and ">" in a label are read as markup by some Mermaid renderers.
_LOOKUP_WORDS = {
    "exact": "is",
    "iexact": "is (any case)",
    "lt": "below",
    "lte": "at most",
    "gt": "above",
    "gte": "at least",
    "in": "in",
    "contains": "contains",
    "startswith": "starts with",
    "regex": "matches",
}


def _describe_condition(condition: object) -> str:
    """A ``Q`` as short prose: ``status in pending, sent and attempts at most 8``."""
    from django.db.models import Q

    if not isinstance(condition, Q):
        return _describe_value(condition)
    parts = [
        _describe_condition(child)
        if isinstance(child, Q)
        else _describe_lookup(*child)
        if isinstance(child, tuple)
        else _describe_value(child)
        for child in condition.children
    ]
    joiner = f" {condition.connector.lower()} "
    text = joiner.join(f"({part})" if " or " in part or " and " in part else part for part in parts)
    return f"not ({text})" if condition.negated else text


def _describe_lookup(lookup: str, value: object) -> str:
    field, _, operator = lookup.rpartition("__")
    if operator not in _LOOKUP_WORDS and operator != "isnull":
        field, operator = lookup, "exact"
    if operator == "isnull":
        return f"{field} is {'' if value else 'not '}null"
    return f"{field} {_LOOKUP_WORDS[operator]} {_describe_value(value)}"


def _describe_value(value: object) -> str:
    from django.db.models import F

    if isinstance(value, F):
        return str(value.name)  # type: ignore[attr-defined]  # F stores the name it was given
    if isinstance(value, (list, tuple, set, frozenset)):
        return ", ".join(_describe_value(item) for item in value)
    if isinstance(value, str):
        return repr(value) if value == "" else str(value)
    if hasattr(value, "resolve_expression"):  # Lower(F(email)) reads as Lower(email)
        return _EXPRESSION_NOISE.sub(r"\1", str(value))
    return str(getattr(value, "value", value))


def _relations(models: Sequence[type[Model]], names: dict[type[Model], str]) -> Iterable[str]:
    """One line per relation between two drawn models, the target on the left (Mermaid's habit)."""
    for model in models:
        for field in _declared_fields(model) + list(model._meta.local_many_to_many):
            target = field.related_model
            if not isinstance(target, type) or target not in names:
                continue
            if field.many_to_many:
                through = getattr(field.remote_field, "through", None)
                if through is not None and through in names:
                    continue  # drawn already, as a model with two foreign keys
                cardinality = "}o--o{"
            elif field.one_to_one:
                cardinality = "|o--o|" if field.null else "||--o|"
            else:
                cardinality = "|o--o{" if field.null else "||--o{"
            yield f'{names[target]} {cardinality} {names[model]} : "{_label(field.name)}"'


def _label(text: str) -> str:
    return " ".join(_UNSAFE_IN_LABEL.sub(" ", text).split())


if __name__ == "__main__":  # pragma: no cover - exercised through the nox session
    raise SystemExit(main())
