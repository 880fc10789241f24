from __future__ import annotations

from django import forms

from community.models import MAX_COMMENT_LENGTH
from recipes.models import MAX_STARS, MIN_STARS


class RatingForm(forms.Form):
    stars = forms.TypedChoiceField(
        label="Your rating",
        choices=[(n, f"{n} star{'s' if n > 1 else ''}") for n in range(MIN_STARS, MAX_STARS + 1)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": f"Choose between {MIN_STARS} and {MAX_STARS} stars."},
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Your comment",
        max_length=MAX_COMMENT_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_body(self) -> str:
        body: str = self.cleaned_data["body"]
        if "\x00" in body:
            raise forms.ValidationError("Remove the NUL character from your comment.")
        return body
