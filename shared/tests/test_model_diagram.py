"""``shared.model_diagram``: the README's model diagram, generated from Django's model metadata."""

from __future__ import annotations

from pathlib import Path

import pytest

from shared import model_diagram
from shared.model_diagram import (
    END_MARKER,
    START_MARKER,
    DiagramError,
    committed_block,
    project_models,
    render,
    replace_block,
)

TESTS_DIR = Path(__file__).parent

EXPECTED = """\
- `library`: Book, Loan, Member, Shelf, Tag

```mermaid
erDiagram
    Book {
        BigAuto id PK
        BigInteger shelf_id FK "to library.Shelf on delete PROTECT"
        BigInteger editor_id FK "to library.Member on delete SET_NULL, null"
        Char(8) status "choices draft or out, indexed"
        Decimal price "6 digits, 2 decimals"
        Decimal list_price "6 digits, 2 decimals"
        check book_price_in_range "price at least 0 and price at most list_price"
        unique one_book_out_per_shelf "shelf where status is out"
        check draft_has_editor "not (status is draft) or editor is not null"
        unique status_unique_per_shelf "Lower(status), shelf"
    }
    Loan {
        BigAuto id PK
        BigInteger book_id FK "to library.Book on delete CASCADE"
        BigInteger member_id FK "to library.Member on delete CASCADE"
    }
    Member {
        BigAuto id PK
        Char(254) email UK
        Char(200) password
        inherits AbstractBaseUser "last_login"
    }
    Shelf {
        BigAuto id PK
        Char(40) name
        BigInteger keeper_id FK "to library.Member on delete CASCADE, null"
    }
    Tag {
        BigAuto id PK
        Slug(50) label UK
    }
    Shelf ||--o{ Book : "shelf"
    Member |o--o{ Book : "editor"
    Tag }o--o{ Book : "tags"
    Book ||--o{ Loan : "book"
    Member ||--o{ Loan : "member"
    Member |o--o| Shelf : "keeper"
```"""


def test_only_the_projects_own_models_are_drawn_in_a_stable_order():
    models = project_models(TESTS_DIR)

    assert [model._meta.label for model in models] == [
        "library.Book",
        "library.Loan",
        "library.Member",
        "library.Shelf",
        "library.Tag",
    ]


def test_the_diagram_names_fields_keys_relations_and_every_constraint():
    """The whole output, pinned: keys, ``on_delete``, nullability, choices, constraints as prose,
    a library base's fields summarised (``password`` is redeclared, so it is drawn), a plain
    many-to-many as one line and one with a ``through`` model as that model's two keys."""
    assert render(project_models(TESTS_DIR)) == EXPECTED


def test_models_sharing_a_name_across_apps_are_told_apart_by_their_app():
    from django.contrib.auth.models import Group

    from tests.diagram_app.models import Tag

    lookalike = type("Tag", (), {"_meta": type("Meta", (), {"app_label": "auth"})()})

    assert model_diagram._entity_names([Group, Tag]) == {Group: "Group", Tag: "Tag"}
    assert model_diagram._entity_names([Tag, lookalike]) == {
        Tag: "library_Tag",
        lookalike: "auth_Tag",
    }


def test_a_block_between_the_markers_is_replaced_and_the_rest_kept():
    readme = f"# Title\n\nBefore.\n\n{START_MARKER}\nold diagram\n{END_MARKER}\n\nAfter.\n"

    updated = replace_block(readme, "new diagram")

    assert updated == f"# Title\n\nBefore.\n\n{START_MARKER}\nnew diagram\n{END_MARKER}\n\nAfter.\n"
    assert committed_block(updated) == "new diagram"


@pytest.mark.parametrize(
    "readme",
    [
        "no markers at all",
        f"{END_MARKER} before {START_MARKER}",
        f"{START_MARKER} twice {START_MARKER} {END_MARKER}",
    ],
)
def test_a_readme_without_one_clean_pair_of_markers_is_refused(readme):
    with pytest.raises(DiagramError):
        committed_block(readme)


def test_main_writes_the_diagram_then_check_passes_until_the_readme_drifts(tmp_path, monkeypatch):
    project = tmp_path / "project"
    project.mkdir()
    readme = project / "README.md"
    readme.write_text(f"# Library\n\n{START_MARKER}\n{END_MARKER}\n", encoding="utf-8")
    # The project is wherever the README is; point it at the test app's folder.
    monkeypatch.setattr(model_diagram, "project_models", lambda _root: project_models(TESTS_DIR))

    assert model_diagram.main([str(readme), "--check"]) == 1
    assert model_diagram.main([str(readme)]) == 0
    assert committed_block(readme.read_text(encoding="utf-8")) == EXPECTED
    assert model_diagram.main([str(readme), "--check"]) == 0

    readme.write_text(readme.read_text(encoding="utf-8").replace("PROTECT", "CASCADE"))
    assert model_diagram.main([str(readme), "--check"]) == 1
