"""The recipe form's ingredient rows: a formset that works without JavaScript.

Each row is quantity, unit, item and note. The rows are a plain formset, not a model formset: a
save replaces the recipe's rows with what the form shows (``services.save_recipe``), so no row
id travels in the page for anyone to change, and reordering or removing needs no bookkeeping.

Two submit buttons change the form instead of saving it, so a cook without JavaScript can do
everything: "Add more rows" (:data:`ADD_ROWS`) adds three empty rows, "Read the list into rows"
(:data:`READ_PASTED`) moves the pasted text's lines into rows to check. Either way the page comes
back with everything typed (a chosen photo is kept, like after a form error) and nothing saved.
A save without reading first appends the pasted lines' rows after the others.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict

from recipes.ingredients import (
    ITEM_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    ParsedIngredient,
    QuantityError,
    Unit,
    parse_lines,
    parse_quantity,
    quantity_text,
)
from recipes.models import Ingredient, Recipe
from recipes.validators import validate_single_line

PREFIX = "ingredients"
PASTE_FIELD = "paste_ingredients"
ADD_ROWS = "add_ingredient_rows"
READ_PASTED = "read_pasted_ingredients"
EXTRA_ROWS = 3
MAX_ROWS = 60


class IngredientForm(forms.Form):
    """One row. Every field may be empty (an unused row is left out); a row with anything in
    it needs an item. The quantity is typed as a cook writes it and read by
    :func:`~recipes.ingredients.parse_quantity`."""

    quantity = forms.CharField(
        required=False, max_length=40, widget=forms.TextInput(attrs={"size": 8})
    )
    unit = forms.ChoiceField(choices=Unit.choices, required=False)
    item = forms.CharField(
        required=False, max_length=ITEM_MAX_LENGTH, validators=[validate_single_line]
    )
    note = forms.CharField(
        required=False,
        max_length=NOTE_MAX_LENGTH,
        validators=[validate_single_line],
    )

    def clean_quantity(self) -> tuple[Fraction | None, Fraction | None]:
        try:
            return parse_quantity(self.cleaned_data["quantity"])
        except QuantityError as error:
            raise ValidationError(str(error), code="invalid_quantity") from error

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if self.has_changed() and not cleaned.get("item") and "item" not in self.errors:
            self.add_error("item", "Name the ingredient, or clear the row.")
        return cleaned

    def row(self) -> ParsedIngredient:
        low, high = self.cleaned_data["quantity"]
        data = self.cleaned_data
        return ParsedIngredient(low, high, data["unit"], data["item"], data["note"])


class BaseIngredientFormSet(forms.BaseFormSet[IngredientForm]):
    """The rows, plus the pasted list: :attr:`rows` is what the recipe gets, in order."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", PREFIX)
        super().__init__(*args, **kwargs)
        self.rows: list[ParsedIngredient] = []

    @classmethod
    def for_recipe(cls, recipe: Recipe | None) -> BaseIngredientFormSet:
        """An unbound formset showing ``recipe``'s rows (none for a new one) and empty ones."""
        initial = []
        if recipe is not None and recipe.pk:
            initial = [row_initial(row) for row in recipe.ingredients.all()]
        return cls(initial=initial)

    def clean(self) -> None:
        if any(self.errors):
            return
        rows = [
            form.row()
            for form in self.forms
            if form.has_changed() and not form.cleaned_data.get("DELETE")
        ]
        rows += self._pasted_rows()
        if not rows:
            raise ValidationError(
                "Add at least one ingredient: fill in a row or paste a list.", code="no_rows"
            )
        if len(rows) > MAX_ROWS:
            raise ValidationError(
                f"A recipe has at most {MAX_ROWS} ingredients; this one has {len(rows)}.",
                code="too_many_rows",
            )
        self.rows = rows

    def _pasted_rows(self) -> list[ParsedIngredient]:
        rows = parse_lines(str(self.data.get(PASTE_FIELD, "")))
        for number, row in enumerate(rows, start=1):
            if len(row.item) > ITEM_MAX_LENGTH:
                raise ValidationError(
                    f"Pasted line {number} is longer than {ITEM_MAX_LENGTH} characters.",
                    code="line_too_long",
                )
            validate_single_line(row.item)
            validate_single_line(row.note)
        return rows

    def rebuilt_data(self, *, add_rows: bool, read_pasted: bool) -> QueryDict:
        """The submitted data, as the form should come back after "add rows" or "read the list".

        Rows the cook filled keep their order and text; removed and empty ones go; the pasted
        lines become rows (and leave the text box) when asked; then come empty rows.
        """
        kept = [
            {name: str(form.data.get(form.add_prefix(name), "")) for name in form.base_fields}
            for form in self.forms
            if form.has_changed() and not self.data.get(form.add_prefix("DELETE"))
        ]
        data = QueryDict(mutable=True)
        data.update(self.data)
        for key in [key for key in data if key.startswith(f"{self.prefix}-")]:
            del data[key]
        if read_pasted:
            kept += [row_initial(row) for row in parse_lines(data.get(PASTE_FIELD, ""))]
            data[PASTE_FIELD] = ""
        kept = kept[:MAX_ROWS]
        total = min(len(kept) + (EXTRA_ROWS if add_rows or not kept else 1), MAX_ROWS + 1)
        data.update(
            {
                f"{self.prefix}-TOTAL_FORMS": str(total),
                f"{self.prefix}-INITIAL_FORMS": "0",
                f"{self.prefix}-MIN_NUM_FORMS": "0",
                f"{self.prefix}-MAX_NUM_FORMS": str(MAX_ROWS),
            }
        )
        for index, values in enumerate(kept):
            for name, value in values.items():
                data[f"{self.prefix}-{index}-{name}"] = value
        return data


def row_initial(row: Ingredient | ParsedIngredient) -> dict[str, str]:
    """A stored or parsed row as the form's fields show it."""
    return {
        "quantity": quantity_text(row.quantity, row.quantity_max),
        "unit": row.unit,
        "item": row.item,
        "note": row.note,
    }


IngredientFormSet = cast(
    type[BaseIngredientFormSet],
    forms.formset_factory(
        IngredientForm,
        formset=BaseIngredientFormSet,
        extra=EXTRA_ROWS,
        can_delete=True,
        max_num=MAX_ROWS,
        validate_max=True,
        # What a crafted TOTAL_FORMS may ask for: Django builds no more forms than this.
        absolute_max=MAX_ROWS + EXTRA_ROWS,
    ),
)
