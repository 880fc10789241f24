from django.contrib.auth.forms import UserCreationForm, UsernameField

from accounts.models import User


class SignUpForm(UserCreationForm[User]):
    """Django's sign-up form (password rules, case-insensitive unique username) for our User."""

    class Meta:
        model = User
        fields = ("username", "email")
        field_classes = {"username": UsernameField}
