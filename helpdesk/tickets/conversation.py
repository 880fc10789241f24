"""A ticket page's conversation and history, a page at a time, the newest page first.

The ticket page listed every reply and every change. Nothing limits how many replies a customer
posts, and a ticket of 2,000 replies was a 1 MB page that took 0.4 s to build for every staff
member who opened it. The page now shows the newest :data:`PAGE_SIZE` replies and the newest
:data:`PAGE_SIZE` changes, each oldest first as a conversation reads, with a link to the
earlier ones (``?messages=2``, ``?history=2``; ``tickets.views.ticket_page``).

A page is read with one row more than it shows: whether earlier rows exist costs no ``COUNT``,
so the ticket page makes the same queries whatever the length of the ticket. Both lists walk
their ``(ticket, created_at)`` index backwards.

A page number is what the page's own links write: a plain number from 1 to :data:`MAX_PAGE`.
Anything else (junk, a sign, other digits, a number so large its offset would overflow the
database's integers) shows the newest page; a page past the earliest shows none, with the link
back to the newest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

from django.db import models

if TYPE_CHECKING:
    from django.db.models import QuerySet

#: Replies (or changes) on one page of a ticket.
PAGE_SIZE = 50
#: The last page number a link may name: 50 million replies, far past any real ticket.
MAX_PAGE = 1_000_000
_PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,6}")

Row = TypeVar("Row", bound=models.Model)


@dataclass(frozen=True)
class Window(Generic[Row]):
    """One page of a ticket's replies or changes, oldest first."""

    rows: list[Row]
    number: int
    #: The page of the rows before these, if there are any.
    earlier: int | None

    @property
    def later(self) -> int | None:
        """The page of the rows after these (``None`` on the newest page)."""
        return self.number - 1 if self.number > 1 else None


def page_number(raw: str | None) -> int:
    """The page a query value names; the newest (1) for anything a page link never writes."""
    if raw is None or not _PAGE_NUMBER.fullmatch(raw) or int(raw) > MAX_PAGE:
        return 1
    return int(raw)


def newest_first(
    rows: QuerySet[Row], raw_number: str | None, *, size: int = PAGE_SIZE
) -> Window[Row]:
    """The page ``raw_number`` of ``rows`` counted from the newest, each page oldest first.

    ``rows`` are one ticket's replies or changes (any filter and prefetch already applied);
    they are ordered here by ``created_at`` and then ``pk``, newest first.
    """
    number = page_number(raw_number)
    start = (number - 1) * size
    read = list(rows.order_by("-created_at", "-pk")[start : start + size + 1])
    earlier = number + 1 if len(read) > size else None
    return Window(rows=read[:size][::-1], number=number, earlier=earlier)
