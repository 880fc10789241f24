"""The recipe form, the list's search form, and how a photo survives a form error."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.http import QueryDict

from importer import photos as imported_photos
from recipes import images
from recipes.images import ProcessedImage, StoredImage
from recipes.ingredients import System
from recipes.models import MAX_MINUTES, MAX_SERVINGS, Category, ListOrder, Recipe

ALT_TEXT_REQUIRED = "Describe the photo for people who cannot see it."
PHOTO_REQUIRED = "Add a photo of the dish: every recipe is shared with one."
ACCEPT_IMAGES = "image/jpeg,image/png,image/webp"
_ASCII_WHOLE_NUMBER = re.compile(r"[0-9]+")


class WholeNumberField(forms.IntegerField):
    """A whole number as a browser's number input sends it: ASCII digits, nothing else.

    Django's ``IntegerField`` reads whatever ``int()`` reads after cutting a trailing ``.0``:
    ``"1_0"`` (ten), ``"\\u0663"`` (an Arabic-Indic three), ``"\\uff11"`` (a fullwidth one),
    ``"15.0"``. None of those comes from the form's own ``<input type="number">``; a request
    that sends one was typed by hand or by a script, and is told "Enter a whole number." rather
    than guessed at.
    """

    def to_python(self, value: Any) -> int | None:
        if value not in self.empty_values and not _ASCII_WHOLE_NUMBER.fullmatch(str(value).strip()):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class RecipeForm(forms.ModelForm[Recipe]):
    """Create or edit a recipe. The photo is a plain file field checked by ``recipes.images``,
    required on a new recipe. The ingredients are rows of their own
    (:mod:`recipes.ingredient_forms`); this form only carries the "paste a list" text.

    A valid photo is re-encoded while the form is cleaned. When another field fails, the view
    calls :meth:`keep_upload`: the photo is stored and the re-displayed form carries a signed
    token for it (``held_image``), so the cook sees it kept instead of silently losing it.
    """

    image = forms.FileField(
        label="Photo",
        required=False,
        widget=forms.FileInput(attrs={"accept": ACCEPT_IMAGES}),
        help_text=images.LIMITS_HELP_TEXT,
    )
    # Parsed into rows by the ingredient formset (recipes.ingredient_forms), which reads it from
    # the same data; a URL import pre-fills it with the lines it found, for the cook to check.
    paste_ingredients = forms.CharField(
        label="Paste ingredients",
        required=False,
        max_length=5_000,
        widget=forms.Textarea(
            attrs={"rows": 5, "placeholder": "200 g flour\n2 eggs\n1 ½ cups milk"}
        ),
        help_text="One a line, such as “1 ½ cups flour” or “salt, to taste”. They become rows "
        "below when you save, or at once with “Read the list into rows”.",
    )
    held_image = forms.CharField(required=False, widget=forms.HiddenInput)
    # A photo a URL import stored (importer.photos): a signed reference, bound to the user.
    imported_photo = forms.CharField(required=False, widget=forms.HiddenInput)
    categories = forms.ModelMultipleChoiceField(
        Category.objects.order_by("name"), required=False, widget=forms.CheckboxSelectMultiple
    )

    field_order = [
        "title",
        "description",
        "paste_ingredients",
        "instructions",
        "prep_minutes",
        "cook_minutes",
        "servings",
        "categories",
        "image",
        "image_alt",
        "held_image",
    ]

    class Meta:
        model = Recipe
        fields = [
            "title",
            "description",
            "instructions",
            "prep_minutes",
            "cook_minutes",
            "servings",
            "categories",
            "image_alt",
        ]
        field_classes = {
            "prep_minutes": WholeNumberField,
            "cook_minutes": WholeNumberField,
            "servings": WholeNumberField,
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "instructions": forms.Textarea(
                attrs={"rows": 8, "placeholder": "Whisk the flour, eggs and milk.\nRest 30 min."}
            ),
        }

    def __init__(self, *args: Any, user: AbstractBaseUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.held_photo: StoredImage | None = None
        if not self.is_bound and (imported := self.initial.get("imported_photo")):
            self.held_photo = imported_photos.resolve(imported, user)  # shown as kept
        # The model's validators set these limits; show them to the browser too.
        for name in ("prep_minutes", "cook_minutes"):
            self.fields[name].widget.attrs.update(min=0, max=MAX_MINUTES)
        self.fields["servings"].widget.attrs.update(min=1, max=MAX_SERVINGS)

    def clean_image(self) -> ProcessedImage | None:
        upload = self.cleaned_data.get("image")
        return images.process_upload(upload) if upload else None

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        token = cleaned.get("held_image")
        if token and cleaned.get("image") is None:
            self._resume_held_image(token)
        imported = cleaned.get("imported_photo")
        if imported and cleaned.get("image") is None and self.held_photo is None:
            self.held_photo = imported_photos.resolve(imported, self.user)
            if self.held_photo is None:
                self.add_error("image", images.HELD_EXPIRED_MESSAGE)
        self._require_photo_on_create()
        will_have_image = (
            cleaned.get("image") is not None
            or self.held_photo is not None
            or self.instance.has_image
        )
        if will_have_image and not cleaned.get("image_alt", "").strip():
            self.add_error("image_alt", ALT_TEXT_REQUIRED)
        return cleaned

    def _require_photo_on_create(self) -> None:
        """A new recipe comes with a photo (the course asks for one); an edit keeps its own.

        A photo that failed its checks already has its error; a held one (chosen before a form
        error) counts. The one place that decides, so another source of an already-checked
        photo (an import) only has to set ``held_photo`` before this runs.
        """
        if (
            self.instance._state.adding
            and self.cleaned_data.get("image") is None
            and self.held_photo is None
            and "image" not in self.errors
        ):
            self.add_error("image", PHOTO_REQUIRED)

    def _resume_held_image(self, token: str) -> None:
        try:
            held = images.unhold(token, user_id=self.user.pk)
        except forms.ValidationError as error:
            self.add_error("image", error)
            return
        # Submitted twice (the back button): the photo is already on a recipe, never share it.
        if Recipe.objects.filter(image=held.display_name).exists():
            self.add_error("image", images.HELD_EXPIRED_MESSAGE)
            return
        self.held_photo = held

    def refuse_photo(self, error: forms.ValidationError) -> None:
        """The photo could not be put on the recipe after all (``services.save_recipe``: the
        storage failed, or a held photo was taken meanwhile): say so, and re-display the form
        without it."""
        self.held_photo = None
        self.add_error("image", error)

    @property
    def new_image(self) -> ProcessedImage | StoredImage | None:
        """The photo to put on the recipe: a fresh upload, else one held from a failed submit."""
        return self.cleaned_data.get("image") or self.held_photo

    def keep_upload(self) -> None:
        """After a failed submit, store a photo that passed so the re-displayed form keeps it."""
        upload = self.cleaned_data.get("image")
        token = ""
        if isinstance(upload, ProcessedImage):
            try:
                self.held_photo = images.store(upload, held=True)
            except forms.ValidationError as error:  # the storage failed: choose it again
                self.add_error("image", error)
            else:
                token = images.hold(self.held_photo, user_id=self.user.pk)
        elif self.held_photo is not None:
            token = self.data["held_image"]
        data = QueryDict(mutable=True)
        data.update(self.data)  # every value of a multi-valued field (the categories) too
        data["held_image"] = token
        self.data = data


class RecipeSearchForm(forms.Form):
    """The list's ``?q=``, ``?category=`` and ``?sort=`` parameters; a category by its slug."""

    q = forms.CharField(label="Search", required=False, max_length=100, strip=True)
    category = forms.SlugField(required=False)
    sort = forms.ChoiceField(
        label="Sort by",
        choices=ListOrder.choices,
        required=False,
        error_messages={"invalid_choice": "The list can be sorted by newest or best rated."},
    )

    def __init__(self, *args: Any, categories: list[Category], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.categories = categories

    def clean_category(self) -> Category | None:
        """The category for the slug, looked up in the list the page shows anyway (no query)."""
        slug = self.cleaned_data["category"]
        if not slug:
            return None
        for category in self.categories:
            if category.slug == slug:
                return category
        raise forms.ValidationError("There is no such category.", code="unknown_category")


class ScaleForm(forms.Form):
    """The recipe page's ``?servings=`` and ``?units=``: how many to cook for, in which units.

    A GET form, so it works without JavaScript and every scaled page has an address. A value it
    refuses (0, 101, "six", a NUL byte) is not an error page: the recipe is shown as written.
    """

    servings = WholeNumberField(label="Servings", min_value=1, max_value=MAX_SERVINGS)
    units = forms.ChoiceField(label="Units", choices=System.choices, required=False)

    def __init__(self, *args: Any, recipe: Recipe, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.recipe = recipe
        self.fields["servings"].widget.attrs.update(min=1, max=MAX_SERVINGS)

    def choice(self) -> tuple[int, str]:
        """The servings and the system to show; the recipe's own for anything refused."""
        if not self.is_bound:
            return self.recipe.servings, System.AS_WRITTEN
        servings = self.recipe.servings
        system = System.AS_WRITTEN
        self.is_valid()
        if "servings" not in self.errors and self.cleaned_data.get("servings"):
            servings = self.cleaned_data["servings"]
        if "units" not in self.errors:
            system = self.cleaned_data.get("units", System.AS_WRITTEN)
        return servings, system
