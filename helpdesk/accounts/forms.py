from typing import Any

from django.contrib.auth.forms import UserCreationForm, UsernameField

from accounts.models import User


class SignUpForm(UserCreationForm[User]):
    """Sign-up for customers: the fields it lists are all a visitor can set.

    Staff and superuser flags are not among them, so every account made here is ordinary.
    """

    class Meta:
        model = User
        fields = ["username", "email"]
        field_classes = {"username": UsernameField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["email"].help_text = "Replies to your tickets are sent here."
