"""The API's rate limits; their rates are ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``.

The counters live in the shared cache. When that is Redis and Redis cannot be reached, a
throttle counts nothing, so each one says which way it fails. Placing orders fails closed (503
with ``Retry-After``): uncounted, a runaway client could drain the stock. Getting a token fails
open: people must still be able to log in, and password guessing stays limited by the django-axes
lockout, which counts in the database. Browsing is not throttled (README, "Faults").
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle

from config.api_errors import ServiceUnavailable
from config.cache import is_available
from config.client_ip import client_ip

if TYPE_CHECKING:
    from rest_framework.views import APIView


class _ProjectThrottle(SimpleRateThrottle):
    """What every throttle here shares: the rate read per request, the client from
    :func:`config.client_ip.client_ip`, and a refusal when the counters cannot be reached."""

    scope: str
    #: Refuse (503) rather than let a request through uncounted when the counters are away.
    fails_closed = True

    def get_rate(self) -> str | None:
        # DRF copies the rates into a class attribute at import time; reading them per request
        # lets a changed setting (an override in a test, say) apply without a restart.
        # The stubs type the rates as numbers; DRF's are strings such as "10/minute".
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)  # type: ignore[return-value]

    def get_ident(self, request: Request) -> str:
        # DRF's own get_ident believes X-Forwarded-For (unless NUM_PROXIES is set), so a client
        # sending a new address each time would get a new allowance each time.
        return client_ip(request)

    def allow_request(self, request: Request, view: APIView) -> bool:
        allowed = super().allow_request(request, view)
        # Reading or writing the counter failed (or Redis was already known to be away):
        # the count is unknown, so the request is refused rather than let through uncounted.
        if self.fails_closed and not is_available(self.cache):
            raise ServiceUnavailable(
                "Requests here are rate-limited, and the rate limiter cannot be reached; "
                "try again in a moment."
            )
        return allowed


class OrderPlacementThrottle(_ProjectThrottle, UserRateThrottle):
    """Orders placed per customer: stops a runaway client or script from draining the stock."""

    scope = "order_placement"


class AuthTokenThrottle(_ProjectThrottle, AnonRateThrottle):
    """Token requests per client IP: slows password guessing down.

    Fails open: without Redis, logins keep working, limited by the lockout alone."""

    scope = "auth_token"
    fails_closed = False


class RegistrationThrottle(_ProjectThrottle, AnonRateThrottle):
    """Sign-ups per client IP: stops one client from making accounts by the thousand.

    Fails closed: uncounted, a script could fill the user table."""

    scope = "registration"


class PasswordResetThrottle(_ProjectThrottle, AnonRateThrottle):
    """Password reset requests and confirmations per client IP: limits mail-bombing (each
    request may send an e-mail) and guessing at reset tokens. Fails closed."""

    scope = "password_reset"


class PasswordResetAddressThrottle(_ProjectThrottle):
    """Password reset requests per e-mail address, whichever client sends them: a mailbox gets
    a few reset e-mails an hour at most, however many addresses ask. Fails closed.

    Counted for every address asked about, known or not, so the answers stay the same for both
    (no enumeration through the throttle)."""

    scope = "password_reset_address"

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        data = request.data
        email = data.get("email") if isinstance(data, dict) else None
        if not isinstance(email, str) or not email.strip():
            return None  # nothing to count: the serializer answers 400
        digest = hashlib.sha256(email.strip().casefold().encode()).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": digest}


class AccountThrottle(_ProjectThrottle, UserRateThrottle):
    """Requests to one's own account (``/api/me/``) per user. Fails open: reading one's profile
    must keep working without Redis, and deleting the account checks the password through the
    lockout, which counts in the database."""

    scope = "account"
    fails_closed = False


class AlertSubscriptionThrottle(_ProjectThrottle, UserRateThrottle):
    """Back-in-stock subscriptions per user. Fails open: an alert costs one row per product."""

    scope = "alert_subscription"
    fails_closed = False
