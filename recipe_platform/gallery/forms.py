"""The gallery's upload form: a photo and its description, checked like a recipe's cover."""

from __future__ import annotations

from typing import Any

from django import forms

from gallery.models import ALT_MAX_LENGTH, GALLERY_FULL_MESSAGE
from recipes import images
from recipes.forms import ACCEPT_IMAGES, ALT_TEXT_REQUIRED
from recipes.images import ProcessedImage
from recipes.validators import validate_single_line

PHOTO_REQUIRED = "Choose a photo to add."


class PhotoUploadForm(forms.Form):
    """A file checked and re-encoded by ``recipes.images`` while the form is cleaned, so a
    refused file (too big, not a photo, a decompression bomb) is an error beside the field
    and nothing is stored; and its description, required as the cover's is."""

    image = forms.FileField(
        label="Photo",
        widget=forms.FileInput(attrs={"accept": ACCEPT_IMAGES}),
        help_text=images.LIMITS_HELP_TEXT,
        error_messages={"required": PHOTO_REQUIRED},
    )
    alt = forms.CharField(
        label="Photo description",
        max_length=ALT_MAX_LENGTH,
        validators=[validate_single_line],
        help_text="What the photo shows, for people who cannot see it.",
        error_messages={"required": ALT_TEXT_REQUIRED},
    )

    def __init__(self, *args: Any, full: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.full = full

    def clean_image(self) -> ProcessedImage:
        # A full gallery says so before any decoding: the photo could not be added anyway.
        if self.full:
            raise forms.ValidationError(GALLERY_FULL_MESSAGE, code="gallery_full")
        return images.process_upload(self.cleaned_data["image"])
