from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """The project's user.

    A custom model from the first migration, as Django recommends: changing ``AUTH_USER_MODEL``
    once tables exist is a painful migration, adding a field to this class is not.
    """

    class Meta:
        verbose_name = "user"
        verbose_name_plural = "users"
        swappable = "AUTH_USER_MODEL"
