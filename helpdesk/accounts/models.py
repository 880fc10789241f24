from django.contrib.auth.models import AbstractUser
from django.db import models

from accounts.validators import validate_single_line


class User(AbstractUser):
    """The project's user.

    A custom model from the first migration, as Django recommends: changing ``AUTH_USER_MODEL``
    once tables exist is a painful migration, adding a field to this class is not.

    Names and the e-mail address are Django's fields plus :func:`validate_single_line`: they are
    shown on one line and the address goes into e-mail headers (Django's ``EmailValidator``
    accepts a quoted local part with control characters such as ``"a\\x0b"@example.com``). The
    username needs nothing more: ``UnicodeUsernameValidator`` accepts only letters, digits and
    ``@.+-_``.
    """

    first_name = models.CharField(
        "first name", max_length=150, blank=True, validators=[validate_single_line]
    )
    last_name = models.CharField(
        "last name", max_length=150, blank=True, validators=[validate_single_line]
    )
    email = models.EmailField("email address", blank=True, validators=[validate_single_line])

    class Meta:
        verbose_name = "user"
        verbose_name_plural = "users"
        swappable = "AUTH_USER_MODEL"
