"""Recording and clearing ratings, and the links that lead to them.

A rating is recorded only by the confirmation page's POST (``satisfaction.views``), for the
resolution its link names (``satisfaction.tokens``), at most once: the database's one-to-one
key decides between two submits that race, and the loser is told "already rated". Reopening
a ticket deletes its rating in the reopening transaction (:func:`clear_rating`, called by
``tickets.services.update_ticket`` and ``tickets.reopening.reply``), so every rating rates the
ticket's current resolution.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse

from satisfaction.models import COMMENT_MAX_LENGTH, Rating, Score
from satisfaction.tokens import InvalidLink, LinkClaim, make_token, read_token
from tickets.models import Ticket

if TYPE_CHECKING:
    from accounts.models import User


class StaleLink(InvalidLink):
    """The link was valid for a resolution the ticket has left: reopened, resolved again or
    deleted since the e-mail went out."""


@dataclass(frozen=True)
class RatingLink:
    """An opened link: the ticket it rates and the rating already given, if any."""

    token: str
    claim: LinkClaim
    ticket: Ticket
    rating: Rating | None


@dataclass(frozen=True)
class Recorded:
    """The outcome of a submit: the ticket's rating, and whether this submit created it."""

    rating: Rating
    created: bool


def rating_links(ticket: Ticket) -> dict[str, str]:
    """The absolute "good" and "bad" links for ``ticket``'s current resolution, by score.

    Absolute on ``SITE_URL`` like every link in an e-mail (the worker has no request).
    """
    site_url: str = settings.SITE_URL
    path = reverse("satisfaction:rate", kwargs={"token": make_token(ticket)})
    return {
        score: f"{site_url.rstrip('/')}{path}?{urlencode({'score': score})}"
        for score in Score.values
    }


def open_link(token: str) -> RatingLink:
    """What ``token`` rates, read-only: raises ``InvalidLink`` (``ExpiredLink``, ``StaleLink``)
    for a link that rates nothing. Two queries: the ticket, and its rating."""
    claim = read_token(token)
    ticket = Ticket.objects.filter(pk=claim.ticket_id).select_related("rating").first()
    if ticket is None or not claim.matches(ticket):
        raise StaleLink(f"Ticket #{claim.ticket_id} is no longer in the resolution linked.")
    return RatingLink(token=token, claim=claim, ticket=ticket, rating=_rating_of(ticket))


@transaction.atomic
def record_rating(*, link: RatingLink, score: str, comment: str = "") -> Recorded:
    """Record ``score`` (and ``comment``) for the resolution ``link`` names, once.

    The ticket row is locked first, as reopening locks it, so a rating and a reopening are
    one before the other: a rating recorded after the reopening began is refused
    (``StaleLink``), one recorded before it is deleted by it. The ticket's creator is the
    rater: only they are sent the link. A second submit (a double click, a second tab) finds
    the first one's rating through the one-to-one key and records nothing.
    """
    if score not in Score.values:
        raise ValueError(f"“{score}” is not a rating.")
    if len(comment) > COMMENT_MAX_LENGTH:
        raise ValueError(f"A comment has at most {COMMENT_MAX_LENGTH} characters.")
    ticket = Ticket.objects.select_for_update(of=("self",)).filter(pk=link.claim.ticket_id).first()
    if ticket is None or not link.claim.matches(ticket):
        raise StaleLink(f"Ticket #{link.claim.ticket_id} was reopened before the rating.")
    try:
        with transaction.atomic():  # a savepoint: the transaction survives a duplicate
            rating = Rating.objects.create(
                ticket=ticket, score=score, comment=comment, rated_by_id=ticket.creator_id
            )
    except IntegrityError:
        return Recorded(rating=Rating.objects.get(ticket=ticket), created=False)
    return Recorded(rating=rating, created=True)


def clear_rating(ticket: Ticket) -> bool:
    """Delete ``ticket``'s rating (it rated a resolution the ticket is leaving); call it in the
    transaction that moves the ticket out of Resolved. Whether there was one."""
    deleted, _ = Rating.objects.filter(ticket_id=ticket.pk).delete()
    return deleted > 0


def visible_rating(ticket: Ticket, user: User) -> Rating | None:
    """The rating the ticket page shows ``user``: to staff, and to the ticket's creator."""
    if not (user.is_staff or user.pk == ticket.creator_id):
        return None
    return _rating_of(ticket)


def _rating_of(ticket: Ticket) -> Rating | None:
    try:
        return ticket.rating
    except Rating.DoesNotExist:
        return None
