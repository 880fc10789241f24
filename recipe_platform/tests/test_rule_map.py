"""The README's "Where each rule lives" table points at code that exists (shared.rule_map)."""

from pathlib import Path

from django.conf import settings
from shared.rule_map import broken_references


def test_every_reference_in_the_rules_table_exists():
    project_dir = Path(settings.BASE_DIR)
    readme = (project_dir / "README.md").read_text(encoding="utf-8")
    assert broken_references(readme, project_dir) == []
