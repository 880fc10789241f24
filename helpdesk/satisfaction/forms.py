"""The confirmation page's form: the choice (preselected from the link) and a comment."""

from __future__ import annotations

from django import forms

from satisfaction.models import COMMENT_MAX_LENGTH, Score


class RatingForm(forms.Form):
    score = forms.ChoiceField(
        label="Your rating",
        choices=Score.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose good or bad.", "invalid_choice": "Choose good or bad."},
    )
    comment = forms.CharField(
        label="Comment (optional)",
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=(
            f"What went well, or what we could do better. At most {COMMENT_MAX_LENGTH} characters."
        ),
    )

    @classmethod
    def preselected(cls, score: str | None) -> RatingForm:
        """An unbound form whose choice is the link's ``?score=``, when it is one of ours."""
        return cls(initial={"score": score} if score in Score.values else {})
