from django.contrib.auth.forms import UserCreationForm

from accounts.models import User


class SignUpForm(UserCreationForm):
    """Django's sign-up form (password rules, case-insensitive unique username) for our User."""

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")
