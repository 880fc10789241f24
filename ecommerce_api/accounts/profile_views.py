"""``/api/me/``: the signed-in customer's own account: read it, change it, close it."""

from __future__ import annotations

from typing import cast

from django.contrib.auth import authenticate
from django.db import IntegrityError
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import lockout
from accounts.models import User
from accounts.serializers import PasswordConfirmationSerializer, ProfileSerializer
from accounts.services import close_account
from config.api_errors import LockedOut
from config.openapi import RETRY_AFTER, error_responses
from config.parsers import JSONParser
from config.throttles import AccountThrottle


class ProfileView(APIView):
    parser_classes = [JSONParser]
    throttle_classes = [AccountThrottle]

    @property
    def user(self) -> User:
        return cast("User", self.request.user)  # IsAuthenticated has refused anonymous ones

    @extend_schema(
        summary="Show my account",
        responses={200: ProfileSerializer, **error_responses(401, 429)},
        parameters=[RETRY_AFTER],
    )
    def get(self, request: Request) -> Response:
        return Response(ProfileSerializer(self.user).data)

    @extend_schema(
        summary="Change my account",
        description=(
            "`email`, `first_name`, `last_name`; the username is fixed. An address another "
            "account uses, in any capitalisation, is a 400."
        ),
        request=ProfileSerializer,
        parameters=[RETRY_AFTER],
        responses={200: ProfileSerializer, **error_responses(400, 401, 413, 415, 429)},
    )
    def patch(self, request: Request) -> Response:
        serializer = ProfileSerializer(self.user, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        try:
            serializer.save()
        except IntegrityError as exc:  # another account took the address meanwhile
            raise ValidationError(
                {"email": ["An account with this e-mail address already exists."]}
            ) from exc
        return Response(serializer.data)

    @extend_schema(
        summary="Close my account",
        description=(
            "Asks for the password again. The orders stay, for the shop's books, with the "
            "account's username, e-mail address and name removed; the token, the cart and the "
            "alerts are deleted, and nobody can log in to the account again. A wrong password "
            "is a 400 and counts towards the login lockout (`429 locked_out`)."
        ),
        request=PasswordConfirmationSerializer,
        parameters=[RETRY_AFTER],
        responses={204: None, **error_responses(400, 401, 413, 415, 429)},
    )
    def delete(self, request: Request) -> Response:
        serializer = PasswordConfirmationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # Through authenticate(), so django-axes counts a wrong password like a failed login.
        checked = authenticate(
            request,
            username=self.user.get_username(),
            password=serializer.validated_data["password"],
        )
        if lockout.is_locked_out(request):
            raise LockedOut(wait=lockout.retry_after_seconds())
        if checked is None or checked.pk != self.user.pk:
            raise ValidationError({"password": ["This is not your password."]})
        close_account(user=self.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
