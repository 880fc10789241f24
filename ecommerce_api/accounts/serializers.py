from __future__ import annotations

from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer

#: The user model's (Django's AbstractUser's) username length.
USERNAME_MAX_LENGTH = 150
#: Far beyond any real password, and short enough that hashing a guess costs nothing unusual.
MAX_PASSWORD_LENGTH = 4096


class TokenRequestSerializer(AuthTokenSerializer):
    """DRF's username-and-password check (through ``authenticate()``, so django-axes counts
    it), with lengths bounded before anything is looked up or recorded.

    DRF's fields take any length: a 5,000-character username went on into django-axes' record
    of the failure, a ``varchar(255)`` that PostgreSQL refuses with a 500.
    """

    username = serializers.CharField(
        label="Username",
        write_only=True,
        max_length=USERNAME_MAX_LENGTH,
    )
    password = serializers.CharField(
        label="Password",
        style={"input_type": "password"},
        trim_whitespace=False,
        write_only=True,
        max_length=MAX_PASSWORD_LENGTH,
    )
