from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from accounts.validators import validate_single_line


class User(AbstractUser):
    """The project's user.

    A custom model from the first migration, as Django recommends: changing ``AUTH_USER_MODEL``
    once tables exist is a painful migration, adding a field to this class is not.

    The names are Django's fields with one more rule: a single line of plain text
    (``accounts.validators``). The username's own validator already allows only letters,
    digits and ``@.+-_``.
    """

    first_name = models.CharField(
        _("first name"), max_length=150, blank=True, validators=[validate_single_line]
    )
    last_name = models.CharField(
        _("last name"), max_length=150, blank=True, validators=[validate_single_line]
    )

    class Meta:
        verbose_name = "user"
        verbose_name_plural = "users"
        swappable = "AUTH_USER_MODEL"
        constraints = [
            # One account per mailbox, however the address is capitalised: a password reset
            # by e-mail must find exactly one account. Blank (no address) is allowed many times.
            models.UniqueConstraint(
                Lower("email"),
                condition=~Q(email=""),
                name="accounts_user_unique_email_ci",
                violation_error_message="An account with this e-mail address already exists.",
            ),
        ]
