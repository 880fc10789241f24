"""The attachments field of the ticket and reply forms: several files, each one checked.

Django's "Uploading multiple files" pattern: a file input that allows several files, and a field
whose ``clean`` takes the list. Its cleaned value is ``list[CheckedUpload]``, ready for
``services.attach``; a refused file is an error on this field naming the file.
"""

from __future__ import annotations

from typing import Any

from django import forms

from attachments import content
from attachments.services import CheckedUpload, check_uploads, limits_help_text


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    widget = MultipleFileInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", "Attachments")
        super().__init__(**kwargs)
        self.widget.attrs["accept"] = content.ACCEPT

    def clean(self, data: Any, initial: Any = None) -> list[CheckedUpload]:
        files = data if isinstance(data, list | tuple) else [data]
        files = [super(AttachmentsField, self).clean(file, initial) for file in files if file]
        if not files and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return check_uploads(files)


def add_attachments_field(form: forms.BaseForm) -> None:
    """Give ``form`` an optional attachments field, with the current limits as help text."""
    form.fields["attachments"] = AttachmentsField(help_text=limits_help_text())
