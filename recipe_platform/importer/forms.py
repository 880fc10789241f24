from __future__ import annotations

from django import forms


class ImportForm(forms.Form):
    url = forms.URLField(
        label="Address of the recipe page",
        max_length=2_000,
        assume_scheme="https",
        help_text="For example https://example.com/recipes/pancakes. The page must describe its "
        "recipe with schema.org data, as most recipe sites do.",
        widget=forms.URLInput(attrs={"placeholder": "https://", "autocomplete": "url"}),
    )
