"""The product photos' inline in the product's admin page: the only way a photo is uploaded.

The upload is a plain file field that only ``catalog.images.clean_upload`` reads (Django's
``ImageField`` form field would hand the raw file to Pillow first, any format it knows); what is
stored is the clean re-encoding, under a random name, and its sizes are made as it is saved.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import HttpRequest
from django.utils.html import format_html

from catalog.images import LIMITS_HELP_TEXT, CleanPhoto, clean_upload, delete_on_commit
from catalog.models import Product, ProductImage


class ProductImageForm(forms.ModelForm[ProductImage]):
    upload = forms.FileField(label="photo", required=False, help_text=LIMITS_HELP_TEXT)

    class Meta:
        model = ProductImage
        fields = ["upload", "alt_text", "position", "is_primary"]

    clean_photo: CleanPhoto | None = None

    def clean_upload(self) -> Any:
        upload = self.cleaned_data.get("upload")
        if not upload:
            if self.instance.pk is None:
                raise ValidationError("Choose a photo.", code="required")
            return upload
        self.clean_photo = clean_upload(upload)
        return upload

    def save(self, commit: bool = True) -> ProductImage:
        if self.clean_photo is not None:
            delete_on_commit(self.instance.stored_names())  # the photo it replaces, if any
            # The name is chosen by the model's upload_to (random); this one is never used.
            self.instance.image.save(
                "photo.webp", ContentFile(self.clean_photo.content), save=False
            )
        return super().save(commit)


class ProductImageFormSet(
    forms.BaseInlineFormSet[ProductImage, Product, forms.ModelForm[ProductImage]]
):
    def delete_existing(self, obj: ProductImage, commit: bool = True) -> None:
        """A photo removed in the admin takes its files (and its sizes') with it."""
        delete_on_commit(obj.stored_names())
        super().delete_existing(obj, commit)

    def clean(self) -> None:
        """One primary photo at most, said as a form error before the database refuses it."""
        super().clean()
        primaries = [
            form
            for form in self.forms
            if form.cleaned_data.get("is_primary") and not form.cleaned_data.get("DELETE")
        ]
        if len(primaries) > 1:
            raise ValidationError("Mark one photo as primary, not several.", code="primaries")


#: Photos a product can have. Also what a crafted ``images-TOTAL_FORMS`` makes the admin build:
#: Django's own ceiling is 2,000 forms, about 14 s of work for one request.
MAX_PHOTOS = 10


class ProductImageInline(admin.TabularInline[ProductImage, Product]):
    model = ProductImage
    form = ProductImageForm
    formset = ProductImageFormSet
    fields = ["preview", "upload", "alt_text", "position", "is_primary"]
    readonly_fields = ["preview"]
    extra = 1
    max_num = MAX_PHOTOS

    def get_formset(
        self, request: HttpRequest, obj: Product | None = None, **kwargs: Any
    ) -> type[forms.BaseInlineFormSet[ProductImage, Product, Any]]:
        return super().get_formset(
            request, obj, absolute_max=MAX_PHOTOS, validate_max=True, **kwargs
        )

    @admin.display(description="current photo")
    def preview(self, image: ProductImage) -> str:
        if not image.pk or not image.image:
            return "-"
        return format_html(
            '<img src="{}" alt="{}" width="100" height="100">',
            image.thumbnail.url,
            image.alt_text or image.product.name,
        )
