from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, cast

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.authentication import BaseAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from accounts import lockout
from accounts.serializers import TokenRequestSerializer
from config.api_errors import LockedOut
from config.openapi import RETRY_AFTER, ErrorSerializer, error_responses
from config.throttles import AuthTokenThrottle

if TYPE_CHECKING:
    from rest_framework.permissions import _SupportsHasPermission

    from accounts.models import User

TokenResponse = inline_serializer("TokenResponse", {"token": serializers.CharField()})


class AuthTokenView(APIView):
    """The mobile app's login: ``POST`` trades a username and password for the account's
    token, ``DELETE`` revokes it (every device using it is signed out)."""

    serializer_class = TokenRequestSerializer

    def get_authenticators(self) -> list[BaseAuthentication]:
        # Obtaining a token must not depend on (or be refused for) an existing session. The
        # schema generator asks before it has a request; the schema says auth=[] itself.
        if self.request is not None and self.request.method == "POST":
            return []
        return super().get_authenticators()

    def get_permissions(self) -> Sequence[_SupportsHasPermission]:
        if self.request.method == "POST":
            return [permissions.AllowAny()]
        return super().get_permissions()

    def get_throttles(self) -> list[BaseThrottle]:
        if self.request.method == "POST":
            return [AuthTokenThrottle()]
        return super().get_throttles()

    @extend_schema(
        summary="Get an API token",
        description=(
            "The token for `Authorization: Token <token>`; the same one each time. Five failed "
            "attempts for one username, or from one address, lock it out for 15 minutes "
            "(`429 locked_out`, even with the right password)."
        ),
        auth=[],
        request=TokenRequestSerializer,
        parameters=[RETRY_AFTER],
        responses={
            200: TokenResponse,
            **error_responses(
                400,
                413,
                415,
                503,
                _429=OpenApiResponse(
                    ErrorSerializer,
                    description=(
                        "Too many requests (`throttled`), or too many failed logins (`locked_out`)."
                    ),
                ),
            ),
        },
    )
    def post(self, request: Request) -> Response:
        # The password is checked through authenticate(), so django-axes counts a failure and
        # refuses a locked-out client before the password is even compared.
        serializer = TokenRequestSerializer(data=request.data, context={"request": request})
        if not serializer.is_valid():
            if lockout.is_locked_out(request):
                raise LockedOut(wait=lockout.retry_after_seconds())
            raise ValidationError(serializer.errors)
        token, _ = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key})

    @extend_schema(
        summary="Revoke my API token",
        description="Every device using the token is signed out; POST gets a new one.",
        request=None,
        responses={204: None, **error_responses(401)},
    )
    def delete(self, request: Request) -> Response:
        # IsAuthenticated (the default) has refused anonymous requests.
        Token.objects.filter(user=cast("User", request.user)).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
