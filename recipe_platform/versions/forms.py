"""The choice of two versions to compare."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.formats import date_format

from recipes.models import RecipeVersion


def version_label(version: RecipeVersion) -> str:
    """ "5 December 2026 18:40 · Changed the title", as the history page lists it."""
    moment = date_format(timezone.localtime(version.revision.date_created), "j F Y H:i")
    return f"{moment} · {version.revision.comment}"


class CompareForm(forms.Form):
    """Two versions of one recipe, by id; either may be left out (the view fills it in)."""

    old = forms.TypedChoiceField(label="Older version", coerce=int, required=False)
    new = forms.TypedChoiceField(label="Newer version", coerce=int, required=False)

    def __init__(self, *args: Any, versions: Sequence[RecipeVersion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(version.pk, version_label(version)) for version in versions]
        for name in ("old", "new"):
            cast(forms.TypedChoiceField, self.fields[name]).choices = choices
