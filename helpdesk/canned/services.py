"""Placeholder substitution for saved replies, and the choices the ticket page offers.

A saved reply's body is typed by staff and may contain anything, including text that looks
like a template (``{{ settings.SECRET_KEY }}``, ``{% load %}``) or a format field
(``{ticket.creator.password}``, ``{0.__class__}``). It is never given to a template engine,
``str.format`` or ``string.Template``: those would read attributes of whatever objects they are
given. Only the fixed names in :data:`PLACEHOLDERS` are replaced, by plain ``str.replace``;
anything else in braces stays exactly as typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from canned.models import CannedReply

if TYPE_CHECKING:
    from tickets.models import Ticket

#: Every placeholder a saved reply may use, documented in the README and the body's help text.
PLACEHOLDERS = ("{ticket_number}", "{customer_name}")


def placeholder_values(ticket: Ticket) -> dict[str, str]:
    """What each placeholder stands for on ``ticket``.

    The order matters: ``{customer_name}`` is replaced last, because a customer's name is
    theirs to choose and may itself contain ``{ticket_number}``; replaced last, the text it
    brings in is never searched again.
    """
    creator = ticket.creator
    return {
        "{ticket_number}": str(ticket.pk),
        "{customer_name}": creator.get_full_name() or creator.get_username(),
    }


def render_reply(reply: CannedReply, ticket: Ticket) -> str:
    """``reply``'s body for ``ticket``: the placeholders replaced, everything else verbatim."""
    text = reply.body
    for placeholder, value in placeholder_values(ticket).items():
        text = text.replace(placeholder, value)
    return text


@dataclass(frozen=True)
class CannedChoice:
    """A saved reply as the ticket page offers it: already rendered for that ticket."""

    pk: int
    title: str
    text: str


def choices_for(ticket: Ticket) -> list[CannedChoice]:
    """Every saved reply rendered for ``ticket``, in title order: one query, however many.

    ``ticket`` should come with its creator (``Ticket.objects.with_people()``), or reading the
    name costs a query of its own.
    """
    return [
        CannedChoice(reply.pk, reply.title, render_reply(reply, ticket))
        for reply in CannedReply.objects.only("title", "body")
    ]


def chosen(choices: list[CannedChoice], raw_pk: str | None) -> CannedChoice | None:
    """The choice ``?canned=`` names, or None for a missing, unknown or malformed value.

    Compared as text against the offered choices, so no input can reach a query or ``int()``.
    """
    return next((choice for choice in choices if str(choice.pk) == raw_pk), None)
