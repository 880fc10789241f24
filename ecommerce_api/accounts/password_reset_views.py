"""A forgotten password, reset through the app: ask for an e-mail, then send back its token.

The request is answered ``202`` with the same body whether or not an account uses the address,
so nobody learns which addresses have accounts; the e-mail itself is the only difference, and
only the mailbox's owner sees it.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.serializers import PasswordResetConfirmSerializer, PasswordResetRequestSerializer
from accounts.services import request_password_reset, reset_password
from config.openapi import RETRY_AFTER, error_responses
from config.parsers import JSONParser
from config.throttles import PasswordResetAddressThrottle, PasswordResetThrottle

DetailResponse = inline_serializer("DetailResponse", {"detail": serializers.CharField()})

REQUESTED = (
    "If an account uses this address, we have sent it an e-mail with a link to reset the password."
)
RESET = "Your password has been changed; log in with the new one."


class _AnonymousJSONView(APIView):
    authentication_classes = []  # a session or token has nothing to do with a forgotten password
    permission_classes = [permissions.AllowAny]
    parser_classes = [JSONParser]


class PasswordResetRequestView(_AnonymousJSONView):
    throttle_classes = [PasswordResetThrottle, PasswordResetAddressThrottle]

    @extend_schema(
        summary="Ask for a password reset e-mail",
        description=(
            "Always `202` with the same body, whether or not an account uses the address. "
            "The e-mail holds a `uid` and a `token` for the confirmation. Limited per client "
            "address and per e-mail address."
        ),
        auth=[],
        request=PasswordResetRequestSerializer,
        parameters=[RETRY_AFTER],
        responses={202: DetailResponse, **error_responses(400, 413, 415, 429, 503)},
    )
    def post(self, request: Request) -> Response:
        serializer = PasswordResetRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        request_password_reset(email=serializer.validated_data["email"])
        return Response({"detail": REQUESTED}, status=status.HTTP_202_ACCEPTED)


class PasswordResetConfirmView(_AnonymousJSONView):
    throttle_classes = [PasswordResetThrottle]

    @extend_schema(
        summary="Set a new password with the token from the e-mail",
        description=(
            "The `uid` and `token` from the reset e-mail and a `new_password` that Django's "
            "validators accept. A token works once, and for one hour; a wrong or used one is "
            "a 400 on `token`. Success signs out every device (the API token is revoked)."
        ),
        auth=[],
        request=PasswordResetConfirmSerializer,
        parameters=[RETRY_AFTER],
        responses={200: DetailResponse, **error_responses(400, 413, 415, 429, 503)},
    )
    def post(self, request: Request) -> Response:
        serializer = PasswordResetConfirmSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reset_password(**serializer.validated_data)
        return Response({"detail": RESET})
