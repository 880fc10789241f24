"""The API's rate limits; their rates are ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``."""

from __future__ import annotations

from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from config.client_ip import client_ip


class _ProjectThrottle:
    """What every throttle here shares: the rate read per request, the client from
    :func:`config.client_ip.client_ip`."""

    scope: str

    def get_rate(self) -> str | None:
        # DRF copies the rates into a class attribute at import time; reading them per request
        # lets a changed setting (an override in a test, say) apply without a restart.
        # The stubs type the rates as numbers; DRF's are strings such as "10/minute".
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)  # type: ignore[return-value]

    def get_ident(self, request: Request) -> str:
        # DRF's own get_ident believes X-Forwarded-For (unless NUM_PROXIES is set), so a client
        # sending a new address each time would get a new allowance each time.
        return client_ip(request)


class OrderPlacementThrottle(_ProjectThrottle, UserRateThrottle):
    """Orders placed per customer: stops a runaway client or script from draining the stock."""

    scope = "order_placement"


class AuthTokenThrottle(_ProjectThrottle, AnonRateThrottle):
    """Token requests per client IP: slows password guessing down."""

    scope = "auth_token"
