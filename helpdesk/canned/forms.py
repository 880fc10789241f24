from __future__ import annotations

from typing import Any

from django import forms

from canned.models import CannedReply


class CannedReplyForm(forms.ModelForm[CannedReply]):
    class Meta:
        model = CannedReply
        fields = ["title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 10})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title"].help_text = "Shown in the picker on the ticket page; unique."

    def clean_title(self) -> str:
        """Refuse a title another reply has (ignoring case), beside the field.

        The database's unique constraint would refuse it too, but Django reports a constraint
        on an expression as an error of the whole form; this check puts it where the user looks.
        """
        title: str = self.cleaned_data["title"]
        others = CannedReply.objects.with_title(title).exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(
                "A saved reply with this title already exists.", code="duplicate_title"
            )
        return title
