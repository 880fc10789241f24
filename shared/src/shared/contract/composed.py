"""``config.composed`` (the same module in the projects that use it): a QuerySet composed once
per shape by the ORM and sent again with new values only when that is safe.

Each project runs it against one of its own models with a text field, through
``composed_model`` and ``composed_text_field`` on its ``TestComposed`` subclass. How the
project's own pages use the module is tested beside them.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType
from typing import Any, ClassVar

import pytest
from django.db import models

from shared.contract.sessions import compiled_queries

#: A text no request sends, standing for a value while a shape is composed.
MARKER = "\x00composed-marker"


@pytest.mark.django_db
@pytest.mark.usefixtures("nothing_composed_yet")
class ComposedContract:
    """Subclass as ``TestComposed`` with ``composed_model`` and ``composed_text_field``."""

    composed_model: ClassVar[type[models.Model]]
    composed_text_field: ClassVar[str]

    @property
    def composed(self) -> ModuleType:
        return import_module("config.composed")

    def _objects(self) -> models.QuerySet[Any]:
        return self.composed_model._default_manager.all()

    def test_each_marker_becomes_a_slot_bound_to_the_requests_value(self) -> None:
        exact = {f"{self.composed_text_field}__exact": MARKER}
        statement = self.composed.compose(self._objects().filter(**exact), {"text": MARKER})

        assert statement.params == (self.composed.Slot("text"),)
        assert statement.bound({"text": "asked"}) == ["asked"]

    def test_a_lookup_that_rewrites_its_value_cannot_be_composed(self) -> None:
        contains = {f"{self.composed_text_field}__icontains": MARKER}

        with pytest.raises(self.composed.Uncomposable):
            self.composed.compose(self._objects().filter(**contains), {"text": MARKER})

    def test_a_marker_written_into_the_sql_cannot_be_composed(self) -> None:
        with pytest.raises(self.composed.Uncomposable):
            self.composed.compose(self._objects()[:7], {"limit": 7})

    def test_an_uncomposable_shape_is_remembered_and_left_to_the_orm(self) -> None:
        built = []
        contains = {f"{self.composed_text_field}__icontains": MARKER}

        def build() -> tuple[models.QuerySet[Any], str]:
            built.append(1)
            return self._objects().filter(**contains), "%s"

        for _ in range(3):
            assert self.composed.statement("default", "rewritten", {"text": MARKER}, build) is None

        assert built == [1]

    def test_a_kept_shape_composes_no_query_again(self, monkeypatch: pytest.MonkeyPatch) -> None:
        exact = {f"{self.composed_text_field}__exact": MARKER}
        markers = {"text": MARKER}
        build = lambda: (self._objects().filter(**exact).values("pk"), "%s")  # noqa: E731
        self.composed.statement("default", "kept", markers, build)
        compiled = compiled_queries(monkeypatch)

        statement = self.composed.statement("default", "kept", markers, build)
        rows = statement.rows("default", {"text": "nobody has this"})

        assert rows == []
        assert compiled == []

    def test_at_most_512_shapes_are_kept(self) -> None:
        for n in range(600):
            self.composed.statement("default", ("shape", n), {}, lambda: (self._objects(), "%s"))

        assert len(self.composed._kept) == 512
