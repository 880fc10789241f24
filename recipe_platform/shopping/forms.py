"""The shopping list's small forms: servings to add a recipe for, a tick, a page to return to."""

from __future__ import annotations

from typing import Any

from django import forms

from recipes.forms import WholeNumberField
from recipes.models import MAX_SERVINGS


class AddRecipeForm(forms.Form):
    servings = WholeNumberField(label="Servings to shop for", min_value=1, max_value=MAX_SERVINGS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_shop_%s")  # beside the recipe page's scaling form
        super().__init__(*args, **kwargs)
        self.fields["servings"].widget.attrs.update(min=1, max=MAX_SERVINGS)


class TickForm(forms.Form):
    """``ticked`` is the new state, so a form sent twice leaves the item as the cook saw it."""

    ticked = forms.BooleanField(required=False)
    page = WholeNumberField(required=False, min_value=1)
