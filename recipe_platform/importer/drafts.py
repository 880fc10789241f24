"""Handing an imported recipe to the create form, through the session.

The import page stores the draft in the cook's session under a random id and redirects to
``/recipes/new/?import=<id>``; the create form is pre-filled only when that id matches, so a
plain "Share a recipe" later starts empty, and reading the draft changes nothing (a GET). One
draft per session: a new import replaces the previous one.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from importer.scraping import ImportedRecipe

SESSION_KEY = "importer.draft"
QUERY_PARAMETER = "import"


def save(request: HttpRequest, recipe: ImportedRecipe, *, photo_token: str) -> str:
    """Keep ``recipe`` for the create form; returns the form's address."""
    draft_id = uuid.uuid4().hex
    request.session[SESSION_KEY] = {
        "id": draft_id,
        "recipe": asdict(recipe),
        "photo": photo_token,
    }
    return f"{reverse('recipes:create')}?{QUERY_PARAMETER}={draft_id}"


def initial(request: HttpRequest) -> dict[str, Any]:
    """The create form's initial values for the draft the address names, else nothing."""
    wanted = request.GET.get(QUERY_PARAMETER)
    draft = request.session.get(SESSION_KEY)
    if not wanted or not isinstance(draft, dict) or draft.get("id") != wanted:
        return {}
    recipe = draft["recipe"]
    values: dict[str, Any] = {
        "title": recipe["title"],
        "description": recipe["description"],
        "paste_ingredients": "\n".join(recipe["ingredients"]),
        "instructions": "\n".join(recipe["instructions"]),
        "imported_photo": draft["photo"],
    }
    if draft["photo"]:
        values["image_alt"] = f"A photo of {recipe['title']}"[:200]
    for name in ("servings", "prep_minutes", "cook_minutes"):
        if recipe[name] is not None:
            values[name] = recipe[name]
    return values
