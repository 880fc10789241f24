"""The README's model diagram is drawn from the models themselves, so it can never drift.

When this fails, a model changed: run ``nox -s "diagrams(recipe_platform)"`` and commit the README.
"""

from pathlib import Path

from django.conf import settings
from shared.model_diagram import committed_block, project_models, render


def test_the_readmes_model_diagram_matches_the_models():
    project_dir = Path(settings.BASE_DIR)
    readme = (project_dir / "README.md").read_text(encoding="utf-8")

    assert committed_block(readme) == render(project_models(project_dir)), (
        'The models changed: run nox -s "diagrams(recipe_platform)" and commit the README.'
    )
