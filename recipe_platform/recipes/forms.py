"""The recipe form, the list's search form, and how a photo survives a form error."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.http import QueryDict

from recipes import images
from recipes.images import ProcessedImage, StoredImage
from recipes.models import MAX_MINUTES, MAX_SERVINGS, Category, Recipe

ALT_TEXT_REQUIRED = "Describe the photo for people who cannot see it."
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
    """Create or edit a recipe. The photo is a plain file field checked by ``recipes.images``.

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
    remove_image = forms.BooleanField(label="Remove the current photo", required=False)
    held_image = forms.CharField(required=False, widget=forms.HiddenInput)
    categories = forms.ModelMultipleChoiceField(
        Category.objects.order_by("name"), required=False, widget=forms.CheckboxSelectMultiple
    )

    field_order = [
        "title",
        "description",
        "ingredients",
        "instructions",
        "prep_minutes",
        "cook_minutes",
        "servings",
        "categories",
        "image",
        "remove_image",
        "image_alt",
        "held_image",
    ]

    class Meta:
        model = Recipe
        fields = [
            "title",
            "description",
            "ingredients",
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
            "ingredients": forms.Textarea(
                attrs={"rows": 8, "placeholder": "200 g flour\n2 eggs\n300 ml milk"}
            ),
            "instructions": forms.Textarea(
                attrs={"rows": 8, "placeholder": "Whisk the flour, eggs and milk.\nRest 30 min."}
            ),
        }

    def __init__(self, *args: Any, user: AbstractBaseUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.held_photo: StoredImage | None = None
        # The model's validators set these limits; show them to the browser too.
        for name in ("prep_minutes", "cook_minutes"):
            self.fields[name].widget.attrs.update(min=0, max=MAX_MINUTES)
        self.fields["servings"].widget.attrs.update(min=1, max=MAX_SERVINGS)
        if not self.instance.has_image:
            del self.fields["remove_image"]

    def clean_image(self) -> ProcessedImage | None:
        upload = self.cleaned_data.get("image")
        return images.process_upload(upload) if upload else None

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        token = cleaned.get("held_image")
        if token and cleaned.get("image") is None:
            self._resume_held_image(token)
        will_have_image = (
            cleaned.get("image") is not None
            or self.held_photo is not None
            or (self.instance.has_image and not cleaned.get("remove_image"))
        )
        if will_have_image and not cleaned.get("image_alt", "").strip():
            self.add_error("image_alt", ALT_TEXT_REQUIRED)
        return cleaned

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
    """The list's ``?q=`` and ``?category=`` parameters; a category is given by its slug."""

    q = forms.CharField(label="Search", required=False, max_length=100, strip=True)
    category = forms.SlugField(required=False)

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
