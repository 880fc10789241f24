"""The signed token in a rating link: which resolution of which ticket it may rate, until when.

``django.core.signing`` (HMAC-SHA256 under ``SECRET_KEY``, checked against every
``SECRET_KEY_FALLBACKS`` key too, so links outlive a key rotation) with a salt used for nothing
else: a password-reset token or any other signed value of this site is never a rating token.
The payload is the ticket's id and its ``resolved_at`` to the microsecond. Reopening clears
``resolved_at`` and resolving again sets a new one, so a link from an earlier resolution never
matches the ticket again. The signature carries its own timestamp; a link older than
``HELPDESK_RATING_LINK_MAX_AGE_DAYS`` is refused (the last second of the last day included).

The score is not in the token: it travels beside it (``?score=good``) and only preselects the
choice on the confirmation page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Final

from django.conf import settings
from django.core import signing

if TYPE_CHECKING:
    from tickets.models import Ticket

SALT: Final = "helpdesk.satisfaction.rating-link"

#: Longer than any token this module makes (about 60 characters); anything longer is refused
#: before any signature is computed.
MAX_TOKEN_LENGTH: Final = 200


class InvalidLink(Exception):
    """The token is malformed, tampered with, or too long: no link of ours."""


class ExpiredLink(InvalidLink):
    """The token is ours, but older than the links' lifetime."""


@dataclass(frozen=True)
class LinkClaim:
    """What a valid token says: a rating of ``ticket_id`` as resolved at ``resolved_at``."""

    ticket_id: int
    resolved_at: datetime

    def matches(self, ticket: Ticket) -> bool:
        """Whether ``ticket`` is still in the resolution this link was sent for."""
        return ticket.pk == self.ticket_id and ticket.resolved_at == self.resolved_at


def max_age() -> timedelta:
    return timedelta(days=settings.HELPDESK_RATING_LINK_MAX_AGE_DAYS)


def make_token(ticket: Ticket) -> str:
    """A token for rating ``ticket``'s current resolution; the ticket must be resolved."""
    if ticket.resolved_at is None:
        raise ValueError(f"Ticket #{ticket.pk} is not resolved: there is nothing to rate.")
    return signing.dumps([ticket.pk, _microseconds(ticket.resolved_at)], salt=SALT)


def read_token(token: str) -> LinkClaim:
    """The claim ``token`` carries; ``ExpiredLink`` or ``InvalidLink`` when it carries none."""
    if len(token) > MAX_TOKEN_LENGTH:
        raise InvalidLink("The token is too long.")
    try:
        payload = signing.loads(token, salt=SALT, max_age=max_age())
    except signing.SignatureExpired as error:
        raise ExpiredLink(str(error)) from error
    except (signing.BadSignature, ValueError) as error:  # ValueError: undecodable payload
        raise InvalidLink(str(error)) from error
    match payload:
        case [int() as ticket_id, int() as stamp] if ticket_id > 0 and stamp >= 0:
            try:
                return LinkClaim(ticket_id=ticket_id, resolved_at=_from_microseconds(stamp))
            except (OverflowError, ValueError) as error:
                raise InvalidLink("The resolution time is out of range.") from error
        case _:
            raise InvalidLink("The token does not name a ticket's resolution.")


def _microseconds(moment: datetime) -> int:
    delta = moment - datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _from_microseconds(stamp: int) -> datetime:
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=stamp)
