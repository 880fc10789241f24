"""``POST /api/auth/register/``: a new customer account, answered with its API token."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.serializers import ProfileSerializer, RegistrationSerializer
from accounts.services import AccountTaken, register
from config.openapi import RETRY_AFTER, error_responses
from config.parsers import JSONParser
from config.throttles import RegistrationThrottle

RegistrationResponse = inline_serializer(
    "RegistrationResponse", {"token": serializers.CharField(), "user": ProfileSerializer()}
)


class RegistrationView(APIView):
    authentication_classes = []  # a new account is not asked for an existing one's session
    permission_classes = [permissions.AllowAny]
    throttle_classes = [RegistrationThrottle]
    parser_classes = [JSONParser]

    @extend_schema(
        summary="Create a customer account",
        description=(
            "A username, an e-mail address, or both (with only an address, it is the username "
            "too), and a password that Django's validators accept: at least 8 characters, not "
            "common, not all digits, not like the username or address. A username or address "
            "taken by another account, in any capitalisation, is a 400. Answers the new "
            "account's token, as `POST /api/auth/token/` would."
        ),
        auth=[],
        request=RegistrationSerializer,
        parameters=[RETRY_AFTER],
        responses={201: RegistrationResponse, **error_responses(400, 413, 415, 429, 503)},
    )
    def post(self, request: Request) -> Response:
        serializer = RegistrationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            user, token = register(**serializer.validated_data)
        except AccountTaken as exc:
            raise ValidationError(
                {"username": ["This username or e-mail address was just taken; try another."]}
            ) from exc
        return Response(
            {"token": token.key, "user": ProfileSerializer(user).data},
            status=status.HTTP_201_CREATED,
        )
